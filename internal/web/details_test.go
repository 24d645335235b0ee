package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// An invited student opens the interview text's link and reads the
// employer's note (time, place) and the worksite's address; a declined
// application's page shows no note written for the coordinator.
func TestInterviewInvite_TextOpensPageWithEmployersNoteAndAddress(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	get(t, e.linkFor(studentPhone, "apply")).has(t, "Clinic assistant")
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID

	decide := e.mint("supervisor", e.f.Supervisor, "decide_application", app, nil, false)
	get(t, decide).has(t, "The student sees this note with an interview invite")
	post(t, decide, url.Values{"status": {"interview"}, "note": {"Tuesday June 3 at 10am, ask for Kim at the front desk"}}).
		has(t, "Saved")

	details := e.linkFor(studentPhone, "application_details", app)
	get(t, details).has(t, "Your application", "Clinic assistant", "Invited to interview",
		"Tuesday June 3 at 10am, ask for Kim at the front desk", "200 Oak Ave, Fresno, CA")
	es := get(t, details+"?lang=es")
	es.has(t, "Invitado a una entrevista", "Mensaje del empleador")

	post(t, decide, url.Values{"status": {"declined"}, "note": {"internal: weak references"}}).has(t, "Saved")
	page := get(t, e.linkFor(studentPhone, "application_details", app))
	page.has(t, "Not selected this time")
	if strings.Contains(page.body, "weak references") {
		t.Error("a declined application's page shows the employer's note to the coordinator")
	}
}
