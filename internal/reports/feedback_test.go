package reports_test

import (
	"context"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/store"
)

// said records, on the standard journeys, the supervisors' feedback and
// the students' reflections: j1, j2 and j6 (2027, Mercy Hospital; j6 at
// Brown Academy), j8 (2026) and x1 (another district).
func (f *fixture) said() {
	f.t.Helper()
	feedback := func(j, ratings, comment, at string) {
		f.exec(`INSERT INTO employer_feedback (journey_id, ratings, comment, submitted_at) VALUES ($1, $2, $3, $4)`,
			f.journeys[j], ratings, comment, at)
	}
	feedback("j1", `{"communication": 5, "reliability": 4, "teamwork": 5, "initiative": 3, "professionalism": 5}`, "Great with patients", "2027-08-01T10:00:00Z")
	feedback("j2", `{"communication": 3, "reliability": 4, "teamwork": 3, "initiative": 3, "professionalism": 4}`, " ", "2027-08-02T10:00:00Z")
	feedback("j6", `{"communication": 1, "reliability": 2, "teamwork": 1, "initiative": 1, "professionalism": 1}`, "Late often", "2027-08-03T10:00:00Z")
	feedback("j8", `{"communication": 4, "reliability": 4, "teamwork": 4, "initiative": 4, "professionalism": 4}`, "Solid", "2026-08-01T10:00:00Z")
	feedback("x1", `{"communication": 1, "reliability": 1, "teamwork": 1, "initiative": 1, "professionalism": 1}`, "OTHER DISTRICT", "2027-08-01T10:00:00Z")
	for _, j := range []string{"j1", "j6", "j8", "x1"} {
		f.exec(`INSERT INTO reflections (journey_id, body, submitted_at) VALUES ($1, 'I learned a lot at the hospital.', now())`, f.journeys[j])
	}
}

func TestFeedbackByEmployer_RatingsReflectionsAndCommentsPerEmployerAndYear(t *testing.T) {
	f := newFixture(t)
	f.standard()
	f.said()
	rows, err := f.q.FeedbackByEmployer(context.Background(), f.wholeDistrict(), allYears)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("rows = %+v, want Mercy Hospital 2027 and 2026", rows)
	}
	r27, r26 := rows[0], rows[1]
	if r27.Employer != "Mercy Hospital" || r27.ProgramYear != 2027 || r27.Placements != 4 || r27.Feedback != 3 || r27.Reflections != 2 ||
		strings.Join(r27.Comments, "|") != "Great with patients|Late often" {
		t.Errorf("2027 = %+v", r27)
	}
	for i, want := range []float64{3, 10.0 / 3, 3, 7.0 / 3, 10.0 / 3} {
		if math.Abs(r27.Averages[i]-want) > 1e-9 {
			t.Errorf("2027 average %d = %v, want %v", i, r27.Averages[i], want)
		}
	}
	if r26.ProgramYear != 2026 || r26.Placements != 1 || r26.Feedback != 1 || r26.Reflections != 1 || r26.Averages[0] != 4 {
		t.Errorf("2026 = %+v", r26)
	}

	// A coordinator of Adams High sees Adams High's placements only.
	adams, err := f.q.FeedbackByEmployer(context.Background(), store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolA}}, year2027)
	if err != nil {
		t.Fatal(err)
	}
	if len(adams) != 1 || adams[0].Placements != 3 || adams[0].Feedback != 2 || adams[0].Reflections != 1 || adams[0].Averages[0] != 4 ||
		strings.Join(adams[0].Comments, "|") != "Great with patients" {
		t.Errorf("Adams High's coordinator sees %+v", adams)
	}
	// Brown Academy's coordinator sees Brown's one placement and its comment.
	brown, _ := f.q.FeedbackByEmployer(context.Background(), store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolB}}, year2027)
	if len(brown) != 1 || brown[0].Placements != 1 || strings.Join(brown[0].Comments, "|") != "Late often" {
		t.Errorf("Brown Academy's coordinator sees %+v", brown)
	}
}

func TestFeedbackByEmployer_CSVAndPage(t *testing.T) {
	f := newFixture(t)
	f.standard()
	f.said()
	scope := f.wholeDistrict()
	rec := f.get("/reports/feedback-by-employer.csv?year=2027", &scope)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), `filename="feedback-by-employer-2027.csv"`) {
		t.Fatalf("csv: %d %v", rec.Code, rec.Header())
	}
	want := "employer,program year,placements,feedback given,avg communication,avg reliability,avg teamwork,avg initiative,avg professionalism,reflections,comments\n" +
		"Mercy Hospital,2027,4,3,3,3.33,3,2.33,3.33,2,Great with patients | Late often\n"
	if rec.Body.String() != want {
		t.Fatalf("csv =\n%s\nwant\n%s", rec.Body, want)
	}
	// Before anyone gave feedback the averages are blank, not zero.
	f.exec(`DELETE FROM employer_feedback`)
	rec = f.get("/reports/feedback-by-employer.csv?year=2026", &scope)
	if !strings.Contains(rec.Body.String(), "Mercy Hospital,2026,1,0,,,,,,1,\n") {
		t.Fatalf("csv without feedback =\n%s", rec.Body)
	}
	page := f.get("/reports?year=2027", &scope).Body.String()
	if !strings.Contains(page, "Employer feedback and reflections by employer") || strings.Contains(page, "OTHER DISTRICT") {
		t.Errorf("the reports page lacks the feedback report or shows another district's")
	}
	coordinator := store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolA}}
	f.exec(`INSERT INTO employer_feedback (journey_id, ratings, comment, submitted_at) VALUES ($1, '{}', 'Late often', now())`, f.journeys["j6"])
	if body := f.get("/reports/feedback-by-employer.csv", &coordinator).Body.String(); strings.Contains(body, "Late often") {
		t.Errorf("Adams High's coordinator exports Brown Academy's comments:\n%s", body)
	}
}
