package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/internflow/internflow/workflows"
)

// applicant is what an employer sees of an application: enough to decide,
// no contact details (the district stays in the loop).
type applicant struct {
	Status, PostingTitle, FirstName, School, Pathway string
	Grade                                            int
	Interests                                        []string
	HasResume, HasCoverLetter                        bool
	Next                                             []option
}

// nextStatuses mirror the journey's rules (workflows/applying.go): what an
// employer may move an application to from each status.
var nextStatuses = map[string][]string{
	"submitted": {"reviewing", "interview", "offer", "declined"},
	"reviewing": {"interview", "offer", "declined"},
	"interview": {"offer", "declined"},
	"offer":     {"declined"},
}

// loadApplicant reads the link's application (it must be on the link's
// journey).
func (p *Pages) loadApplicant(ctx context.Context, c *call) (applicant, error) {
	var a applicant
	row, err := p.Store.LinkApplicant(ctx, c.link.SubjectRef, c.j.ID)
	if err != nil {
		return a, err
	}
	a.Status, a.PostingTitle, a.FirstName, a.School = row.Status, row.PostingTitle, row.FirstName, row.School
	a.Pathway, a.Interests = row.Pathway, row.Interests
	preferred, grade := row.Preferred, row.Grade
	if preferred != "" {
		a.FirstName = preferred
	}
	if grade != nil {
		a.Grade = int(*grade)
	}
	for i, code := range a.Interests {
		a.Interests[i] = c.lang.T("interest." + code)
	}
	a.HasResume = p.badgeDocument(ctx, c.j.ID, "resume") != ""
	a.HasCoverLetter = p.badgeDocument(ctx, c.j.ID, "cover_letter") != ""
	for _, s := range nextStatuses[a.Status] {
		a.Next = append(a.Next, option{Value: s, Label: c.lang.T("decide.to_" + s)})
	}
	a.Status = c.lang.T("appstatus." + a.Status)
	return a, nil
}

// badgeDocument is the document the journey last accepted as the
// student's resume or cover letter (from its timeline: uploads the
// journey refused are not the student's badge).
func (p *Pages) badgeDocument(ctx context.Context, journeyID, kind string) string {
	return p.Store.BadgeDocument(ctx, journeyID, kind)
}

func (p *Pages) formDecide(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	a, err := p.loadApplicant(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load application", err)
		return
	}
	p.showForm(w, r, c, "decide", errs, a)
}

func (p *Pages) submitDecide(w http.ResponseWriter, r *http.Request, c *call) {
	status := r.PostForm.Get("status")
	if !slices.Contains([]string{"reviewing", "interview", "offer", "declined"}, status) {
		p.formDecide(w, r, c, formErrors{"": c.lang.T("decide.choose")})
		return
	}
	note := strings.TrimSpace(r.PostForm.Get("note"))
	key := updateID(c, "decide", status, note)
	in := workflows.DecisionInput{By: c.actor(), ApplicationID: c.link.SubjectRef, Status: status, Note: note}
	err := deliver(r.Context(), p, c, p.Journeys.DecideApplication, key, in)
	p.outcome(w, r, c, err, key, nil, func(e formErrors) { p.formDecide(w, r, c, e) },
		doneView{Body: c.lang.Tf("decide.done", c.lang.T("appstatus."+status)), Back: c.action()})
}
