package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows"
)

// posting is an open internship as a student sees it.
type posting struct {
	ID, Title, Description, Pathway, Employer, Schedule, Where, Pay string
	HoursPerWeek                                                    float64
	Deadline                                                        *time.Time
	// Needs lists what the student must have or do first (TB test,
	// background check, trainings), in words.
	Needs string
}

// openPostings are the district's published postings for the journey's
// program that the student has not applied to yet.
func (p *Pages) openPostings(ctx context.Context, c *call) ([]posting, error) {
	rows, err := p.Store.Pool.Query(ctx, `
		SELECT p.id, p.title, p.description, COALESCE(p.pathway,''), e.name, COALESCE(p.hours_per_week,0)::float8,
			COALESCE(p.schedule,''), p.pay_type, COALESCE(p.pay_cents,0), COALESCE(w.remote,false), COALESCE(w.city,''), p.deadline,
			p.requirements, ARRAY(SELECT t.name FROM trainings t WHERE t.code = ANY(p.required_trainings) ORDER BY t.name)
		FROM postings p JOIN employers e ON e.id = p.employer_id LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE e.district_id = $1 AND p.status = 'published' AND (p.deadline IS NULL OR p.deadline >= current_date)
		  AND (p.program_id IS NULL OR p.program_id = $2)
		  AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.journey_id = $3 AND a.posting_id = p.id)
		ORDER BY p.deadline NULLS LAST, p.title LIMIT 100`, c.j.DistrictID, c.j.ProgramID, c.j.ID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (posting, error) {
		var ps posting
		var payType, city string
		var cents int
		var remote bool
		var reqs, trainings []string
		err := r.Scan(&ps.ID, &ps.Title, &ps.Description, &ps.Pathway, &ps.Employer, &ps.HoursPerWeek, &ps.Schedule,
			&payType, &cents, &remote, &city, &ps.Deadline, &reqs, &trainings)
		ps.Pay, ps.Where, ps.Needs = c.lang.pay(payType, cents), city, c.lang.needs(reqs, trainings)
		if remote {
			ps.Where = c.lang.T("posting.remote")
		}
		ps.Description = shorten(ps.Description, 400)
		return ps, err
	})
}

// pay says what a posting pays, in words.
func (l Lang) pay(kind string, cents int) string { return l.F().Pay(kind, int64(cents)) }

// needs says what a posting requires: its checks in the page's language,
// then its trainings by name.
func (l Lang) needs(requirements, trainings []string) string {
	var out []string
	for _, r := range requirements {
		if s := l.T("requirement." + r); s != "requirement."+r {
			out = append(out, s)
		} else { // a code added since this page was written: its words
			out = append(out, strings.ReplaceAll(r, "_", " "))
		}
	}
	return strings.Join(append(out, trainings...), ", ")
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (p *Pages) formApply(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	list, err := p.openPostings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list postings", err)
		return
	}
	p.showForm(w, r, c, "apply", errs, applyView{Postings: list, FoundHref: p.foundHref(r.Context(), c, nil)})
}

// applyView is the list of postings, and the way to report an internship
// the student found instead.
type applyView struct {
	Postings  []posting
	FoundHref string
}

// submitApply applies to every ticked posting (a student may apply to
// several at once: the link is spent after one submission).
func (p *Pages) submitApply(w http.ResponseWriter, r *http.Request, c *call) {
	open, err := p.openPostings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list postings", err)
		return
	}
	var chosen []posting
	for _, ps := range open {
		if slices.Contains(r.PostForm["posting_id"], ps.ID) {
			chosen = append(chosen, ps)
		}
	}
	if len(chosen) == 0 {
		p.formApply(w, r, c, formErrors{"": c.lang.T("apply.choose")})
		return
	}
	var key string
	for _, ps := range chosen {
		key = updateID(c, "apply", ps.ID)
		err := deliver(r.Context(), p, c, p.Journeys.Apply, key, workflows.ApplyInput{By: c.actor(), PostingID: ps.ID})
		if err != nil {
			p.outcome(w, r, c, err, key, nil, func(e formErrors) {
				e[""] = ps.Title + ": " + e[""]
				p.formApply(w, r, c, e)
			}, doneView{})
			return
		}
	}
	p.done(w, r, c, key, doneView{Body: c.lang.Tf("apply.done", len(chosen))})
}
