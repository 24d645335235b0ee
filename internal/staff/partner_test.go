package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	storyA = "The nurses let me shadow intake. Best summer job I have had."
	storyB = "Too much filing, but my supervisor was kind."
)

// placeAtClinic gives journeys A (school A, completed, 100 hours, rated
// by Dr. Kim) and B (school B, working, 40 hours) a placement at the
// fixture's clinic, with the students' reflections, and an older MOU
// beside the env's 2030 one.
func (e *env) placeAtClinic(t *testing.T) {
	t.Helper()
	for _, j := range []string{e.journeyA, e.journeyB} {
		e.exec(t, `INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required)
			VALUES ($1, $2, $3, 'employer_paid', 100)`, j, e.f.Posting, e.f.Employer)
	}
	e.exec(t, `UPDATE journeys SET status = 'completed', closed_at = now() WHERE id = $1`, e.journeyA)
	e.exec(t, `UPDATE journey_view SET hours_approved = 100 WHERE journey_id = $1`, e.journeyA)
	e.exec(t, `UPDATE journey_view SET hours_approved = 40.5 WHERE journey_id = $1`, e.journeyB)
	e.exec(t, `INSERT INTO employer_feedback (journey_id, ratings, comment, supervisor_id, submitted_at)
		VALUES ($1, '{"communication":5,"reliability":4,"teamwork":5,"initiative":3,"professionalism":5}', 'Great', $2, now())`,
		e.journeyA, e.f.Supervisor)
	e.exec(t, `INSERT INTO reflections (journey_id, body, submitted_at, recommend, comment)
		VALUES ($1, 'I learned to check in patients.', now(), 5, $2)`, e.journeyA, storyA)
	e.exec(t, `INSERT INTO reflections (journey_id, body, submitted_at, recommend, comment)
		VALUES ($1, 'I learned to file records.', now(), 2, $2)`, e.journeyB, storyB)
	e.exec(t, `INSERT INTO mous (employer_id, program_year, workflow_id, status, employer_signed_at, approved_at, implementation_date, expires_on)
		VALUES ($1, 2029, 'mou-test-2029', 'expired', '2029-03-02', '2029-03-09', '2029-06-15', '2029-08-31')`, e.f.Employer)
}

// District ops read the employer's whole partner record: by program year
// placements, completions, approved hours, the supervisors' ratings and
// the students' recommendation; every student comment; every MOU.
// Postings show the score too. Another district's staff see nothing.
func TestEmployerPage_PartnerRecord_WhatOpsSee(t *testing.T) {
	e := newEnv(t)
	e.placeAtClinic(t)
	ops := e.signIn(t, approverOps)
	page := ops.Get("/staff/employers/" + e.f.Employer)
	has(t, page, "Partner record", `<tr id="partner-`+yearOf(e)+`">`,
		`<td data-label="Placements">2</td>`, `<td data-label="Completed">1</td>`, `<td data-label="Approved hours">140.5</td>`,
		"4.4 of 5 (1 intern rated)", "Communication 5 · Reliability 4 · Teamwork 5 · Initiative 3 · Professionalism 5",
		"3.5 of 5 (2 students)", storyA, storyB, "recommends 5 of 5", "Fixture High", "Second High",
		`<tr id="mou-2030">`, `<tr id="mou-2029">`, "Signed by the employer: waiting for district approval", "Expired",
		"Jun 15, 2029", "Aug 31, 2029", "Students recommend this employer: <strong>3.5 of 5 (2 students)</strong>")
	has(t, ops.Get("/staff/postings/"+e.f.Posting), "Students recommend Valley Clinic: <strong>3.5 of 5 (2 students)</strong>")
	has(t, ops.Get("/staff/employers"), "3.5 of 5 (2 students)")

	other := e.signIn(t, otherOps)
	if r := other.Get("/staff/employers/" + e.f.Employer); r.Status != http.StatusNotFound || strings.Contains(r.Body, storyA) {
		t.Fatalf("another district's ops: %d", r.Status)
	}
	if r := other.Action("/staff/employers/"+e.f.Employer+"/stories/"+e.journeyA, url.Values{"story": {"1"}}); r.Status != http.StatusNotFound {
		t.Fatalf("another district's ops marking a story: %d", r.Status)
	}
}

// A coordinator reads the district's figures but only their own
// students' comments, until staff mark one a story to share; marking is
// audited, and a coordinator cannot mark another school's comment.
func TestEmployerPage_PartnerRecord_CoordinatorSeesTheirStudentsAndStories(t *testing.T) {
	e := newEnv(t)
	e.placeAtClinic(t)
	coach := e.signIn(t, coachB)
	page := coach.Get("/staff/employers/" + e.f.Employer)
	has(t, page, "3.5 of 5 (2 students)", storyB, "Mark as a story to share")
	if strings.Contains(page.Body, storyA) {
		t.Fatal("a school B coordinator reads a school A student's comment")
	}
	if r := coach.Action("/staff/employers/"+e.f.Employer+"/stories/"+e.journeyA, url.Values{"story": {"1"}}); r.Status != http.StatusNotFound {
		t.Fatalf("marking another school's comment: %d", r.Status)
	}

	ops := e.signIn(t, approverOps)
	has(t, follow(t, ops, ops.Action("/staff/employers/"+e.f.Employer+"/stories/"+e.journeyA, url.Values{"story": {"1"}})),
		"Marked as a story staff may share.", "Story</span> marked by Mr. Osei")
	if n := e.auditCount(t, approverOps, "story_marked", e.journeyA); n != 1 {
		t.Fatalf("story_marked audit rows: %d", n)
	}
	page = coach.Get("/staff/employers/" + e.f.Employer)
	has(t, page, storyA, "Story</span>")
	if strings.Contains(page.Body, `/staff/students/`+e.journeyA) {
		t.Error("the coordinator gets a link to another school's student")
	}

	has(t, follow(t, ops, ops.Action("/staff/employers/"+e.f.Employer+"/stories/"+e.journeyA, url.Values{"story": {"0"}})),
		"No longer marked as a story.")
	if n := e.auditCount(t, approverOps, "story_unmarked", e.journeyA); n != 1 {
		t.Fatalf("story_unmarked audit rows: %d", n)
	}
	if strings.Contains(coach.Get("/staff/employers/"+e.f.Employer).Body, storyA) {
		t.Error("an unmarked story is still shown to another school")
	}
}

// A returning employer's next MOU starts from its last one: the draft
// form is pre-filled and marks what it carried over; staff change what no
// longer holds; the MOU's document states the terms and the page says
// which were carried over. An MOU started without the form (a journey at
// the MOU gate) carries every term over.
func TestEmployerPage_ReturningEmployerMOU_StartsPrefilled(t *testing.T) {
	e := newEnv(t)
	year := yearOf(e)
	last, _ := strconv.Atoi(year)
	last--
	e.exec(t, `INSERT INTO mous (employer_id, program_year, workflow_id, status, terms, expires_on)
		VALUES ($1, $2, 'mou-test-last', 'expired', '{"interns":3,"worksites":"Main clinic, 200 Oak Ave","signer_name":"Ana Ruiz","signer_title":"Director"}', $3)`,
		e.f.Employer, last, fmt.Sprintf("%d-08-31", last))
	ops := e.signIn(t, approverOps)
	page := ops.Get("/staff/employers/" + e.f.Employer + "?year=" + year)
	has(t, page, fmt.Sprintf("Starts from the %d MOU", last), `name="interns" value="3"`, `value="Main clinic, 200 Oak Ave"`,
		`value="Ana Ruiz"`, `value="Director"`, fmt.Sprintf(`<span class="tag">from %d</span>`, last))

	// A bad number comes back by its field, with what was typed.
	form := url.Values{"year": {year}, "interns": {"900"}, "worksites": {"Main clinic, 200 Oak Ave"}, "signer_name": {"Ana Ruiz"},
		"signer_title": {"Director"}}
	r := ops.Action("/staff/employers/"+e.f.Employer+"/mou", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("900 interns: %d", r.Status)
	}
	has(t, r, "Give the number of interns planned, from 0 to 500.", `name="interns" value="900"`, `value="Ana Ruiz"`)

	form.Set("interns", "4")
	has(t, follow(t, ops, ops.Action("/staff/employers/"+e.f.Employer+"/mou", form)), "MOU for "+year+" drafted")
	var carried []string
	var from int
	if err := e.Pool.QueryRow(context.Background(), `SELECT m.carried_fields, prev.program_year FROM mous m JOIN mous prev ON prev.id = m.carried_from
		WHERE m.employer_id = $1 AND m.program_year = $2`, e.f.Employer, year).Scan(&carried, &from); err != nil {
		t.Fatal(err)
	}
	if from != last || strings.Join(carried, ",") != "worksites,signer_name,signer_title" {
		t.Fatalf("carried from %d: %v", from, carried)
	}
	var doc string
	eventually(t, "the MOU's document", func() bool {
		_ = e.Pool.QueryRow(context.Background(), `SELECT convert_from(d.bytes, 'UTF8') FROM mous m JOIN documents d ON d.id = m.document_id
			WHERE m.employer_id = $1 AND m.program_year = $2`, e.f.Employer, year).Scan(&doc)
		return doc != ""
	})
	for _, want := range []string{"Interns planned: 4", "Worksites: Main clinic, 200 Oak Ave", "Signing for the Employer: Ana Ruiz, Director"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the MOU document lacks %q:\n%s", want, doc)
		}
	}
	has(t, ops.Get("/staff/employers/"+e.f.Employer+"?year="+year), `<dd id="mou-interns">4</dd>`,
		fmt.Sprintf("From the %d MOU: worksites, signer&#39;s name, signer&#39;s title.", last), fmt.Sprintf("(carried over from %d)", last))
	if n := e.auditCount(t, approverOps, "mou_terms_set", ""); n != 1 {
		t.Fatalf("mou_terms_set audit rows: %d", n)
	}

	// Next year's MOU drafted by the workflow alone carries every term.
	next := last + 2
	if _, err := e.Store.PrepareMOU(context.Background(), e.f.Employer, next, fmt.Sprintf("mou-test-%d", next), time.Now()); err != nil {
		t.Fatal(err)
	}
	terms, err := e.Store.EmployerMOUTerms(context.Background(), e.f.Employer, next)
	if err != nil {
		t.Fatal(err)
	}
	if terms.Terms.Interns != 4 || terms.CarriedFrom != last+1 || len(terms.CarriedFields) != 4 {
		t.Fatalf("the workflow's own draft: %+v", terms)
	}
}
