package enrolment_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/enrolment"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// district is a district with schools, one program and students loaded
// with COPY (what a roster import leaves), and a runner with no worker:
// enrolling opens journeys and starts their workflows, which wait in
// Temporal for a worker to run them.
type district struct {
	st      *store.Store
	runner  *enrolment.Runner
	app     *app.App
	scope   store.Scope
	program store.Program
}

func newDistrict(tb testing.TB, students, schools int) *district {
	tb.Helper()
	ctx := context.Background()
	st := testenv.DB(tb)
	cfg := config.Config{TaskQueue: testenv.TaskQueue(tb), TimeScale: 1}.WithDevDefaults()
	a := app.New(cfg, st.Pool, testenv.Temporal(tb))
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	var d district
	d.st, d.runner, d.app = st, a.Enrolments, a
	var districtID, programID string
	must(st.Pool.QueryRow(ctx, `INSERT INTO districts (name) VALUES ('Bench Unified') RETURNING id`).Scan(&districtID))
	must(st.Pool.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year) VALUES ($1, 'Summer', 'summer_paid', 2031)
		RETURNING id`, districtID).Scan(&programID))
	var schoolIDs []uuid.UUID
	for i := range schools {
		var s uuid.UUID
		must(st.Pool.QueryRow(ctx, `INSERT INTO schools (district_id, name) VALUES ($1, $2) RETURNING id`, districtID,
			fmt.Sprintf("School %02d", i)).Scan(&s))
		schoolIDs = append(schoolIDs, s)
	}
	rows := make([][]any, students)
	for i := range students {
		rows[i] = []any{uuid.New(), uuid.MustParse(districtID), schoolIDs[i%schools], fmt.Sprintf("Student%d", i), "Bench",
			int16(9 + i%4), fmt.Sprintf("+1555%07d", i), "en", fmt.Sprintf("S%06d", i)}
	}
	_, err := st.Pool.CopyFrom(ctx, pgx.Identifier{"students"},
		[]string{"id", "district_id", "school_id", "first_name", "last_name", "grade", "phone", "language", "student_number"}, pgx.CopyFromRows(rows))
	must(err)
	_, err = st.Pool.Exec(ctx, `ANALYZE students`)
	must(err)
	d.scope = store.Scope{DistrictID: districtID}
	d.program, err = st.GetProgram(ctx, programID)
	must(err)
	return &d
}

func (d *district) request(key string) store.EnrolmentRequest {
	return store.EnrolmentRequest{Scope: d.scope, Filter: store.CandidateFilter{Program: d.program}, RequestKey: key,
		ActorKind: "staff", ActorRef: "test"}
}

func (d *district) count(tb testing.TB, q string, args ...any) int {
	tb.Helper()
	var n int
	if err := d.st.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// Two runners working the same batch at once, the same request made
// again, and a runner that crashed after opening journeys but before
// recording them: every student ends with exactly one journey and the
// batch counts each once.
func TestRunner_EveryStudentEnrolledOnce_ThroughRacesRepeatsAndACrash(t *testing.T) {
	ctx := context.Background()
	d := newDistrict(t, 120, 3)
	d.runner.Share = 25
	id, created, err := d.st.CreateEnrolment(ctx, d.request("form-1"))
	if err != nil || !created {
		t.Fatalf("create enrolment: %v (created %v)", err, created)
	}
	again, created, err := d.st.CreateEnrolment(ctx, d.request("form-1"))
	if err != nil || created || again != id {
		t.Fatalf("the same request again made batch %s (created %v, err %v), want %s", again, created, err, id)
	}
	// A crash: some students' journeys were opened, their items not settled.
	claim, err := d.st.ClaimEnrolment(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.st.CreateJourneys(ctx, d.program, claim.StudentIDs); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := d.runner.Drain(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()

	e, err := d.st.GetEnrolment(ctx, d.scope.DistrictID, id)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Done() || e.Total != 120 || e.Enrolled != 120 || e.Percent() != 100 {
		t.Fatalf("batch after two runners: %+v", e)
	}
	if n := d.count(t, `SELECT count(*) FROM journeys WHERE program_id = $1`, d.program.ID); n != 120 {
		t.Fatalf("%d journeys for 120 students", n)
	}
	// Nobody is left to enrol: a new request finds no one, and the list is empty.
	if _, _, err := d.st.CreateEnrolment(ctx, d.request("form-2")); err == nil {
		t.Fatal("a second request over enrolled students made a batch")
	}
	if _, total, err := d.st.Candidates(ctx, d.scope, store.CandidateFilter{Program: d.program}, 10); err != nil || total != 0 {
		t.Fatalf("candidates after enrolling everyone: %d (%v)", total, err)
	}
}

// Only the chosen students of the filter are enrolled, and a student of
// another district named in the request is not.
func TestCreateEnrolment_TakesOnlyChosenStudentsOfTheScope(t *testing.T) {
	ctx := context.Background()
	d := newDistrict(t, 12, 2)
	other := newDistrict(t, 1, 1)
	f := store.CandidateFilter{Program: d.program, Grade: 11}
	list, total, err := d.st.Candidates(ctx, d.scope, f, 100)
	if err != nil || total != 3 || len(list) != 3 {
		t.Fatalf("grade 11: %d candidates (%v)", total, err)
	}
	var stranger string
	if err := other.st.Pool.QueryRow(ctx, `SELECT id::text FROM students LIMIT 1`).Scan(&stranger); err != nil {
		t.Fatal(err)
	}
	req := d.request("chosen")
	req.Filter, req.StudentIDs = f, []string{list[0].StudentID, list[2].StudentID, stranger}
	id, _, err := d.st.CreateEnrolment(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.runner.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	e, _ := d.st.GetEnrolment(ctx, d.scope.DistrictID, id)
	if e.Total != 2 || e.Enrolled != 2 {
		t.Fatalf("chose 2 of grade 11 and a stranger: %+v", e)
	}
	if _, err := d.st.GetEnrolment(ctx, other.scope.DistrictID, id); err == nil {
		t.Fatal("another district reads the batch")
	}
}
