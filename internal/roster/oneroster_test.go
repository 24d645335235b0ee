package roster_test

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

func TestImportOneRoster11_SortsUsersIntoStudentsGuardiansAndStaff(t *testing.T) {
	e := newEnv(t)
	rep := e.run("oneroster-1.1", roster.Options{})

	if rep.Format != "oneroster" || rep.Version != "1.1" {
		t.Fatalf("format %s %s", rep.Format, rep.Version)
	}
	if rep.Schools != (roster.Counts{Created: 3}) || rep.Staff != (roster.Counts{Created: 2}) ||
		rep.Students != (roster.Counts{Created: 3}) || rep.Guardians != (roster.Counts{Created: 3}) {
		t.Fatalf("counts: schools %+v staff %+v students %+v guardians %+v", rep.Schools, rep.Staff, rep.Students, rep.Guardians)
	}
	// The kindergartner, the tobedeleted student and the proctor.
	if rep.Skipped != 3 {
		t.Fatalf("skipped %d, want 3", rep.Skipped)
	}
	got := rejected(rep)
	for line, want := range map[int]string{
		4:  "guardian1_phone: bad phone",              // U-S3's parent U-P4 has a bad number
		7:  "minor without guardian contact",          // U-S6, 14, no guardian
		15: "email: missing (staff sign in by email)", // U-T2
	} {
		if r := got[line]; !strings.Contains(r.Reason, want) || r.File != "users.csv" {
			t.Errorf("line %d: %+v, want users.csv reason containing %q", line, r, want)
		}
	}
	if len(rep.Rejected) != 3 {
		t.Errorf("rejected %+v, want 3", rep.Rejected)
	}

	ana, _ := e.student("U-S1")
	if ana.School != "ORG-LHS" || ana.Phone != "+15555550201" || ana.Language != "es" || ana.DOB != "2010-03-14" || ana.Grade != 11 {
		t.Fatalf("U-S1 = %+v", ana)
	}
	if gs := e.guardians("U-S1"); len(gs) != 2 ||
		gs[0] != (guardianRow{1, "Maria Lopez", "parent", "+15555550202", "maria@example.org", "es", "U-P1"}) ||
		gs[1] != (guardianRow{2, "Jose Lopez", "guardian", "+15555550203", "", "en", "U-P2"}) {
		t.Fatalf("U-S1 guardians = %+v", gs)
	}
	if gs := e.guardians("U-S2"); len(gs) != 1 || gs[0].Relationship != "relative" {
		t.Fatalf("U-S2 guardians = %+v", gs)
	}
	// enrollments.csv's primary enrollment beats users.orgSourcedIds.
	if gia, _ := e.student("U-S7"); gia.School != "ORG-LHS" {
		t.Fatalf("U-S7 school = %s, want ORG-LHS from the primary enrollment", gia.School)
	}
	for _, id := range []string{"U-S3", "U-S4", "U-S5", "U-S6"} {
		if _, ok := e.student(id); ok {
			t.Errorf("%s was written", id)
		}
	}
	if n := e.count(`SELECT count(*) FROM staff_roles`); n != 0 {
		t.Fatalf("staff got %d roles without configuration", n)
	}
}

func TestImportOneRoster11_ConfiguredStaffRolesAreGrantedPerSchool(t *testing.T) {
	e := newEnv(t)
	rep := e.run("oneroster-1.1", roster.Options{StaffRoles: map[string]string{"Teacher": "coordinator", "administrator": "district_admin"}})
	if rep.StaffRolesGranted != 3 {
		t.Fatalf("granted %d roles, want 3 (coordinator at two schools, one district admin)", rep.StaffRolesGranted)
	}
	n := e.count(`SELECT count(*) FROM staff_roles r JOIN staff s ON s.id = r.staff_id JOIN schools sc ON sc.id = r.school_id
		WHERE s.source_id = 'U-T1' AND r.role = 'coordinator' AND sc.source_id IN ('ORG-LHS', 'ORG-RHS')`)
	if n != 2 {
		t.Fatalf("U-T1 coordinator roles = %d, want LHS and RHS", n)
	}
	again := e.run("oneroster-1.1", roster.Options{StaffRoles: map[string]string{"teacher": "coordinator", "administrator": "district_admin"}})
	if again.StaffRolesGranted != 0 || e.count(`SELECT count(*) FROM staff_roles`) != 3 {
		t.Fatalf("re-import granted %d more roles", again.StaffRolesGranted)
	}
}

func TestImportOneRoster_UnknownStaffRoleIsRefused(t *testing.T) {
	e := newEnv(t)
	if _, err := e.try("oneroster-1.1", roster.Options{StaffRoles: map[string]string{"teacher": "superuser"}}); err == nil {
		t.Fatal("an unknown internflow role was accepted")
	}
}

func TestImportOneRoster11_ReimportIsIdempotent(t *testing.T) {
	e := newEnv(t)
	e.run("oneroster-1.1", roster.Options{})
	rep := e.run("oneroster-1.1", roster.Options{})
	if rep.Schools != (roster.Counts{Unchanged: 3}) || rep.Staff != (roster.Counts{Unchanged: 2}) ||
		rep.Students != (roster.Counts{Unchanged: 3}) || rep.Guardians != (roster.Counts{Unchanged: 3}) || rep.FlaggedMissing != 0 {
		t.Fatalf("second import: schools %+v staff %+v students %+v guardians %+v flagged %d",
			rep.Schools, rep.Staff, rep.Students, rep.Guardians, rep.FlaggedMissing)
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 3 {
		t.Fatalf("students = %d, want 3", n)
	}
}

func TestImportOneRoster11_FullImportFlagsStudentsItDoesNotList(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{}) // unrelated ids, all flagged by the full OneRoster import
	rep := e.run("oneroster-1.1", roster.Options{})
	if rep.FlaggedMissing != 4 {
		t.Fatalf("flagged %d, want the 4 students the OneRoster files do not list", rep.FlaggedMissing)
	}
	if n := e.count(`SELECT count(*) FROM students WHERE missing_from_roster_at IS NOT NULL`); n != 4 {
		t.Fatalf("%d students flagged in the database", n)
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 7 {
		t.Fatalf("students = %d, want 7: flagging never deletes", n)
	}
}

func TestImportOneRoster_DeltaFlagsOnlyTobedeletedStudents(t *testing.T) {
	e := newEnv(t)
	e.run("oneroster-1.1", roster.Options{})
	rep := e.run("oneroster-delta", roster.Options{})
	if !rep.Partial || rep.FlaggedMissing != 1 || rep.Students != (roster.Counts{Updated: 1}) {
		t.Fatalf("delta: partial %v flagged %d students %+v", rep.Partial, rep.FlaggedMissing, rep.Students)
	}
	if ana, ok := e.student("U-S1"); !ok || !ana.Missing {
		t.Fatalf("U-S1 (tobedeleted) present=%v flagged=%v, want kept and flagged", ok, ana.Missing)
	}
	if gia, _ := e.student("U-S7"); gia.Missing {
		t.Fatal("U-S7 is merely absent from a delta, yet flagged")
	}
	if ben, _ := e.student("U-S2"); ben.Email != "ben@students.example.org" {
		t.Fatalf("U-S2 email = %q", ben.Email)
	}
	// The delta names U-P3 as U-S2's guardian without holding U-P3's row.
	if gs := e.guardians("U-S2"); len(gs) != 1 || gs[0].Source != "U-P3" || gs[0].Email != "grace@example.org" {
		t.Fatalf("U-S2 guardians after the delta = %+v, want U-P3 kept", gs)
	}
	if rep.Guardians != (roster.Counts{}) {
		t.Fatalf("delta guardians %+v, want untouched", rep.Guardians)
	}
}

func TestImportOneRoster12_ReadsRolesPreferredNamesAndMetadataFromAZip(t *testing.T) {
	e := newEnv(t)
	zipPath := zipDir(t, "testdata/oneroster-1.2", "export-2026/")
	b, err := roster.OpenPath(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rep, err := e.im.Import(context.Background(), b, roster.Options{DistrictID: e.district})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != "1.2" || rep.Students != (roster.Counts{Created: 2}) || rep.Staff != (roster.Counts{Created: 2}) ||
		rep.Schools != (roster.Counts{Created: 2}) || rep.Guardians != (roster.Counts{Created: 2}) {
		t.Fatalf("report %+v", rep)
	}
	sam, _ := e.student("V-S1")
	want := studentRow{School: "ORG-A", First: "Samantha", Last: "Jones", Preferred: "Sam", DOB: "2011-02-03", Phone: "+15555550301",
		Email: "sam.jones@students.example.org", Language: "es", Timezone: "America/Denver", Grade: 10}
	if sam != want {
		t.Fatalf("V-S1 = %+v, want %+v", sam, want)
	}
	// V-G1 names V-S1 only from its own agentSourcedIds.
	if gs := e.guardians("V-S1"); len(gs) != 1 || gs[0].Source != "V-G1" || gs[0].Language != "es" || gs[0].Relationship != "parent" {
		t.Fatalf("V-S1 guardians = %+v", gs)
	}
	if tom, _ := e.student("V-S2"); tom.Last != "Smith, Jr." || tom.School != "ORG-B" {
		t.Fatalf("V-S2 = %+v", tom)
	}
	got := rejected(rep)
	if r := got[4]; r.SourceID != "V-S3" || !strings.Contains(r.Reason, "timezone: unknown time zone") {
		t.Errorf("line 4 = %+v, want V-S3's bad time zone", r)
	}
	if r := got[5]; r.SourceID != "V-S4" || !strings.Contains(r.Reason, "unknown school") {
		t.Errorf("line 5 = %+v, want V-S4's unknown school", r)
	}
	if n := e.count(`SELECT count(*) FROM schools WHERE source_id = 'ORG-A' AND timezone = 'America/Denver'`); n != 1 {
		t.Fatal("ORG-A's metadata.timeZone was not stored")
	}
}

// zipDir zips dir's files under prefix (exports often wrap them in a folder).
func zipDir(t *testing.T, dir, prefix string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "roster.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		w, err := zw.Create(prefix + en.Name())
		if err != nil {
			t.Fatal(err)
		}
		src, err := os.Open(filepath.Join(dir, en.Name()))
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(w, src)
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return out
}
