package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

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
	open, err := p.Store.OpenPostings(ctx, c.j.DistrictID, c.j.ProgramID, c.j.ID)
	if err != nil {
		return nil, err
	}
	out := make([]posting, 0, len(open))
	for _, o := range open {
		ps := posting{ID: o.ID, Title: o.Title, Description: o.Description, Pathway: o.Pathway, Employer: o.Employer,
			HoursPerWeek: o.HoursPerWeek, Schedule: o.Schedule, Deadline: o.Deadline}
		ps.Pay, ps.Where, ps.Needs = c.lang.pay(o.PayType, o.PayCents), o.City, c.lang.needs(o.Requirements, o.Trainings)
		if o.Remote {
			ps.Where = c.lang.T("posting.remote")
		}
		ps.Description = shorten(ps.Description, 400)
		out = append(out, ps)
	}
	return out, nil
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
