package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
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

func (s *stack) do(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	if body != nil {
		_ = json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(method, s.URL+path, &buf)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

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
	studentID, err = st.CreateStudent(ctx, store.Student{DistrictID: d, SchoolID: sc, FirstName: "Test", LastName: "Student", Phone: "+15555550199"})
	if err != nil {
		t.Fatal(err)
	}
	return studentID, programID
}

// eventually polls until ok returns true or the deadline passes.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestEndToEnd_EnrollThenSurvey_ReadModelReflectsEachStep crosses every
// layer: HTTP → workflow on the real server → activity writes Postgres →
// HTTP read returns it.
func TestEndToEnd_EnrollThenSurvey_ReadModelReflectsEachStep(t *testing.T) {
	s := newStack(t)
	studentID, programID := seedStudent(t, s.Store)

	code, body := s.do(t, "POST", "/api/journeys", map[string]string{"student_id": studentID, "program_id": programID})
	if code != http.StatusCreated {
		t.Fatalf("enroll: %d %v", code, body)
	}
	journeyID := body["journey_id"].(string)

	var view map[string]any
	eventually(t, "the journey's read-model row", func() bool {
		code, view = s.do(t, "GET", "/api/journeys/"+journeyID, nil)
		return code == http.StatusOK
	})
	if view["stage"] != "survey" || view["waiting_on"] != "student" {
		t.Fatalf("new journey view = %v, want survey waiting on student", view)
	}

	survey := map[string]any{"pathway": "Engineering", "transport": "transit", "contact_consent": true}
	if code, body := s.do(t, "POST", "/api/journeys/"+journeyID+"/survey", survey); code != http.StatusOK {
		t.Fatalf("survey: %d %v", code, body)
	}
	_, view = s.do(t, "GET", "/api/journeys/"+journeyID, nil)
	if view["survey_done_at"] == nil {
		t.Fatalf("after the survey the read model shows no survey milestone: %v", view)
	}
	var pathway string
	if err := s.Pool.QueryRow(context.Background(), `SELECT pathway FROM survey_responses WHERE journey_id = $1`, journeyID).Scan(&pathway); err != nil || pathway != "Engineering" {
		t.Fatalf("survey response row: %q %v", pathway, err)
	}

	// A second submission is refused with a message the student can read.
	code, body = s.do(t, "POST", "/api/journeys/"+journeyID+"/survey", survey)
	if code != http.StatusUnprocessableEntity || body["error"] != "the survey was already submitted" {
		t.Fatalf("duplicate survey: %d %v", code, body)
	}
	// The student's invitation went out as a text carrying a link.
	if link := s.LastLink("+15555550199"); link == "" {
		t.Fatal("no survey link was texted to the student")
	}

}

func TestEnroll_Twice_ReturnsTheSameJourney(t *testing.T) {
	s := newStack(t)
	studentID, programID := seedStudent(t, s.Store)
	req := map[string]string{"student_id": studentID, "program_id": programID}
	_, first := s.do(t, "POST", "/api/journeys", req)
	code, second := s.do(t, "POST", "/api/journeys", req)
	if code != http.StatusOK || second["journey_id"] != first["journey_id"] || second["created"] != false {
		t.Fatalf("second enroll: %d %v, first %v", code, second, first)
	}
}

func TestAPI_BadInput_GetsClearJSONErrors(t *testing.T) {
	s := newStack(t)
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
		code, body := s.do(t, c.method, c.path, c.body)
		if code != c.want || body["error"] == nil || (c.field != "" && body["field"] != c.field) {
			t.Errorf("%s %s %v: %d %v, want %d field %q", c.method, c.path, c.body, code, body, c.want, c.field)
		}
	}
}

func TestReadyz_ReportsBothDependencies(t *testing.T) {
	s := newStack(t)
	code, body := s.do(t, "GET", "/readyz", nil)
	if code != 200 || body["postgres"] != "ok" || body["temporal"] != "ok" {
		t.Fatalf("readyz: %d %v", code, body)
	}
	s.Pool.Close()
	code, body = s.do(t, "GET", "/readyz", nil)
	if code != 503 || body["postgres"] != "unreachable" {
		t.Fatalf("readyz with postgres gone: %d %v", code, body)
	}
}
