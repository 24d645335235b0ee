package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/internflow/internflow/internal/found"
	"github.com/internflow/internflow/workflows"
)

// An internship the student found themselves (workflows/found.go): the
// student reports it on a form (sent back pre-filled when the coordinator
// asks for changes), and the supervisor confirms it from their link.

// foundHref is the student's link to report an internship they found:
// offered while they apply, unless one is already being checked (a report
// sent back for changes is a task of its own). st is the journey's status
// when the caller has it.
func (p *Pages) foundHref(ctx context.Context, c *call, st *workflows.JourneyStatus) string {
	if c.party() != workflows.PartyStudent {
		return ""
	}
	if st == nil {
		s, err := p.Journeys.Query(ctx, c.j.ID)
		if err != nil {
			return ""
		}
		st = &s
	}
	if st.Stage != workflows.StageApplying || (st.Found != nil && st.Found.Status != workflows.FoundDeclined) {
		return ""
	}
	return p.actionLink(ctx, c, "report_found_placement")
}

// foundView is the student's form.
type foundView struct {
	// Open: the journey takes a report now; Note says why not otherwise.
	Open    bool
	Note    string
	Comment string // the coordinator's, when they asked for changes
	Reason  string // the supervisor's, when they declined the last one
}

func (p *Pages) formFound(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	st, err := p.Journeys.Query(r.Context(), c.j.ID)
	if err != nil {
		p.failed(w, r, c, "query journey", err)
		return
	}
	v := foundView{Open: st.Stage == workflows.StageApplying}
	if f := st.Found; f != nil {
		switch f.Status {
		case workflows.FoundChangesRequested:
			v.Comment = f.Comment
			if errs == nil { // the form opens with what they sent
				r.Form = found.ToForm(f.Details)
			}
		case workflows.FoundDeclined:
			v.Reason = f.Reason
		case workflows.FoundSubmitted, workflows.FoundAwaitingSupervisor:
			v.Open, v.Note = false, c.lang.T("found.pending")
		case workflows.FoundConfirmed:
			v.Open, v.Note = false, c.lang.T("found.confirmed")
		}
	}
	if !v.Open && v.Note == "" {
		v.Note = c.lang.T("found.closed")
	}
	p.showForm(w, r, c, "found", errs, v)
}

// submitFound checks every field at once (the student sees every problem
// beside its field, with what they typed kept), then reports it.
func (p *Pages) submitFound(w http.ResponseWriter, r *http.Request, c *call) {
	d, read := found.FromForm(r.PostForm)
	if problems := found.FormProblems(d, read); len(problems) > 0 {
		errs := formErrors{}
		for _, pr := range problems {
			errs.Add(pr.Field, c.lang.T("found.err."+pr.Code))
		}
		p.formFound(w, r, c, errs)
		return
	}
	key := updateID(c, "report_found", r.PostForm.Encode())
	err := deliver(r.Context(), p, c, p.Journeys.ReportFoundPlacement, key, workflows.FoundPlacementInput{By: c.actor(), Details: d})
	p.outcome(w, r, c, err, key, foundField, func(e formErrors) { p.formFound(w, r, c, e) },
		doneView{Body: c.lang.T("found.done")})
}

// foundField shows a journey's refusal beside the field it names.
func foundField(f string) string {
	switch f {
	case "employer_name", "supervisor_name", "supervisor_contact", "address", "title", "duties", "pay",
		"hours_per_week", "start_date", "end_date", "schedule":
		return f
	}
	return ""
}

// foundConfirmView is what the supervisor is asked to confirm.
type foundConfirmView struct {
	Open                                       bool
	Student, Employer, Title, Duties, Where    string
	Hours, Pay, Dates, Schedule, SupervisorFor string
}

func (p *Pages) formConfirmFound(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	st, err := p.Journeys.Query(r.Context(), c.j.ID)
	if err != nil {
		p.failed(w, r, c, "query journey", err)
		return
	}
	f := st.Found
	if f == nil || f.ID != c.link.SubjectRef {
		p.renderStatus(w, r, c, http.StatusNotFound, "unknown_action")
		return
	}
	d, l := f.Details, c.lang
	v := foundConfirmView{Open: f.Status == workflows.FoundAwaitingSupervisor, Student: p.internName(r.Context(), c.j.StudentID),
		Employer: d.EmployerName, Title: d.Title, Duties: d.Duties, Schedule: d.Schedule,
		Hours: l.F().Number(d.HoursPerWeek), Pay: l.pay(d.PayType, d.PayCents)}
	v.Where = l.F().Worksite("", d.Address, d.City, d.State, d.PostalCode, d.Remote)
	v.Dates = l.Tf("found.dates", weekDate(l, d.StartDate), weekDate(l, d.EndDate))
	v.SupervisorFor = l.Tf("found.confirm.supervision", d.SupervisorName, v.Student)
	p.showForm(w, r, c, "found_confirm", errs, v)
}

func (p *Pages) submitConfirmFound(w http.ResponseWriter, r *http.Request, c *call) {
	confirm := r.PostForm.Get("decision") == "confirm"
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if !confirm && reason == "" {
		p.formConfirmFound(w, r, c, formErrors{"reason": c.lang.T("found.confirm.reason_needed")})
		return
	}
	key := updateID(c, "confirm_found", c.link.SubjectRef, r.PostForm.Get("decision"), reason)
	in := workflows.ConfirmFoundInput{By: c.actor(), Confirm: confirm, Reason: reason}
	body := c.lang.T("found.confirm.done")
	if !confirm {
		body = c.lang.T("found.confirm.declined")
	}
	err := deliver(r.Context(), p, c, p.Journeys.ConfirmFoundPlacement, key, in)
	p.outcome(w, r, c, err, key, sameFields("reason"), func(e formErrors) { p.formConfirmFound(w, r, c, e) },
		doneView{Body: body})
}
