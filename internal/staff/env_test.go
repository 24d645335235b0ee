package staff_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// Staff of the test district (the fixture's, plus school B's and the
// district admin) and of another district.
const (
	coachA      = "rivera@district.example.org" // fixture coordinator, school A
	issuerA     = "park@district.example.org"   // fixture permit issuer, school A
	approverOps = "osei@district.example.org"   // fixture MOU approver + district ops
	coachB      = "chen@district.example.org"
	adminEmail  = "admin@district.example.org"
	otherOps    = "ops@elsewhere.example.org"
)

// env is a running app with two schools of one district, a journey in
// each, and a second district whose ops must see none of it.
type env struct {
	*apptest.Stack
	f                  apptest.Fixture
	schoolB, studentB  string
	journeyA, journeyB string
	docB, mou          string
}

func newEnv(t *testing.T, configure ...func(*config.Config)) *env {
	t.Helper()
	s := apptest.New(t, apptest.Options{Configure: func(c *config.Config) {
		c.TemporalUIURL = "http://127.0.0.1:8233"
		for _, f := range configure {
			f(c)
		}
	}})
	e := &env{Stack: s, f: apptest.NewFixture(t, s.Store, `{}`)}
	ctx := context.Background()
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	e.schoolB = must(s.Store.CreateSchool(ctx, store.School{DistrictID: e.f.District, Name: "Second High"}))
	e.studentB = must(s.Store.CreateStudent(ctx, store.Student{DistrictID: e.f.District, SchoolID: e.schoolB,
		FirstName: "Bruno", LastName: "Silva", Grade: 12, Phone: "+15555550177"}))
	must(s.Store.CreateStaff(ctx, store.Staff{DistrictID: e.f.District, Name: "Coach Chen", Email: coachB,
		Roles: []store.StaffRole{{Role: "coordinator", SchoolID: e.schoolB}}}))
	must(s.Store.CreateStaff(ctx, store.Staff{DistrictID: e.f.District, Name: "Admin", Email: adminEmail,
		Roles: []store.StaffRole{{Role: "district_admin"}}}))
	other := must(s.Store.CreateDistrict(ctx, store.District{Name: "Elsewhere USD"}))
	must(s.Store.CreateStaff(ctx, store.Staff{DistrictID: other, Name: "Other Ops", Email: otherOps,
		Roles: []store.StaffRole{{Role: "district_ops"}, {Role: "district_admin"}, {Role: "mou_approver"}}}))
	e.journeyA = e.enroll(t, e.f.Student)
	e.journeyB = e.enroll(t, e.studentB)
	e.docB = apptest.Document(t, s.Store, e.journeyB, "resume")
	// An employer-signed MOU (its workflow is not running: these tests are about who may act).
	if err := s.Pool.QueryRow(ctx, `INSERT INTO mous (employer_id, program_year, workflow_id, status, employer_signed_at)
		VALUES ($1, 2030, 'mou-test', 'employer_signed', now()) RETURNING id`, e.f.Employer).Scan(&e.mou); err != nil {
		t.Fatal(err)
	}
	return e
}

// enroll opens a journey and waits for its read-model row.
func (e *env) enroll(t *testing.T, studentID string) string {
	t.Helper()
	en, err := e.Journeys.Enroll(context.Background(), studentID, e.f.Program)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the journey's read-model row", func() bool {
		_, err := e.Store.GetJourneyView(context.Background(), en.Journey.ID)
		return err == nil
	})
	return en.Journey.ID
}

func (e *env) signIn(t *testing.T, email string) *stafftest.Client {
	t.Helper()
	return stafftest.SignIn(t, e.Stack, email)
}

// auditCount counts audit rows of an action by a staff email.
func (e *env) auditCount(t *testing.T, email, action, entityID string) int {
	t.Helper()
	var n int
	err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log a JOIN staff s ON s.id::text = a.actor_ref
		WHERE s.email = $1 AND a.action = $2 AND ($3 = '' OR a.entity_id = $3)`, email, action, entityID).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// exec runs SQL against the test database.
func (e *env) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := e.Pool.Exec(context.Background(), q, args...); err != nil {
		t.Fatal(err)
	}
}

func has(t *testing.T, r stafftest.Response, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.Body, w) {
			t.Fatalf("page (%d) lacks %q:\n%s", r.Status, w, r.Body)
		}
	}
}

// eventually waits for the event (testenv.Eventually).
var eventually = testenv.Eventually

// rendered renders the messages query selects (message id, key) through
// the dispatcher's renderer, as each person reads them, by key; two
// messages for one key fail the test.
func (e *env) rendered(t *testing.T, query string, args ...any) map[string]string {
	t.Helper()
	rows, err := e.Pool.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		id  int64
		key string
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		return x, r.Scan(&x.id, &x.key)
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range all {
		msg, err := messaging.RenderStored(context.Background(), e.Pool, e.DispatcherConfig(), r.id)
		if err != nil {
			t.Fatal(err)
		}
		if _, twice := out[r.key]; twice {
			t.Fatalf("two messages for %s", r.key)
		}
		out[r.key] = msg.Text
	}
	return out
}
