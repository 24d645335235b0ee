package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/internflow/internflow/internal/hours"

	"github.com/internflow/internflow/workflows"
)

// pendingWeek is one intern's week waiting for this supervisor.
type pendingWeek struct {
	Key, JourneyID, Week, Intern, Title string
	WeekOf                              string // Week as the person reads a date
	SubmittedAt                         string
	Hours                               float64
	Flags                               []string
	Rules                               *hourAlert // the hour rules for minors the hours break
	Days                                []dayRow
	Error                               string
}

// pendingWeeks lists every submitted week of every open journey this
// person supervises (one page approves them all, not one link each). An
// employer contact sees the placements that name no supervisor.
func (p *Pages) pendingWeeks(ctx context.Context, c *call) ([]pendingWeek, error) {
	if c.link.PersonKind != "employer" && c.link.PersonKind != "supervisor" {
		return nil, nil
	}
	pending, err := p.Store.PendingWeeks(ctx, c.link.PersonKind, c.link.PersonRef)
	if err != nil {
		return nil, err
	}
	var ids []string
	weeks := make([]pendingWeek, 0, len(pending))
	for _, t := range pending {
		w := pendingWeek{JourneyID: t.JourneyID, Week: t.Week, SubmittedAt: t.SubmittedAt, Hours: t.Hours, Flags: t.Flags,
			Title: t.Title}
		w.Rules = newHourAlert(c.lang, t.Breaches, t.Withheld, "hours.withheld_staff")
		w.Intern = shortName(t.First, t.Last)
		w.Key = w.JourneyID + "|" + w.Week
		if d, err := time.Parse(time.DateOnly, w.Week); err == nil {
			w.WeekOf = c.lang.F().Date(d)
		}
		ids = append(ids, t.ID)
		weeks = append(weeks, w)
	}
	return weeks, p.weekDays(ctx, c, ids, weeks)
}

// weekDays fills each week's days with hours.
func (p *Pages) weekDays(ctx context.Context, c *call, ids []string, weeks []pendingWeek) error {
	days, err := p.Store.WeekDays(ctx, ids)
	if err != nil {
		return err
	}
	for _, d := range days {
		for i := range ids {
			if ids[i] == d.TimesheetID {
				weeks[i].Days = append(weeks[i].Days, dayRow{Label: c.lang.day(d.Date), Value: formatHours(d.Hours), End: hours.Clock(d.End, c.lang.Code)})
			}
		}
	}
	return nil
}

func formatHours(h float64) string { return strconv.FormatFloat(h, 'f', -1, 64) }

func (p *Pages) formApprovals(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	weeks, err := p.pendingWeeks(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list timesheets", err)
		return
	}
	p.showApprovalList(w, r, c, errs, weeks)
}

func (p *Pages) showApprovalList(w http.ResponseWriter, r *http.Request, c *call, errs formErrors, weeks []pendingWeek) {
	p.showForm(w, r, c, "approvals", errs, weeks)
}

// submitApprovals approves (or returns with a note) every ticked week:
// one update per week, each on that week's workflow.
func (p *Pages) submitApprovals(w http.ResponseWriter, r *http.Request, c *call) {
	weeks, err := p.pendingWeeks(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list timesheets", err)
		return
	}
	approve := r.PostForm.Get("decision") != "correct"
	note := strings.TrimSpace(r.PostForm.Get("note"))
	chosen := chosenWeeks(weeks, r.PostForm["week"])
	switch {
	case len(chosen) == 0:
		p.showApprovalList(w, r, c, formErrors{"": c.lang.T("approvals.choose")}, weeks)
		return
	case !approve && note == "":
		p.showApprovalList(w, r, c, formErrors{"note": c.lang.T("approvals.note_required")}, weeks)
		return
	}
	done, failed, key := p.reviewWeeks(r, c, weeks, chosen, approve, note)
	if err := errors.Join(failed...); err != nil {
		p.failed(w, r, c, "review timesheets", err)
		return
	}
	if done < len(chosen) {
		left, _ := p.pendingWeeks(r.Context(), c)
		mergeRowErrors(left, weeks)
		p.showApprovalList(w, r, c, formErrors{"": c.lang.Tf("approvals.partial", done, len(chosen)-done)}, left)
		return
	}
	body := c.lang.Tf("approvals.done_approved", done)
	if !approve {
		body = c.lang.Tf("approvals.done_returned", done)
	}
	p.done(w, r, c, key, doneView{Body: body, Back: c.action()})
}

// reviewWeeks sends each chosen week's review; a week the workflow refuses
// keeps its reason in weeks[i].Error.
func (p *Pages) reviewWeeks(r *http.Request, c *call, weeks []pendingWeek, chosen []int, approve bool, note string) (done int, failed []error, key string) {
	decision := map[bool]string{true: "approve", false: "correct"}[approve]
	for _, i := range chosen {
		wk := &weeks[i]
		// Each submission round is reviewed once: its time is in the id.
		key = updateID(c, "review", wk.JourneyID, wk.Week, wk.SubmittedAt, decision, note)
		ctx, cancel := context.WithTimeout(r.Context(), updateTimeout)
		err := p.Journeys.ReviewTimesheet(ctx, wk.JourneyID, wk.Week, key,
			workflows.TimesheetReviewInput{By: c.actor(), Approve: approve, Note: note})
		cancel()
		if err == nil {
			done++
			continue
		}
		if fe, ok := rejection(c, err, nil); ok {
			wk.Error = fe[""]
			continue
		}
		failed = append(failed, err)
	}
	return done, failed, key
}

// chosenWeeks are the indexes of ticked weeks that are really pending for
// this person (a tampered form cannot reach anyone else's intern).
func chosenWeeks(weeks []pendingWeek, ticked []string) []int {
	var out []int
	for i, w := range weeks {
		for _, t := range ticked {
			if t == w.Key {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

func mergeRowErrors(into, from []pendingWeek) {
	for i := range into {
		for _, f := range from {
			if f.Key == into[i].Key {
				into[i].Error = f.Error
			}
		}
	}
}

// quotes are the marks an import leaves around a name ("\"Maya\"").
const quotes = "\"'“”‘’` "

// shortName is an intern as an employer sees them: first name and the
// initial of the last ("Maya L."). Quote marks around a name are not part
// of it: the initial is the last name's first letter, never a quote.
func shortName(first, last string) string {
	first = strings.Trim(first, quotes)
	for _, r := range last {
		if unicode.IsLetter(r) {
			return first + " " + string(unicode.ToUpper(r)) + "."
		}
	}
	return first
}
