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
	var preferred string
	var grade *int16
	err := p.Store.Pool.QueryRow(ctx, `
		SELECT a.status, p.title, s.first_name, COALESCE(s.preferred_name,''), sc.name, s.grade,
			COALESCE(sr.pathway,''), COALESCE(sr.interests,'{}')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN survey_responses sr ON sr.journey_id = j.id
		WHERE a.id::text = $1 AND a.journey_id = $2`, c.link.SubjectRef, c.j.ID).Scan(&a.Status, &a.PostingTitle,
		&a.FirstName, &preferred, &a.School, &grade, &a.Pathway, &a.Interests)
	if err != nil {
		return a, err
	}
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
	var id string
	_ = p.Store.Pool.QueryRow(ctx, `SELECT detail->>'document_id' FROM journey_events
		WHERE journey_id = $1 AND kind = $2 ORDER BY seq DESC LIMIT 1`, journeyID, "uploaded_"+kind).Scan(&id)
	return id
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
