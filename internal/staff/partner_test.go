package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
