package roster

import (
	"fmt"
	"strings"
)

// plainColumns are the plain format's student columns (see README.md).
var plainColumns = []string{"student_id", "school_id", "first_name", "last_name", "preferred_name", "date_of_birth",
	"grade", "phone", "email", "language", "timezone", "address_line1", "city", "state", "postal_code",
	"student_number", "state_id", "date_last_modified"}

var guardianColumns = []string{"id", "name", "relationship", "phone", "email", "language"}

// parsePlain reads students.csv and, when present, schools.csv and
// staff.csv.
func parsePlain(b *Bundle, bl *builder) error {
	if b.Has("schools.csv") {
		if err := parsePlainSchools(b, bl); err != nil {
			return err
		}
	}
	if b.Has("staff.csv") {
		if err := parsePlainStaff(b, bl); err != nil {
			return err
		}
	}
	t, err := openTable(b, "students.csv", "student_id")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.require("student_id", "school_id", "first_name", "last_name"); err != nil {
		return err
	}
	plainHeader(t, bl)
	return t.each(func(r row) { bl.student(plainStudent(r)) }, bl.rejectStudentRow(t.file))
}

// plainHeader records which optional columns exist and warns about
// unknown ones (a misspelt column would otherwise be silently ignored).
func plainHeader(t *table, bl *builder) {
	known := map[string]bool{}
	for _, c := range plainColumns {
		known[c] = true
	}
	for n := 1; n <= 2; n++ {
		for _, c := range guardianColumns {
			known[fmt.Sprintf("guardian%d_%s", n, c)] = true
		}
	}
	for _, name := range t.names {
		if !known[name] {
			bl.warn("%s: ignored unknown column %q", t.file, name)
		}
	}
	for _, f := range studentFields {
		if !t.has(f) {
			bl.r.Absent = append(bl.r.Absent, f)
		}
	}
	bl.r.HasGuardians = t.has("guardian1_name") || t.has("guardian2_name")
	for _, f := range guardianFields {
		if !t.has("guardian1_"+f) && !t.has("guardian2_"+f) {
			bl.r.AbsentGuardian = append(bl.r.AbsentGuardian, f)
		}
	}
}

func plainStudent(r row) rawStudent {
	rs := rawStudent{file: r.t.file, line: r.line, id: r.get("student_id"), school: r.get("school_id"),
		first: r.get("first_name"), last: r.get("last_name"), preferred: r.get("preferred_name"),
		dob: r.get("date_of_birth"), grade: r.get("grade"), phone: r.get("phone"), email: r.get("email"),
		language: r.get("language"), timezone: r.get("timezone"), addr: r.get("address_line1"),
		city: r.get("city"), state: r.get("state"), postal: r.get("postal_code"),
		number: r.get("student_number"), stateID: r.get("state_id"), modified: r.get("date_last_modified")}
	for n := 1; n <= 2; n++ {
		label := fmt.Sprintf("guardian%d", n)
		g := rawGuardian{label: label}
		vals := []*string{&g.id, &g.name, &g.relationship, &g.phone, &g.email, &g.language}
		empty := true
		for i, c := range guardianColumns {
			*vals[i] = r.get(label + "_" + c)
			empty = empty && *vals[i] == ""
		}
		if !empty {
			rs.guardians = append(rs.guardians, g)
		}
	}
	return rs
}

// parsePlainSchools reads schools.csv: school_id,name[,timezone].
func parsePlainSchools(b *Bundle, bl *builder) error {
	t, err := openTable(b, "schools.csv", "school_id")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.require("school_id", "name"); err != nil {
		return err
	}
	return t.each(func(r row) {
		bl.school(t.file, r.line, r.get("school_id"), r.get("name"), r.get("timezone"))
	}, bl.rejectRow(t.file))
}

// parsePlainStaff reads staff.csv: staff_id,name,email[,phone,role,school_ids].
func parsePlainStaff(b *Bundle, bl *builder) error {
	t, err := openTable(b, "staff.csv", "staff_id")
	if err != nil {
		return err
	}
	defer t.close()
	if err := t.require("staff_id", "name", "email"); err != nil {
		return err
	}
	return t.each(func(r row) {
		bl.staff(t.file, r.line, rawStaff{id: r.get("staff_id"), name: r.get("name"), email: r.get("email"),
			phone: r.get("phone"), role: strings.ToLower(r.get("role")), schools: list(r.get("school_ids")),
			active: !strings.EqualFold(r.get("active"), "false")})
	}, bl.rejectRow(t.file))
}
