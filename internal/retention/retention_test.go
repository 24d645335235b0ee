package retention_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/retention"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// Three students: one whose only journey closed six years ago, one with an
// old closed journey and a current one, one who finished last year. A
// five-year sweep purges only the first, with their workflow, and the
// audit log keeps who ran it and why.
func TestSweep_PurgesOnlyStudentsWhoseJourneysAllClosedBeforeThePeriod(t *testing.T) {
	ctx := context.Background()
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	old := f.Student
	mixed := newStudent(t, s.Store, f)
	recent := newStudent(t, s.Store, f)
	oldWF := enrollClosed(t, s, old, f.Program, 6)
	enrollClosed(t, s, mixed, f.Program, 7)
	if _, err := s.Journeys.Enroll(ctx, mixed, f.Program); err != nil {
		t.Fatal(err)
	}
	enrollClosed(t, s, recent, f.Program, 1)

	sw := &retention.Sweeper{Pool: s.Pool, Records: &records.Service{Store: s.Store, Temporal: s.Temporal, Namespace: "default"}}
	cutoff, err := retention.Cutoff("5y", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dry, err := sw.Sweep(ctx, retention.Policy{ClosedBefore: cutoff, Period: "5y", StaffID: f.Coordinator, DryRun: true})
	if err != nil || !slices.Equal(dry.Due, []string{old}) || dry.Purged != 0 {
		t.Fatalf("dry run = %+v, %v; want only the old student listed and nobody purged", dry, err)
	}
	if studentCount(t, s) != 3 {
		t.Fatal("a dry run purged someone")
	}

	res, err := sw.Sweep(ctx, retention.Policy{ClosedBefore: cutoff, Period: "5y", StaffID: f.Coordinator})
	if err != nil || res.Purged != 1 || res.Journeys != 1 || res.Workflows != 1 {
		t.Fatalf("sweep = %+v, %v", res, err)
	}
	if studentCount(t, s) != 2 {
		t.Error("the sweep must leave the student with an open journey and the recent one")
	}
	_, err = s.Temporal.DescribeWorkflow(ctx, oldWF, "")
	var nf *serviceerror.NotFound
	if !errors.As(err, &nf) {
		t.Errorf("the purged student's workflow is still in Temporal: %v", err)
	}
	var actor, reason string
	if err := s.Pool.QueryRow(ctx, `SELECT actor_ref, reason FROM audit_log WHERE action = 'student_purged' AND entity_id = $1`,
		old).Scan(&actor, &reason); err != nil {
		t.Fatalf("audit log has no purge record: %v", err)
	}
	if actor != f.Coordinator || reason == "" {
		t.Errorf("audit record actor %q reason %q", actor, reason)
	}
	again, err := sw.Sweep(ctx, retention.Policy{ClosedBefore: cutoff, Period: "5y", StaffID: f.Coordinator})
	if err != nil || len(again.Due) != 0 {
		t.Errorf("a second sweep should find nobody: %+v, %v", again, err)
	}
}

func TestCutoff_ReadsPolicyPeriods(t *testing.T) {
	now := time.Date(2030, 6, 15, 0, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"5y": time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC), "18mo": time.Date(2028, 12, 15, 0, 0, 0, 0, time.UTC),
		"90d": time.Date(2030, 3, 17, 0, 0, 0, 0, time.UTC),
	} {
		got, err := retention.Cutoff(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("Cutoff(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "5", "0y", "5 years", "-1y"} {
		if _, err := retention.Cutoff(bad, now); err == nil {
			t.Errorf("Cutoff(%q) accepted", bad)
		}
	}
}

func newStudent(t *testing.T, st *store.Store, f apptest.Fixture) string {
	t.Helper()
	id, err := st.CreateStudent(context.Background(), store.Student{DistrictID: f.District, SchoolID: f.School,
		FirstName: "Test", LastName: "Student", Grade: 11, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// enrollClosed starts a real journey, then back-dates its close by years
// (a sweep cannot wait for them) and returns its workflow id.
func enrollClosed(t *testing.T, s *apptest.Stack, student, program string, yearsAgo int) string {
	t.Helper()
	ctx := context.Background()
	e, err := s.Journeys.Enroll(ctx, student, program)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool.Exec(ctx, `UPDATE journeys SET status = 'withdrawn', closed_at = now() - make_interval(years => $2),
		program_year = program_year - $2 WHERE id = $1`, e.Journey.ID, yearsAgo); err != nil {
		t.Fatal(err)
	}
	return workflows.JourneyWorkflowID(e.Journey.ID)
}

func studentCount(t *testing.T, s *apptest.Stack) int {
	t.Helper()
	var n int
	if err := s.Pool.QueryRow(context.Background(), `SELECT count(*) FROM students`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
