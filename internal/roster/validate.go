package roster

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/contact"
)

// rawStudent is a student row as read, before validation; both formats
// produce it so both validate the same way.
type rawStudent struct {
	file, id, school, first, last, preferred, dob, grade string
	phone, email, language, timezone                     string
	addr, city, state, postal                            string
	number, stateID, modified                            string
	line                                                 int
	guardians                                            []rawGuardian
	// problems found while reading (a guardian row that failed, say).
	problems []string
	// guardiansUnknown: the files name guardians they do not hold.
	guardiansUnknown bool
}

// rawGuardian is a guardian as read; label names it in reasons.
type rawGuardian struct {
	label, id, name, relationship, phone, email, language string
}

// problems collects a row's reasons, naming the field and never its value.
type problems []string

func (p *problems) add(field, reason string) { *p = append(*p, field+": "+reason) }

func (p *problems) phone(field, raw string) string {
	if raw == "" {
		return ""
	}
	e164, err := contact.NormalizePhone(raw, "US")
	if err != nil {
		p.add(field, "bad phone")
	}
	return e164
}

func (p *problems) email(field, raw string) string {
	if raw == "" {
		return ""
	}
	email, err := contact.NormalizeEmail(raw)
	if err != nil {
		p.add(field, "bad email")
	}
	return email
}

// validate turns a raw row into a Student, or says why it cannot be one.
func (rs rawStudent) validate(now time.Time) (Student, []string) {
	p := problems(rs.problems)
	st := Student{File: rs.file, Line: rs.line, SourceID: rs.id, SchoolRef: rs.school,
		FirstName: rs.first, LastName: rs.last, PreferredName: rs.preferred,
		AddressLine1: rs.addr, City: rs.city, State: rs.state, PostalCode: rs.postal,
		Language: contact.NormalizeLanguage(rs.language), GuardiansKnown: !rs.guardiansUnknown,
		StudentNumber: rs.number, StateID: rs.stateID}
	for _, f := range [][2]string{{"student_id", rs.id}, {"school_id", rs.school}, {"first_name", rs.first}, {"last_name", rs.last}} {
		if f[1] == "" {
			p.add(f[0], "missing")
		}
	}
	st.Phone = p.phone("phone", rs.phone)
	st.Email = p.email("email", rs.email)
	var err error
	if st.Timezone, err = contact.NormalizeTimezone(rs.timezone); err != nil {
		p.add("timezone", "unknown time zone")
	}
	if st.Grade, err = parseGrade(rs.grade); err != nil {
		p.add("grade", "bad grade (6 to 13)")
	}
	if st.DateOfBirth, err = parseDate(rs.dob, now); err != nil {
		p.add("date_of_birth", err.Error())
	}
	if st.Modified, err = parseModified(rs.modified); err != nil {
		p.add("date_last_modified", "bad date (use an ISO 8601 date and time)")
	}
	st.Guardians = validateGuardians(rs.guardians, &p)
	// With guardians unknown the stored ones stand, checked when imported.
	if st.GuardiansKnown && isMinor(st.DateOfBirth, now) && !anyContact(st.Guardians) {
		p = append(p, "minor without guardian contact: a student under 18 needs a guardian with a phone or email")
	}
	return st, p
}

func validateGuardians(raws []rawGuardian, p *problems) []Guardian {
	var out []Guardian
	for _, rg := range raws {
		g := Guardian{Position: len(out) + 1, SourceID: rg.id, Name: rg.name, Relationship: rg.relationship,
			Language: contact.NormalizeLanguage(rg.language)}
		if g.Name == "" {
			p.add(rg.label+"_name", "missing")
		}
		g.Phone = p.phone(rg.label+"_phone", rg.phone)
		g.Email = p.email(rg.label+"_email", rg.email)
		out = append(out, g)
	}
	return out
}

func anyContact(gs []Guardian) bool {
	for _, g := range gs {
		if g.Phone != "" || g.Email != "" {
			return true
		}
	}
	return false
}

// isMinor is false when the birth date is unknown: the rule is stated by
// date of birth, and many SIS exports carry none.
func isMinor(dob *time.Time, now time.Time) bool {
	return dob != nil && now.Before(dob.AddDate(18, 0, 0))
}

// parseGrade accepts 6..13 ("09" too); "" is unknown.
func parseGrade(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 6 || n > 13 {
		return 0, fmt.Errorf("bad grade")
	}
	return n, nil
}

// parseDate accepts ISO dates and the US month/day/year SIS exports use.
func parseDate(s string, now time.Time) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{"2006-01-02", "1/2/2006"} {
		d, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if d.Year() < 1900 || d.After(now) {
			return nil, fmt.Errorf("bad date (not a past date)")
		}
		return &d, nil
	}
	return nil, fmt.Errorf("bad date (use YYYY-MM-DD)")
}

// parseModified reads a dateLastModified: ISO 8601 with a zone (OneRoster
// writes UTC with a Z), or a date alone.
func parseModified(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return &t, nil
		}
	}
	return nil, fmt.Errorf("bad date")
}

// joinReasons is how a rejection lists its problems.
func joinReasons(p []string) string { return strings.Join(p, "; ") }
