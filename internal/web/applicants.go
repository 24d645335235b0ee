package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/internflow/internflow/workflows"
)

// The employer's applicants page: one multi-use link (action
// "employer_applicants", person: the employer) lists every application to
// the employer's postings, and each can be moved along from there. Each
// move is an update on that student's journey, exactly as the single
// application page (decide.go) sends it.

// applicantRow is one application as the employer sees it: enough to
// decide, no contact details (the district stays in the loop).
type applicantRow struct {
	ID, JourneyID, Status, StatusLabel, PostingTitle string
	FirstName, School, Pathway, Age                  string
	Grade                                            int
	HasResume, HasCoverLetter                        bool
	Next                                             []option
}

// maxApplicants bounds the page; an employer with more open applications
// than this has a conversation with the district, not a longer page.
const maxApplicants = 300

// employerApplicants lists the applications of open journeys to the
// link's employer's postings: those waiting for a decision first, oldest
// first (the longest wait is the most urgent).
func (p *Pages) employerApplicants(ctx context.Context, c *call) ([]applicantRow, error) {
	list, err := p.Store.EmployerApplicants(ctx, c.link.PersonRef, maxApplicants)
	if err != nil {
		return nil, err
	}
	now := p.Now()
	out := make([]applicantRow, 0, len(list))
	for _, e := range list {
		a := applicantRow{ID: e.ID, JourneyID: e.JourneyID, Status: e.Status, PostingTitle: e.PostingTitle,
			FirstName: e.FirstName, School: e.School, Grade: e.Grade, Pathway: e.Pathway, HasResume: e.HasResume,
			HasCoverLetter: e.HasCoverLetter}
		a.StatusLabel, a.Age = c.lang.T("appstatus."+a.Status), c.lang.age(now.Sub(e.Applied))
		for _, s := range nextStatuses[a.Status] {
			a.Next = append(a.Next, option{Value: s, Label: c.lang.T("decide.to_" + s)})
		}
		out = append(out, a)
	}
	return out, nil
}

// age says how long ago an application came in, in days.
func (l Lang) age(d time.Duration) string {
	switch days := int(d.Hours() / 24); {
	case days < 1:
		return l.T("applicants.today")
	case days == 1:
		return l.T("applicants.one_day")
	default:
		return l.Tf("applicants.days", days)
	}
}

func (p *Pages) formApplicants(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	list, err := p.employerApplicants(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list applicants", err)
		return
	}
	p.showForm(w, r, c, "applicants", errs, list)
}

// submitApplicants moves one application (the button pressed) to a new
// status on the student's journey. The update id is derived from the
// link, the application and the status, so a double tap is one change
// and one text to the student.
func (p *Pages) submitApplicants(w http.ResponseWriter, r *http.Request, c *call) {
	list, err := p.employerApplicants(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list applicants", err)
		return
	}
	id, status := r.PostForm.Get("application"), r.PostForm.Get("status")
	// Only this employer's applications can be reached, whatever the form says.
	i := slices.IndexFunc(list, func(a applicantRow) bool { return a.ID == id })
	if i < 0 || !slices.Contains([]string{"reviewing", "interview", "offer", "declined"}, status) {
		p.showForm(w, r, c, "applicants", formErrors{"": c.lang.T("applicants.choose")}, list)
		return
	}
	a := list[i]
	key := updateID(c, "applicants", a.ID, status)
	in := workflows.DecisionInput{By: c.actor(), ApplicationID: a.ID, Status: status}
	ctx, cancel := context.WithTimeout(r.Context(), updateTimeout)
	err = p.Journeys.DecideApplication(ctx, a.JourneyID, key, in)
	cancel()
	p.outcome(w, r, c, err, key, nil, func(e formErrors) {
		e[""] = a.FirstName + " (" + a.PostingTitle + "): " + e[""]
		p.formApplicants(w, r, c, e)
	}, doneView{Body: c.lang.Tf("applicants.done", a.FirstName, c.lang.T("appstatus."+status)), Back: c.action()})
}

// applicantFile is the resume or cover letter of one of the employer's
// applicants ("" if none, or not this employer's). withdrawn is true when
// the application exists but the student withdrew it (or their journey
// ended): the employer no longer gets their documents, as the list no
// longer shows them.
func (p *Pages) applicantFile(ctx context.Context, c *call, kind, applicationID string) (id string, withdrawn bool) {
	if (kind != "resume" && kind != "cover_letter") || uuid.Validate(applicationID) != nil {
		return "", false
	}
	journeyID, open, err := p.Store.ApplicantJourney(ctx, applicationID, c.link.PersonRef)
	if err != nil {
		return "", false
	}
	if !open {
		return "", true
	}
	return p.badgeDocument(ctx, journeyID, kind), false
}
