package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// stack is the whole app on the real dev server and a fresh database.
type stack struct {
	*apptest.Stack
}

func newStack(t *testing.T) *stack { return newStackScaled(t, 1) }

// newStackScaled compresses every program duration by scale (a day lasts
// 86400/scale seconds).
func newStackScaled(t *testing.T, scale float64) *stack {
	return &stack{apptest.New(t, apptest.Options{TimeScale: scale})}
}

const (
	coordinatorEmail = "coach@e2e.example.org"
	studentPhone     = "+15555550199"
)

// seedStudent creates a district with a school, a program, a student and
// the school's coordinator.
func seedStudent(t *testing.T, st *store.Store) (studentID, programID string) {
	t.Helper()
	ctx := context.Background()
	d, _ := st.CreateDistrict(ctx, store.District{Name: "E2E"})
	// No quiet hours, so the text goes out whatever time the test runs.
	if _, err := st.Pool.Exec(ctx, `UPDATE districts SET quiet_start = 0, quiet_end = 0 WHERE id = $1`, d); err != nil {
		t.Fatal(err)
	}
	sc, _ := st.CreateSchool(ctx, store.School{DistrictID: d, Name: "E2E High"})
	programID, err := st.CreateProgram(ctx, store.Program{DistrictID: d, Name: "Summer", Kind: "summer_paid", ProgramYear: 2027})
	if err != nil {
		t.Fatal(err)
	}
	studentID, err = st.CreateStudent(ctx, store.Student{DistrictID: d, SchoolID: sc, FirstName: "Test", LastName: "Student", Phone: studentPhone})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateStaff(ctx, store.Staff{DistrictID: d, Name: "Coach", Email: coordinatorEmail,
		Roles: []store.StaffRole{{Role: "coordinator", SchoolID: sc}}}); err != nil {
		t.Fatal(err)
	}
	return studentID, programID
}

// api sends a JSON request as the signed-in coordinator.
func api(t *testing.T, c *stafftest.Client, method, path string, body any) (int, map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	if body == nil {
		raw = nil
	}
	resp := c.JSON(method, path, string(raw))
	var out map[string]any
	_ = json.Unmarshal([]byte(resp.Body), &out)
	return resp.Status, out
}

// TestEndToEnd_EnrollThenSurvey_ReadModelReflectsEachStep crosses every
// layer: a signed-in coordinator enrols over HTTP → workflow on the real
// server → activity writes Postgres → HTTP read returns it; the student
// answers the survey from the texted link, and the read shows that too.
func TestEndToEnd_EnrollThenSurvey_ReadModelReflectsEachStep(t *testing.T) {
	s := newStack(t)
	studentID, programID := seedStudent(t, s.Store)
	coach := stafftest.SignIn(t, s.Stack, coordinatorEmail)

	code, body := api(t, coach, "POST", "/api/journeys", map[string]string{"student_id": studentID, "program_id": programID})
	if code != http.StatusCreated {
		t.Fatalf("enroll: %d %v", code, body)
	}
	journeyID := body["journey_id"].(string)

	var view map[string]any
	eventually(t, "the journey's read-model row", func() bool {
		code, view = api(t, coach, "GET", "/api/journeys/"+journeyID, nil)
		return code == http.StatusOK
	})
	if view["stage"] != "survey" || view["waiting_on"] != "student" {
		t.Fatalf("new journey view = %v, want survey waiting on student", view)
	}

	// The invitation went out as a text carrying the survey link.
	link := s.LastLink(studentPhone)
	if link == "" {
		t.Fatal("no survey link was texted to the student")
	}
	student := stafftest.Anonymous(t, s.Stack)
	survey := url.Values{"pathway": {"Engineering and Architecture"}, "transport": {"transit"}, "contact_consent": {"yes"}}
	if r := student.PostForm(link, survey); r.Status != http.StatusOK {
		t.Fatalf("survey from the link: %d\n%s", r.Status, r.Body)
	}
	_, view = api(t, coach, "GET", "/api/journeys/"+journeyID, nil)
	if view["survey_done_at"] == nil {
		t.Fatalf("after the survey the read model shows no survey milestone: %v", view)
	}
	var pathway string
	if err := s.Pool.QueryRow(context.Background(), `SELECT pathway FROM survey_responses WHERE journey_id = $1`, journeyID).Scan(&pathway); err != nil || pathway != "Engineering and Architecture" {
		t.Fatalf("survey response row: %q %v", pathway, err)
	}
	// The link worked once; a second submission is refused.
	if r := student.PostForm(link, survey); r.Status != http.StatusGone {
		t.Fatalf("second survey from the same link: %d", r.Status)
	}
}

func TestEnroll_Twice_ReturnsTheSameJourney(t *testing.T) {
	s := newStack(t)
	studentID, programID := seedStudent(t, s.Store)
	coach := stafftest.SignIn(t, s.Stack, coordinatorEmail)
	req := map[string]string{"student_id": studentID, "program_id": programID}
	_, first := api(t, coach, "POST", "/api/journeys", req)
	code, second := api(t, coach, "POST", "/api/journeys", req)
	if code != http.StatusOK || second["journey_id"] != first["journey_id"] || second["created"] != false {
		t.Fatalf("second enroll: %d %v, first %v", code, second, first)
	}
}

func TestAPI_BadInput_GetsClearJSONErrors(t *testing.T) {
	s := newStack(t)
	seedStudent(t, s.Store)
	coach := stafftest.SignIn(t, s.Stack, coordinatorEmail)
	cases := []struct {
		method, path string
		body         any
		want         int
		field        string
	}{
		{"POST", "/api/journeys", map[string]string{"student_id": "nope"}, 400, "student_id"},
		{"POST", "/api/journeys", map[string]string{"student_id": "00000000-0000-0000-0000-000000000001", "program_id": "00000000-0000-0000-0000-000000000002"}, 404, ""},
		{"POST", "/api/journeys", map[string]any{"studnet_id": 1}, 400, "studnet_id"},
		{"GET", "/api/journeys/not-a-uuid", nil, 404, ""},
	}
	for _, c := range cases {
		code, body := api(t, coach, c.method, c.path, c.body)
		if code != c.want || body["error"] == nil || (c.field != "" && body["field"] != c.field) {
			t.Errorf("%s %s %v: %d %v, want %d field %q", c.method, c.path, c.body, code, body, c.want, c.field)
		}
	}
}

func TestReadyz_ReportsBothDependencies(t *testing.T) {
	s := newStack(t)
	anon := stafftest.Anonymous(t, s.Stack)
	r := anon.Get("/readyz")
	var body map[string]any
	_ = json.Unmarshal([]byte(r.Body), &body)
	if r.Status != 200 || body["postgres"] != "ok" || body["temporal"] != "ok" {
		t.Fatalf("readyz: %d %v", r.Status, body)
	}
	s.Pool.Close()
	r = anon.Get("/readyz")
	_ = json.Unmarshal([]byte(r.Body), &body)
	if r.Status != 503 || body["postgres"] != "unreachable" {
		t.Fatalf("readyz with postgres gone: %d %v", r.Status, body)
	}
}

// eventually waits for the event (testenv.Eventually).
var eventually = testenv.Eventually
