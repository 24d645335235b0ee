package web

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
	rows, err := p.Store.Pool.Query(ctx, `
		SELECT a.id::text, a.journey_id::text, a.status, a.created_at, p.title,
			COALESCE(NULLIF(s.preferred_name,''), s.first_name), sc.name, COALESCE(s.grade, 0)::int, COALESCE(sr.pathway,''),
			EXISTS (SELECT 1 FROM journey_events e WHERE e.journey_id = j.id AND e.kind = 'uploaded_resume'),
			EXISTS (SELECT 1 FROM journey_events e WHERE e.journey_id = j.id AND e.kind = 'uploaded_cover_letter')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN survey_responses sr ON sr.journey_id = j.id
		WHERE p.employer_id = $1 AND j.status = 'open'
		ORDER BY CASE WHEN a.status IN ('submitted','reviewing','interview') THEN 0 WHEN a.status = 'offer' THEN 1 ELSE 2 END,
			a.created_at, a.id
		LIMIT $2`, c.link.PersonRef, maxApplicants)
	if err != nil {
		return nil, err
	}
	now := p.Now()
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (applicantRow, error) {
		var a applicantRow
		var applied time.Time
		err := r.Scan(&a.ID, &a.JourneyID, &a.Status, &applied, &a.PostingTitle, &a.FirstName, &a.School, &a.Grade,
			&a.Pathway, &a.HasResume, &a.HasCoverLetter)
		a.StatusLabel, a.Age = c.lang.T("appstatus."+a.Status), c.lang.age(now.Sub(applied))
		for _, s := range nextStatuses[a.Status] {
			a.Next = append(a.Next, option{Value: s, Label: c.lang.T("decide.to_" + s)})
		}
		return a, err
	})
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
	var journeyID string
	var open bool
	err := p.Store.Pool.QueryRow(ctx, `SELECT a.journey_id::text, j.status = 'open' AND a.status <> 'withdrawn'
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		WHERE a.id = $1 AND p.employer_id = $2`, applicationID, c.link.PersonRef).Scan(&journeyID, &open)
	if err != nil {
		return "", false
	}
	if !open {
		return "", true
	}
	return p.badgeDocument(ctx, journeyID, kind), false
}
