package roster_test

import (
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

func TestImportPlainCSV_StoresNormalisedStudentsAndGuardians(t *testing.T) {
	e := newEnv(t)
	rep := e.run("plain/valid", roster.Options{})

	if rep.Students != (roster.Counts{Created: 4}) || rep.Guardians != (roster.Counts{Created: 4}) || rep.Schools != (roster.Counts{Created: 2}) {
		t.Fatalf("counts: schools %+v students %+v guardians %+v", rep.Schools, rep.Students, rep.Guardians)
	}
	if len(rep.Rejected) != 0 {
		t.Fatalf("rejected %+v", rep.Rejected)
	}
	ana, ok := e.student("S1001")
	want := studentRow{School: "LHS", First: "Ana", Last: "Lopez", Preferred: "Annie", DOB: "2010-03-14", Phone: "+15555550101",
		Email: "ana.lopez@example.org", Language: "es", Timezone: "America/Chicago", Address: "12 Elm St", Grade: 11}
	if !ok || ana != want {
		t.Fatalf("S1001 = %+v, want %+v", ana, want)
	}
	ben, _ := e.student("S1002")
	if ben.DOB != "2009-11-02" || ben.Phone != "+15555550104" || ben.Language != "en" || ben.Grade != 12 {
		t.Fatalf("S1002 (US date, 1- phone) = %+v", ben)
	}
	dario, _ := e.student("S1004")
	if dario.First != "Dario, Jr." || dario.Address != "1 Main St, Apt 2" || dario.Language != "es" || dario.Grade != 9 {
		t.Fatalf("S1004 (quoted commas, spa, 09) = %+v", dario)
	}
	gs := e.guardians("S1001")
	if len(gs) != 2 || gs[0] != (guardianRow{1, "Maria Lopez", "mother", "+15555550102", "", "es", ""}) ||
		gs[1] != (guardianRow{2, "Jose Lopez", "father", "+15555550103", "jose@example.org", "es", ""}) {
		t.Fatalf("S1001 guardians = %+v", gs)
	}
}

func TestImportPlainCSV_ReimportingTheSameFileChangesNothing(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{})
	before := e.count(`SELECT count(*) FROM students WHERE updated_at = created_at`)

	rep := e.run("plain/valid", roster.Options{})
	if rep.Students != (roster.Counts{Unchanged: 4}) || rep.Guardians != (roster.Counts{Unchanged: 4}) ||
		rep.Schools != (roster.Counts{Unchanged: 2}) || rep.FlaggedMissing != 0 {
		t.Fatalf("second import: schools %+v students %+v guardians %+v flagged %d", rep.Schools, rep.Students, rep.Guardians, rep.FlaggedMissing)
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 4 {
		t.Fatalf("students = %d after re-import, want 4 (no duplicates)", n)
	}
	if n := e.count(`SELECT count(*) FROM guardians`); n != 4 {
		t.Fatalf("guardians = %d after re-import, want 4", n)
	}
	if after := e.count(`SELECT count(*) FROM students WHERE updated_at = created_at`); after != before {
		t.Fatalf("unchanged students were rewritten: %d untouched before, %d after", before, after)
	}
}

func TestImportPlainCSV_UpdatedFileUpdatesChangesAndFlagsMissingStudents(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{})
	rep := e.run("plain/updated", roster.Options{})

	if rep.Students != (roster.Counts{Created: 1, Updated: 2, Unchanged: 1}) {
		t.Fatalf("students %+v, want 1 created, 2 updated, 1 unchanged", rep.Students)
	}
	if rep.Guardians != (roster.Counts{Created: 1, Unchanged: 3, Removed: 1}) {
		t.Fatalf("guardians %+v, want 1 created, 3 unchanged, 1 removed", rep.Guardians)
	}
	if rep.FlaggedMissing != 1 {
		t.Fatalf("flagged missing = %d, want 1", rep.FlaggedMissing)
	}
	ana, _ := e.student("S1001")
	if ana.Phone != "+15555550111" {
		t.Fatalf("S1001 phone = %s, want the new number", ana.Phone)
	}
	if gs := e.guardians("S1001"); len(gs) != 1 || gs[0].Name != "Maria Lopez" {
		t.Fatalf("S1001 guardians = %+v, want only Maria (the roster dropped Jose)", gs)
	}
	if dario, _ := e.student("S1004"); dario.Grade != 10 {
		t.Fatalf("S1004 grade = %d, want 10", dario.Grade)
	}
	chloe, ok := e.student("S1003")
	if !ok || !chloe.Missing {
		t.Fatalf("S1003 absent from the new file: present=%v missing=%v; want kept and flagged", ok, chloe.Missing)
	}

	back := e.run("plain/valid", roster.Options{})
	if back.Reappeared != 1 || back.FlaggedMissing != 1 {
		t.Fatalf("re-importing the first file: reappeared %d flagged %d, want 1 and 1 (S1003 back, S1005 gone)", back.Reappeared, back.FlaggedMissing)
	}
	if chloe, _ := e.student("S1003"); chloe.Missing {
		t.Fatal("S1003 still flagged after reappearing")
	}
}

func TestImportPlainCSV_PartialImportFlagsNobody(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{})
	rep := e.run("plain/updated", roster.Options{Partial: true})
	if rep.FlaggedMissing != 0 || !rep.Partial {
		t.Fatalf("partial import flagged %d (partial=%v)", rep.FlaggedMissing, rep.Partial)
	}
	if chloe, _ := e.student("S1003"); chloe.Missing {
		t.Fatal("a partial import flagged S1003")
	}
}

func TestImportPlainCSV_BadRowsAreReportedAndWriteNothing(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	rep := e.run("plain/malformed.csv", roster.Options{})

	got := rejected(rep)
	want := map[int]string{
		3:  "phone: bad phone",
		4:  `school_id: unknown school "XHS"`,
		5:  "minor without guardian contact",
		6:  "minor without guardian contact",
		7:  "wrong column count: 4, the header has 11",
		8:  "duplicate student id (first on line 2)",
		9:  "email: bad email",
		10: "grade: bad grade",
		11: "date_of_birth: bad date",
		12: "first_name: missing",
		13: "malformed CSV",
		15: "guardian1_phone: bad phone",
	}
	for line, reason := range want {
		if r, ok := got[line]; !ok || !strings.Contains(r.Reason, reason) {
			t.Errorf("line %d: rejection %+v, want reason containing %q", line, r, reason)
		}
	}
	if len(rep.Rejected) != len(want) {
		t.Errorf("%d rejections, want %d: %+v", len(rep.Rejected), len(want), rep.Rejected)
	}
	if rep.Students.Created != 2 {
		t.Fatalf("created %d students, want the 2 valid rows", rep.Students.Created)
	}
	if n := e.count(`SELECT count(*) FROM students WHERE source_id NOT IN ('M001', 'M012')`); n != 0 {
		t.Fatalf("%d rejected students were written", n)
	}
	if n := e.count(`SELECT count(*) FROM guardians`); n != 1 {
		t.Fatalf("guardians = %d, want only M001's", n)
	}
	if first, _ := e.student("M001"); first.First != "Good" {
		t.Fatalf("M001 first name = %q: the duplicate on line 8 must not win", first.First)
	}
	if got[7].SourceID != "M006" {
		t.Errorf("wrong-column-count rejection names %q, want M006", got[7].SourceID)
	}
}

func TestImportPlainCSV_RejectionsNeverCarryNamesOrContacts(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	rep := e.run("plain/malformed.csv", roster.Options{})
	for _, r := range rep.Rejected {
		for _, secret := range []string{"Phone", "Pat", "555", "not-an-email", "Noname"} {
			if strings.Contains(r.Reason, secret) {
				t.Errorf("line %d reason %q contains %q", r.Line, r.Reason, secret)
			}
		}
	}
}

func TestImportPlainCSV_ReadsBOMAndCRLFAndMultilineFields(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	rep := e.run("plain/bom_crlf.csv", roster.Options{})

	if rep.Students.Created != 2 {
		t.Fatalf("created %d, want 2; rejected %+v", rep.Students.Created, rep.Rejected)
	}
	b001, ok := e.student("B001")
	if !ok || b001.First != "Élodie" || b001.Last != "O'Neil, Jr" || b001.Address != "12 Rue \"Bleue\"\nApt 3" {
		t.Fatalf("B001 = %+v", b001)
	}
	// B001 spans lines 2-3, so the bad row is on line 4.
	if r, ok := rejected(rep)[4]; !ok || r.SourceID != "B002" {
		t.Fatalf("rejections %+v, want B002 on line 4", rep.Rejected)
	}
}

func TestImportPlainCSV_ColumnsTheFileLacksKeepStoredValues(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{})
	rep := e.run("plain/phone_only.csv", roster.Options{Partial: true})
	if rep.Students != (roster.Counts{Updated: 1}) {
		t.Fatalf("students %+v, want S1001 updated", rep.Students)
	}
	ana, _ := e.student("S1001")
	want := studentRow{School: "LHS", First: "Ana", Last: "Lopez", Preferred: "Annie", DOB: "2010-03-14", Phone: "+15555550199",
		Email: "ana.lopez@example.org", Language: "es", Timezone: "America/Chicago", Address: "12 Elm St", Grade: 11}
	if ana != want {
		t.Fatalf("S1001 = %+v, want only the phone changed: %+v", ana, want)
	}
	if gs := e.guardians("S1001"); len(gs) != 2 {
		t.Fatalf("a file without guardian columns removed guardians: %+v", gs)
	}
}
