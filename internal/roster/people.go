package roster

import (
	"fmt"

	"github.com/internflow/internflow/internal/contact"
)

// school validates one school row.
func (bl *builder) school(file string, line int, id, name, tz string) {
	var p problems
	if id == "" {
		p.add("school_id", "missing")
	}
	if name == "" {
		p.add("name", "missing")
	}
	tz, err := contact.NormalizeTimezone(tz)
	if err != nil {
		p.add("timezone", "unknown time zone")
	}
	if first, dup := bl.firstOf(bl.schoolLines, id, line); dup {
		p = append(p, fmt.Sprintf("duplicate school id (first on line %d)", first))
	}
	if len(p) > 0 {
		bl.reject(file, line, id, joinReasons(p))
		return
	}
	bl.r.Schools = append(bl.r.Schools, School{Line: line, SourceID: id, Name: name, Timezone: tz})
}

// rawStaff is a staff row as read.
type rawStaff struct {
	id, name, email, phone, role string
	schools                      []string
	active                       bool
}

// staff validates one staff row. Staff sign in by email, so it is required.
func (bl *builder) staff(file string, line int, rs rawStaff) {
	var p problems
	if rs.id == "" {
		p.add("staff_id", "missing")
	}
	if rs.name == "" {
		p.add("name", "missing")
	}
	if rs.email == "" {
		p.add("email", "missing (staff sign in by email)")
	}
	email := p.email("email", rs.email)
	phone := p.phone("phone", rs.phone)
	if first, dup := bl.firstOf(bl.staffLines, rs.id, line); dup {
		p = append(p, fmt.Sprintf("duplicate staff id (first on line %d)", first))
	}
	if len(p) > 0 {
		bl.reject(file, line, rs.id, joinReasons(p))
		return
	}
	bl.r.Staff = append(bl.r.Staff, Staff{Line: line, SourceID: rs.id, Name: rs.name, Email: email, Phone: phone,
		Active: rs.active, Role: rs.role, SchoolIDs: rs.schools})
}

// firstOf records id's first line in m and reports an earlier one.
func (bl *builder) firstOf(m map[string]int, id string, line int) (int, bool) {
	if id == "" {
		return 0, false
	}
	if first, ok := m[id]; ok {
		return first, true
	}
	m[id] = line
	return 0, false
}
