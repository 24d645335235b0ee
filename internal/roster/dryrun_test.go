package roster_test

import (
	"context"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

func TestDryRun_ReportsWhatWouldChangeAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{})
	rep := e.run("plain/updated", roster.Options{DryRun: true})

	real := newEnv(t)
	real.run("plain/valid", roster.Options{})
	want := real.run("plain/updated", roster.Options{})
	if rep.Students != want.Students || rep.Guardians != want.Guardians || rep.FlaggedMissing != want.FlaggedMissing {
		t.Fatalf("dry run students %+v guardians %+v flagged %d; the real import did %+v %+v %d",
			rep.Students, rep.Guardians, rep.FlaggedMissing, want.Students, want.Guardians, want.FlaggedMissing)
	}
	if _, ok := e.student("S1005"); ok {
		t.Fatal("dry run created S1005")
	}
	if ana, _ := e.student("S1001"); ana.Phone != "+15555550101" {
		t.Fatalf("dry run changed S1001's phone to %s", ana.Phone)
	}
	if chloe, _ := e.student("S1003"); chloe.Missing {
		t.Fatal("dry run flagged S1003")
	}
	if n := e.count(`SELECT count(*) FROM guardians`); n != 4 {
		t.Fatalf("guardians = %d after dry run, want 4", n)
	}
}

func TestDryRun_OnAnEmptyDistrictCreatesNoSchoolsOrStaff(t *testing.T) {
	e := newEnv(t)
	rep := e.run("oneroster-1.1", roster.Options{DryRun: true, StaffRoles: map[string]string{"teacher": "coordinator"}})
	if rep.Students.Created != 3 || rep.Schools.Created != 3 || rep.Staff.Created != 2 || rep.StaffRolesGranted != 2 {
		t.Fatalf("dry run report %+v", rep)
	}
	for _, table := range []string{"schools", "staff", "staff_roles", "students", "guardians"} {
		if n := e.count(`SELECT count(*) FROM ` + table); n != 0 {
			t.Errorf("dry run wrote %d %s", n, table)
		}
	}
}

func TestImport_RecordsEveryRunAndAuditsRealOnesWithoutPII(t *testing.T) {
	e := newEnv(t)
	e.run("plain/valid", roster.Options{DryRun: true, ActorKind: "staff", ActorRef: "staff-42"})
	rep := e.run("plain/valid", roster.Options{ActorKind: "staff", ActorRef: "staff-42"})

	runs, err := e.im.RecentRuns(context.Background(), e.district, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != rep.RunID || runs[0].Report.DryRun || !runs[1].Report.DryRun ||
		runs[0].Report.Students.Created != 4 || runs[0].ActorRef != "staff-42" {
		t.Fatalf("runs = %+v", runs)
	}
	var after string
	err = e.st.Pool.QueryRow(context.Background(), `SELECT after::text FROM audit_log
		WHERE action = 'roster.import' AND entity_id = $1 AND actor_kind = 'staff' AND actor_ref = 'staff-42' AND district_id = $2`,
		rep.RunID, e.district).Scan(&after)
	if err != nil {
		t.Fatalf("audit entry: %v", err)
	}
	if !strings.Contains(after, `"created": 4`) {
		t.Fatalf("audit after = %s, want the counts", after)
	}
	for _, pii := range []string{"Lopez", "555", "example.org", "S1001"} {
		if strings.Contains(after, pii) {
			t.Fatalf("audit entry %s contains %q", after, pii)
		}
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'roster.import'`); n != 1 {
		t.Fatalf("%d audit entries, want 1 (dry runs change nothing)", n)
	}
}

func TestImport_UnknownDistrictIsAnError(t *testing.T) {
	e := newEnv(t)
	e.district = "00000000-0000-0000-0000-000000000001"
	if _, err := e.try("plain/valid", roster.Options{}); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("err = %v, want district not found", err)
	}
}

func TestReport_WriteTextListsCountsAndRejectionsWithoutNames(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	rep := e.run("plain/malformed.csv", roster.Options{DryRun: true})
	var out strings.Builder
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"dry run (nothing written)", "students          2", "rejected students.csv:3 M002: phone: bad phone",
		"rejected students.csv:7 M006: wrong column count"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	for _, pii := range []string{"Good", "Pat", "555-"} {
		if strings.Contains(text, pii) {
			t.Errorf("report shows %q:\n%s", pii, text)
		}
	}
}
