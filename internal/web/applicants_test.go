package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// employerLink mints an employer's applicants link as the staff's email
// does: bound to the employer, no journey, usable many times.
func (e *env) employerLink(employerID string) string {
	e.t.Helper()
	_, tok, err := e.Links.Create(context.Background(), e.Pool, links.Spec{PersonKind: "employer", PersonRef: employerID,
		Action: "employer_applicants", SubjectRef: employerID})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.URL + "/l/" + tok
}

// An employer's applicants link reaches that employer's applications
// only: another employer's link neither lists nor moves them, nor serves
// the resume. The employer's own link declines, and the student hears.
func TestApplicantsPage_OnlyTheEmployersOwnApplications(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID

	other, err := e.Store.CreateEmployer(context.Background(), store.Employer{DistrictID: e.f.District, Name: "Other Co",
		ContactEmail: "jobs@other.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	stranger := e.employerLink(other)
	get(t, stranger).has(t, "Your applicants", "No applications yet.")
	r := post(t, stranger, url.Values{"application": {app}, "status": {"offer"}})
	if r.status != 422 {
		t.Fatalf("another employer moving the application: %d", r.status)
	}
	r.has(t, "Choose an application from the list")
	if res := get(t, stranger+"/file/resume?application="+app); res.status != 404 {
		t.Fatalf("another employer downloading the resume: %d", res.status)
	}
	if st := e.status().Applications[0].Status; st != "submitted" {
		t.Fatalf("application after the stranger's tries: %s", st)
	}

	own := e.employerLink(e.f.Employer)
	get(t, own+"?lang=es").has(t, "Sus postulantes", "Maya", "Clinic assistant", "Enviada", "se postuló hoy")
	post(t, own, url.Values{"application": {app}, "status": {"declined"}}).has(t, "Saved: Maya — Declined.")
	eventually(t, "the text telling the student", func() bool {
		e.Drain()
		for _, m := range e.Twilio.Messages() {
			if m.To == studentPhone && strings.Contains(m.Body, "Clinic assistant: not selected") {
				return true
			}
		}
		return false
	})
	page := get(t, own)
	page.has(t, "Declined")
	if strings.Contains(page.body, `name="status"`) {
		t.Error("a declined application still offers decisions")
	}
	if _, _, uses := e.linkState(own); uses != 1 {
		t.Errorf("the applicants link after one decision: %d uses", uses)
	}
	get(t, own).has(t, "Your applicants") // still open: it is not single-use
}

// Once the student withdraws, the employer's applicants link no longer
// serves their resume: a plain 410 says the documents are no longer shared.
func TestApplicantsPage_WithdrawnStudentsResumeIsRefused(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID
	own := e.employerLink(e.f.Employer)
	if r := get(t, own+"/file/resume?application="+app); r.status != 200 {
		t.Fatalf("the resume before withdrawal: %d", r.status)
	}

	e.update(workflows.UpdateWithdraw, workflows.WithdrawInput{By: coord(e.f), Reason: "Student withdrew"})
	eventually(t, "the journey closed", func() bool {
		return e.count(`SELECT count(*) FROM journeys WHERE id = $1 AND status <> 'open'`, e.journey) == 1
	})
	r := get(t, own+"/file/resume?application="+app)
	if r.status != 410 {
		t.Fatalf("the resume after the student withdrew: %d, want 410", r.status)
	}
	r.has(t, "This student withdrew the application, so their documents are no longer shared.")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("answered with %q, want the message page", ct)
	}
}
