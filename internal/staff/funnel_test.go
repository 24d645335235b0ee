package staff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// TestDashboard_Funnel_CountsMicroInternshipsApart would have caught the
// funnel showing more students "Applied" than "Intern Ready": students of
// micro-internships apply without the badge, so they are counted in a
// funnel of their own.
func TestDashboard_Funnel_CountsMicroInternshipsApart(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var micro string
	if err := e.Pool.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year) VALUES ($1, 'Micro projects', 'micro', $2)
		RETURNING id`, e.f.District, time.Now().Year()+1).Scan(&micro); err != nil {
		t.Fatal(err)
	}
	// Two students placed in micro-internships (read-model rows as their journeys wrote them).
	for i := range 2 {
		st, err := e.Store.CreateStudent(ctx, store.Student{DistrictID: e.f.District, SchoolID: e.f.School,
			FirstName: fmt.Sprintf("Micro%d", i), LastName: "Student", Grade: 11})
		if err != nil {
			t.Fatal(err)
		}
		var j string
		if err := e.Pool.QueryRow(ctx, `INSERT INTO journeys (student_id, program_id, program_year, workflow_id)
			VALUES ($1, $2, $3, $4) RETURNING id`, st, micro, time.Now().Year()+1, "micro-"+st).Scan(&j); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Pool.Exec(ctx, `INSERT INTO journey_view (journey_id, student_id, district_id, school_id, program_id, stage,
			stage_since, survey_done_at, applied_at, placed_at, updated_seq)
			VALUES ($1, $2, $3, $4, $5, 'deliverable', now(), now(), now(), now(), 1)`, j, st, e.f.District, e.f.School, micro); err != nil {
			t.Fatal(err)
		}
	}
	page := e.signIn(t, adminEmail).Get("/staff")
	bar := func(label string, n int) string {
		return fmt.Sprintf(`<span class="step">%s</span><progress max="100" value="%d">%d%%</progress><span class="count">%d</span>`,
			label, 0, 0, n)
	}
	main, microPart, ok := strings.Cut(page.Body[strings.Index(page.Body, `id="funnel-h"`):], `id="micro-funnel"`)
	if !ok {
		t.Fatalf("no micro-internship funnel:\n%s", page.Body)
	}
	// The two fixture journeys are at the survey: nobody in the internship funnel applied.
	for _, want := range []string{bar("Intern Ready", 0), bar("Applied", 0)} {
		if !strings.Contains(main, want) {
			t.Errorf("internship funnel lacks %s:\n%s", want, main)
		}
	}
	for _, want := range []string{"Micro-internships", "<span class=\"step\">Applied</span><progress max=\"100\" value=\"100\">100%</progress><span class=\"count\">2</span>"} {
		if !strings.Contains(microPart, want) {
			t.Errorf("micro-internship funnel lacks %s:\n%s", want, microPart)
		}
	}
	if strings.Contains(microPart[:strings.Index(microPart, "</ol>")], `<span class="step">Intern Ready</span>`) {
		t.Error("the micro-internship funnel has an Intern Ready bar")
	}
	csv := e.signIn(t, adminEmail).Get("/staff/export/funnel.csv")
	if !strings.Contains(csv.Body, "Fixture High (micro-internships),2,2,,2,2,,,,0,0") {
		t.Errorf("funnel.csv:\n%s", csv.Body)
	}
}

// TestPostingForm_PathwaysAreTheSurveys would have caught postings tagged
// with pathways the survey does not offer ("Health Sciences" on one side,
// "Health Science and Medical Technology" on the other): the posting form
// offers the survey's list, keeps a pathway to it, and saves it under
// the sector's name.
func TestPostingForm_PathwaysAreTheSurveys(t *testing.T) {
	e := newEnv(t)
	ops := e.signIn(t, approverOps)
	form := postingForm()
	form.Set("pathway", "Basket weaving")
	r := ops.Action("/staff/employers/"+e.f.Employer+"/postings", form)
	if r.Status != 422 {
		t.Fatalf("posting with an unknown pathway: %d", r.Status)
	}
	has(t, r, "Choose one of the pathways (California&#39;s 15 industry sectors)", `<option value="Health Science and Medical Technology">`)
	form.Set("pathway", "Health Sciences")
	id := strings.TrimPrefix(redirectTo(t, ops.Action("/staff/employers/"+e.f.Employer+"/postings", form)), "/staff/postings/")
	has(t, ops.Get("/staff/postings/"+id), `name="pathway" value="Health Science and Medical Technology"`)
}
