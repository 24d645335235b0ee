package roster

import (
	"strings"
	"time"
)

// readManifest reads manifest.csv (propertyName,value): the version and
// whether users.csv is a delta.
func readManifest(b *Bundle, bl *builder, _ *orContext) error {
	t, err := openTable(b, "manifest.csv", "propertyname")
	if err != nil {
		return err
	}
	defer t.close()
	return t.each(func(r row) {
		switch strings.ToLower(r.get("propertyname")) {
		case "oneroster.version":
			bl.r.Version = r.get("value")
		case "file.users":
			bl.r.Delta = strings.EqualFold(r.get("value"), "delta")
		}
	}, bl.rejectRow(t.file))
}

// readOrgs adds the orgs of type school; the district itself and other
// org types are context only.
func readOrgs(b *Bundle, bl *builder, cx *orContext) error {
	t, err := openTable(b, "orgs.csv", "sourcedid")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.require("sourcedid", "name", "type"); err != nil {
		return err
	}
	tz := metaColumn(t, "timezone")
	return t.each(func(r row) {
		if !strings.EqualFold(r.get("type"), "school") || strings.EqualFold(r.get("status"), "tobedeleted") {
			return
		}
		cx.schools[r.get("sourcedid")] = true
		bl.school(t.file, r.line, r.get("sourcedid"), r.get("name"), r.get(tz))
	}, bl.rejectRow(t.file))
}

// readRoles reads OneRoster 1.2 roles.csv, where a user's role and orgs
// live instead of users.csv; a primary role wins over secondary ones.
func readRoles(b *Bundle, bl *builder, cx *orContext) error {
	t, err := openTable(b, "roles.csv", "usersourcedid")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.require("usersourcedid", "role"); err != nil {
		return err
	}
	return t.each(func(r row) {
		if strings.EqualFold(r.get("status"), "tobedeleted") || !roleCurrent(r.get("begindate"), r.get("enddate"), bl.now) {
			return
		}
		user, role, org := r.get("usersourcedid"), strings.ToLower(r.get("role")), r.get("orgsourcedid")
		cur, seen := cx.roles[user]
		primary := strings.EqualFold(r.get("roletype"), "primary")
		if !seen || primary {
			cur.role = role
		}
		if org != "" {
			if primary {
				cur.orgs = append([]string{org}, cur.orgs...)
			} else {
				cur.orgs = append(cur.orgs, org)
			}
		}
		cx.roles[user] = cur
	}, bl.rejectRow(t.file))
}

// roleCurrent reports whether a role holds on now's date: begun (no
// beginDate, or on or before today) and not ended (no endDate, or today or
// later). A role that ended (a teacher who left, a student who moved) or
// has not begun gives the user nothing; a date that does not parse is
// ignored rather than dropping the role.
func roleCurrent(begin, end string, now time.Time) bool {
	today := now.Format(time.DateOnly)
	if b, err := time.Parse(time.DateOnly, first10(begin)); err == nil && b.Format(time.DateOnly) > today {
		return false
	}
	if e, err := time.Parse(time.DateOnly, first10(end)); err == nil && e.Format(time.DateOnly) < today {
		return false
	}
	return true
}

// first10 is a date's YYYY-MM-DD part (OneRoster dates may carry a time).
func first10(s string) string {
	if len(s) > 10 {
		return s[:10]
	}
	return s
}

// readDemographics reads birth dates, which decide who is a minor.
func readDemographics(b *Bundle, bl *builder, cx *orContext) error {
	t, err := openTable(b, "demographics.csv", "sourcedid")
	if err != nil {
		return err
	}
	defer t.close()
	return t.each(func(r row) {
		if d := r.get("birthdate"); d != "" {
			cx.birth[r.get("sourcedid")] = d
		}
	}, bl.rejectRow(t.file))
}

// readEnrollments finds each student's school: a primary enrollment wins.
func readEnrollments(b *Bundle, bl *builder, cx *orContext) error {
	t, err := openTable(b, "enrollments.csv", "sourcedid")
	if err != nil {
		return err
	}
	defer t.close()
	primary := map[string]bool{}
	return t.each(func(r row) {
		user, school := r.get("usersourcedid"), r.get("schoolsourcedid")
		if !strings.EqualFold(r.get("role"), "student") || school == "" || strings.EqualFold(r.get("status"), "tobedeleted") {
			return
		}
		isPrimary := strings.EqualFold(r.get("primary"), "true")
		if _, ok := cx.enrolled[user]; !ok || (isPrimary && !primary[user]) {
			cx.enrolled[user] = school
			primary[user] = primary[user] || isPrimary
		}
	}, bl.rejectRow(t.file))
}
