package roster

import (
	"strconv"
	"strings"
)

// OneRoster roles, lower-cased. 1.2 adds the administrator kinds.
var (
	guardianRoles = map[string]string{"parent": "parent", "guardian": "guardian", "relativeof": "relative"}
	staffRoles    = map[string]bool{"teacher": true, "administrator": true, "aide": true, "counselor": true,
		"principal": true, "districtadministrator": true, "siteadministrator": true, "systemadministrator": true}
)

// orUser is one users.csv row.
type orUser struct {
	line                               int
	id, role, given, family, preferred string
	email, phone, grades, language, tz string
	primaryOrg                         string
	identifier, stateID, modified      string
	orgs, agents                       []string
	enabled                            bool
}

// orContext is what the other OneRoster files say about users.
type orContext struct {
	schools   map[string]bool     // orgs.csv schools
	roles     map[string]orRole   // roles.csv (1.2): user → primary role
	birth     map[string]string   // demographics.csv: user → birthDate
	enrolled  map[string]string   // enrollments.csv: student → school
	guardians map[string]orUser   // guardian users by id
	children  map[string][]string // student → guardians listing them as agents
	// langCol and tzCol are users.csv's metadata.* columns, if any.
	langCol, tzCol string
	manyGuardians  int
}

// orRole is a user's role and organisations from roles.csv.
type orRole struct {
	role string
	orgs []string
}

// parseOneRoster reads a OneRoster 1.1 or 1.2 CSV bundle: manifest.csv,
// orgs.csv, roles.csv, demographics.csv and enrollments.csv when present,
// and users.csv.
func parseOneRoster(b *Bundle, bl *builder) error {
	cx := &orContext{schools: map[string]bool{}, roles: map[string]orRole{}, birth: map[string]string{},
		enrolled: map[string]string{}, guardians: map[string]orUser{}, children: map[string][]string{}}
	steps := []struct {
		file string
		read func(*Bundle, *builder, *orContext) error
	}{
		{"manifest.csv", readManifest}, {"orgs.csv", readOrgs}, {"roles.csv", readRoles},
		{"demographics.csv", readDemographics}, {"enrollments.csv", readEnrollments},
	}
	for _, s := range steps {
		if b.Has(s.file) {
			if err := s.read(b, bl, cx); err != nil {
				return err
			}
		}
	}
	if bl.r.Version == "" {
		bl.r.Version = "1.1"
		if b.Has("roles.csv") {
			bl.r.Version = "1.2"
		}
	}
	students, err := readUsers(b, bl, cx)
	if err != nil {
		return err
	}
	for _, u := range students {
		if rs, ok := cx.student(u, bl); ok {
			bl.student(rs)
		}
	}
	if cx.manyGuardians > 0 {
		bl.warn("%d students have more than two guardians; the first two listed are imported", cx.manyGuardians)
	}
	return nil
}

// readUsers sorts users.csv into staff (added now), guardians (kept for
// linking) and students (returned, linked once every guardian is known).
func readUsers(b *Bundle, bl *builder, cx *orContext) ([]orUser, error) {
	t, err := openTable(b, "users.csv", "sourcedid")
	if err != nil {
		return nil, err
	}
	defer t.close()
	if err := t.require("sourcedid", "givenname", "familyname"); err != nil {
		return nil, err
	}
	usersHeader(t, bl, b.Has("demographics.csv"))
	cx.langCol, cx.tzCol = metaColumn(t, "language"), metaColumn(t, "timezone")
	var students []orUser
	lines := map[string]int{}
	err = t.each(func(r row) {
		u := readUser(r, cx)
		if first, dup := bl.firstOf(lines, u.id, u.line); dup {
			bl.reject(t.file, u.line, u.id, "duplicate sourcedId (first on line "+strconv.Itoa(first)+")")
			return
		}
		if strings.EqualFold(r.get("status"), "tobedeleted") {
			bl.r.Skipped++
			if u.role == "student" {
				bl.r.Departed = append(bl.r.Departed, u.id)
			}
			return
		}
		students = cx.sort(u, bl, t.file, students)
	}, bl.rejectStudentRow(t.file))
	return students, err
}

// sort files one user by role.
func (cx *orContext) sort(u orUser, bl *builder, file string, students []orUser) []orUser {
	switch {
	case u.role == "student":
		return append(students, u)
	case guardianRoles[u.role] != "":
		cx.guardians[u.id] = u
		for _, child := range u.agents {
			cx.children[child] = append(cx.children[child], u.id)
		}
	case staffRoles[u.role]:
		bl.staff(file, u.line, rawStaff{id: u.id, name: strings.TrimSpace(u.given + " " + u.family), email: u.email,
			phone: u.phone, role: u.role, schools: u.orgs, active: u.enabled})
	default:
		bl.r.Skipped++
	}
	return students
}

// usersHeader records which student and guardian fields the files carry.
func usersHeader(t *table, bl *builder, hasDemographics bool) {
	carried := map[string]bool{
		"preferred_name": t.has("preferredgivenname") || t.has("preferredfirstname"),
		"date_of_birth":  hasDemographics,
		"grade":          t.has("grades"),
		"phone":          t.has("sms") || t.has("phone"),
		"email":          t.has("email"),
		"language":       metaColumn(t, "language") != "",
		"timezone":       metaColumn(t, "timezone") != "",
		"student_number": t.has("identifier"),
		"state_id":       t.has("userids"),
	}
	for _, f := range studentFields {
		if !carried[f] {
			bl.r.Absent = append(bl.r.Absent, f)
		}
	}
	for _, f := range guardianFields {
		if f != "relationship" && !carried[f] {
			bl.r.AbsentGuardian = append(bl.r.AbsentGuardian, f)
		}
	}
	bl.r.HasGuardians = t.has("agentsourcedids") || t.has("agents")
}

// metaNames are the metadata.* extension names SIS vendors use for
// language and time zone, compared without case or punctuation.
var metaNames = map[string]string{"language": "language", "preferredlanguage": "language", "homelanguage": "language",
	"primarylanguage": "language", "lang": "language", "timezone": "timezone", "tz": "timezone"}

// metaColumn finds a metadata.* column for kind ("language" or "timezone").
func metaColumn(t *table, kind string) string {
	for _, name := range t.names {
		if !strings.HasPrefix(name, "metadata.") {
			continue
		}
		last := name[strings.LastIndexByte(name, '.')+1:]
		last = strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return -1
		}, last)
		if metaNames[last] == kind {
			return name
		}
	}
	return ""
}

func readUser(r row, cx *orContext) orUser {
	u := orUser{line: r.line, id: r.get("sourcedid"), given: r.get("givenname"), family: r.get("familyname"),
		preferred: first(r.get("preferredgivenname"), r.get("preferredfirstname")),
		email:     r.get("email"), phone: first(r.get("sms"), r.get("phone")), grades: r.get("grades"),
		primaryOrg: first(r.get("primaryorgsourcedid"), r.get("primaryorg")),
		orgs:       list(r.get("orgsourcedids")), agents: list(first(r.get("agentsourcedids"), r.get("agents"))),
		enabled:  !strings.EqualFold(r.get("enableduser"), "false"),
		language: r.get(cx.langCol), tz: r.get(cx.tzCol),
		identifier: r.get("identifier"), stateID: stateID(r.get("userids")), modified: r.get("datelastmodified")}
	roles := list(first(r.get("role"), r.get("roles")))
	if len(roles) > 0 {
		u.role = strings.ToLower(roles[0])
	}
	if rr, ok := cx.roles[u.id]; ok {
		if u.role == "" {
			u.role = rr.role
		}
		if len(u.orgs) == 0 {
			u.orgs = rr.orgs
		}
	}
	return u
}

// stateID picks the state student id from OneRoster userIds, a list of
// {type:identifier} pairs ("{LDAP:jdoe},{StateID:1234567}"): the one whose
// type names the state (StateID, State, SSID).
func stateID(userIDs string) string {
	for _, pair := range list(userIDs) {
		typ, id, ok := strings.Cut(strings.Trim(pair, "{} "), ":")
		t := strings.ToLower(strings.TrimSpace(typ))
		if ok && (strings.Contains(t, "state") || t == "ssid") {
			return strings.TrimSpace(id)
		}
	}
	return ""
}

// first returns the first non-empty value.
func first(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// student builds a student's raw row with its guardians: those the
// student's agentSourcedIds name first, then those naming the student.
func (cx *orContext) student(u orUser, bl *builder) (rawStudent, bool) {
	rs := rawStudent{file: "users.csv", line: u.line, id: u.id, school: cx.schoolOf(u), first: u.given,
		last: u.family, preferred: u.preferred, dob: cx.birth[u.id], phone: u.phone, email: u.email,
		language: u.language, timezone: u.tz, number: u.identifier, stateID: u.stateID, modified: u.modified}
	grade, skip := oneRosterGrade(u.grades)
	if skip {
		bl.r.Skipped++
		return rawStudent{}, false
	}
	rs.grade = grade
	ids := append(append([]string{}, u.agents...), cx.children[u.id]...)
	added := map[string]bool{}
	for _, id := range ids {
		g, ok := cx.guardians[id]
		// A delta holds only changed users: an agent it lacks is unchanged.
		rs.guardiansUnknown = rs.guardiansUnknown || (!ok && bl.r.Delta)
		if !ok || added[id] {
			continue
		}
		added[id] = true
		if len(rs.guardians) == 2 {
			cx.manyGuardians++
			break
		}
		rs.guardians = append(rs.guardians, rawGuardian{label: "guardian" + strconv.Itoa(len(rs.guardians)+1),
			id: g.id, name: strings.TrimSpace(g.given + " " + g.family), relationship: guardianRoles[g.role],
			phone: g.phone, email: g.email, language: g.language})
	}
	return rs, true
}

// schoolOf picks the school a student attends: a primary enrollment, then
// roles.csv or primaryOrgSourcedId, then the first listed org that
// orgs.csv calls a school.
func (cx *orContext) schoolOf(u orUser) string {
	if s := cx.enrolled[u.id]; s != "" {
		return s
	}
	if u.primaryOrg != "" {
		return u.primaryOrg
	}
	for _, o := range u.orgs {
		if cx.schools[o] {
			return o
		}
	}
	if len(u.orgs) > 0 {
		return u.orgs[0]
	}
	return ""
}

// notInProgram are OneRoster grade codes below the program's grades 6-13.
var notInProgram = map[string]bool{"it": true, "pr": true, "pk": true, "tk": true, "kg": true, "ps": true,
	"ug": true, "other": true, "1": true, "2": true, "3": true, "4": true, "5": true}

// oneRosterGrade reads the first of a student's grades ("09" → "9").
// Elementary grades are skipped, not rejected: district exports hold
// every student, and internflow serves grades 6-13.
func oneRosterGrade(grades string) (grade string, skip bool) {
	gs := list(grades)
	if len(gs) == 0 {
		return "", false
	}
	g := strings.ToLower(strings.TrimLeft(gs[0], "0"))
	if notInProgram[g] {
		return "", true
	}
	return g, false
}
