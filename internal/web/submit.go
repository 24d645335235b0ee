package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/problems"
	"github.com/internflow/internflow/workflows"
)

// action is one link action's page: the form (with errors, if any, and
// the values the person typed), and what a submission does.
type action struct {
	form   func(*Pages, http.ResponseWriter, *http.Request, *call, formErrors)
	submit func(*Pages, http.ResponseWriter, *http.Request, *call)
	// upload: the form carries files (multipart, bigger body limit).
	upload bool
	// closedOK: the page still opens once the journey is completed (the
	// certificate is sent as the journey closes).
	closedOK bool
}

// actions are the pages by link action (internal/messaging mints them;
// workflows/wait.go says which wait sends which).
var actions = map[string]action{
	"survey":              {form: (*Pages).formSurvey, submit: (*Pages).submitSurvey},
	"upload_badge":        {form: (*Pages).formBadge, submit: (*Pages).submitBadge, upload: true},
	"apply":               {form: (*Pages).formApply, submit: (*Pages).submitApply},
	"decide_application":  {form: (*Pages).formDecide, submit: (*Pages).submitDecide},
	"employer_applicants": {form: (*Pages).formApplicants, submit: (*Pages).submitApplicants},
	"accept_offer":        {form: (*Pages).formOffer, submit: (*Pages).submitOffer},
	// An internship the student found (found.go): their report, the
	// supervisor's confirmation.
	"report_found_placement":  {form: (*Pages).formFound, submit: (*Pages).submitFound},
	"confirm_found_placement": {form: (*Pages).formConfirmFound, submit: (*Pages).submitConfirmFound},
	"sign_permit":             {form: (*Pages).formSignPermit, submit: (*Pages).submitSignPermit},
	"sign_mou":                {form: (*Pages).formSignMOU, submit: (*Pages).submitSignMOU},
	"correct_permit":          {form: (*Pages).formCorrectPermit, submit: (*Pages).submitCorrectPermit},
	"record_training":         {form: (*Pages).formTraining, submit: (*Pages).submitTraining, upload: true},
	"submit_timesheet":        {form: (*Pages).formTimesheet, submit: (*Pages).submitTimesheet},
	"review_timesheet":        {form: (*Pages).formApprovals, submit: (*Pages).submitApprovals},
	"submit_deliverable":      {form: (*Pages).formDeliverable, submit: (*Pages).submitDeliverable, upload: true},
	"review_deliverable":      {form: (*Pages).formDeliverableReview, submit: (*Pages).submitDeliverableReview},
	"submit_reflection":       {form: (*Pages).formReflection, submit: (*Pages).submitReflection},
	"give_feedback":           {form: (*Pages).formFeedback, submit: (*Pages).submitFeedback},
	"application_details":     {form: (*Pages).formDetails},
	"certificate":             {form: (*Pages).formCertificate, closedOK: true},
	// A person's own page (home.go): read-only, and still there once the
	// journey is complete (the certificate, the hours).
	"student_home":  {form: (*Pages).formStudentHome, closedOK: true},
	"guardian_home": {form: (*Pages).formGuardianHome, closedOK: true},
	// A supervisor's or employer contact's inbox (inbox.go): every step waiting on them.
	InboxAction: {form: (*Pages).formInbox},
}

// formErrors are a link page's messages by field (one type with the
// staff pages': problems.FieldErrors).
type formErrors = problems.FieldErrors

// maxFormBody bounds a form without files.
const maxFormBody = 64 << 10

// parseForm reads the POSTed form within its size limit.
func (p *Pages) parseForm(w http.ResponseWriter, r *http.Request, upload bool) error {
	if !upload {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
		return r.ParseForm()
	}
	// Two files at most per form, plus the text fields.
	r.Body = http.MaxBytesReader(w, r.Body, 2*p.MaxUpload+maxFormBody)
	return r.ParseMultipartForm(1 << 20)
}

// updateID is deterministic per link and form content, so the same
// submission twice (a double tap, a resent POST) is one workflow update:
// Temporal runs an update id once.
func updateID(c *call, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "link:" + c.link.ID + ":" + hex.EncodeToString(h[:12])
}

// updateTimeout bounds how long a page waits for the journey to answer.
const updateTimeout = 20 * time.Second

// journeyAction is one of the journey service's typed actions
// (p.Journeys.SignPermit, p.Journeys.Apply, ...).
type journeyAction[T any] func(ctx context.Context, journeyID, updateID string, in T) error

// deliver sends the person's input to their journey by that action;
// files stored for it are kept or deleted by the answer (settle).
func deliver[T any](ctx context.Context, p *Pages, c *call, action journeyAction[T], id string, in T) error {
	uctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	err := action(uctx, c.j.ID, id, in)
	p.settle(ctx, c, err)
	return err
}

// fieldMap names, for a workflow's InputError field, the form field to
// show it beside ("" on top).
type fieldMap func(workflowField string) string

// sameFields maps each listed workflow field to the form field of the same
// name.
func sameFields(names ...string) fieldMap {
	return func(f string) string {
		for _, n := range names {
			if n == f {
				return f
			}
		}
		return ""
	}
}

// rejection turns a refusal of the person's input into form errors
// (false: it was another kind of error).
func rejection(c *call, err error, fields fieldMap) (formErrors, bool) {
	pr := problems.Of(err)
	if !pr.Refused() {
		return nil, false
	}
	field := ""
	if fields != nil {
		field = fields(pr.Field)
	}
	return formErrors{field: sentence(pr.In(c.lang.Code))}, true
}

// doneView is the confirmation page.
type doneView struct {
	Body string
	// Back returns to a page the link can still use (lists of postings,
	// pending timesheets).
	Back string
	// Hours: the hour rules for minors the hours just sent break.
	Hours *hourAlert
	// Home opens the person's own page (a student's or parent's): what
	// comes next, after what they just did.
	Home, HomeLabel string
	// Inbox returns a supervisor who came from their inbox to it.
	Inbox string
}

// done records the link's use (single-use links are spent here, after
// the journey accepted the input, never before) and confirms.
func (p *Pages) done(w http.ResponseWriter, r *http.Request, c *call, key string, v doneView) {
	if err := p.book().MarkUsed(r.Context(), c.link.ID); err != nil && !errors.Is(err, links.ErrUsed) {
		// The input is in; failing the page now would only invite a retry.
		slog.WarnContext(r.Context(), "mark link used", "link_id", c.link.ID, "err", err)
	}
	p.audit(r.Context(), c, "link_used", "", key)
	v.Inbox = p.inboxURL(r.Context(), c)
	if v.Body == "" {
		v.Body = c.lang.T("done.body")
		if c.party() == workflows.PartyEmployer { // not "your coordinator": they have none
			v.Body = c.lang.T("done.body_employer")
		}
	}
	if v.Home = p.homeLink(r.Context(), c); c.party() == workflows.PartyGuardian {
		v.HomeLabel = c.lang.T("home.open@guardian")
	} else {
		v.HomeLabel = c.lang.T("home.open")
	}
	p.render(w, r, c, http.StatusOK, "done", page{Title: c.lang.T("done.title"), V: v})
}

// outcome finishes a submission: confirmation, the form again with the
// journey's reason, or an error page.
func (p *Pages) outcome(w http.ResponseWriter, r *http.Request, c *call, err error, key string, fields fieldMap, again func(formErrors), v doneView) {
	if err == nil {
		p.done(w, r, c, key, v)
		return
	}
	if errs, ok := rejection(c, err, fields); ok {
		again(errs)
		return
	}
	p.failed(w, r, c, "update "+c.link.Action, err)
}
