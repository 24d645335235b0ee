package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

// need is what one template needs from whoever sends it: the params its
// texts read and how the message opens what it is about. It is the one
// place that says so; Enqueue checks requests against it and a test
// renders every template with exactly these params.
type need struct {
	// Params the caller must send, non-empty. "student_first_name" is
	// filled by Enqueue from the journey; "training_name" from "training".
	Params []string
	// Optional params the texts read only when set ({{if .flags}}).
	Optional []string
	// Link says how the message opens what it asks for.
	Link linkNeed
	// Home: the message also carries the link to the person's own page
	// (a student's or parent's, HomeActions): the student's first text.
	Home bool
	// Pending are required params some caller does not send yet (a known
	// defect, with a comment saying whose): Incomplete does not report
	// them. Remove a name once its caller is fixed.
	Pending []string
}

// linkNeed is how a message opens what it is about.
type linkNeed int

const (
	// noLink: the message only informs, and its text promises no link.
	noLink linkNeed = iota
	// actionLink: the request carries a LinkSpec; the text ends asking
	// the person to act ("Sign it:").
	actionLink
	// studentPage: a staff message about one student; the dispatcher
	// links the staff page of the message's journey.
	studentPage
	// mouPage: a staff message about an employer's MOU; the dispatcher
	// links the MOU approvals page.
	mouPage
)

// filledBy are params Enqueue fills from another param or the journey.
var filledBy = map[string]string{"training_name": "training", "student_first_name": "journey", "recipient_name": "recipient"}

var needs = map[string]need{
	// To students (and, for variants, parents and employers).
	"survey_invite":         {Params: []string{"student_first_name"}, Link: actionLink, Home: true},
	"survey_nudge":          {Params: []string{"student_first_name"}, Link: actionLink},
	"badge_upload_nudge":    {Params: []string{"student_first_name"}, Link: actionLink},
	"badge_returned":        {Params: []string{"student_first_name", "comment"}, Link: actionLink},
	"badge_approved":        {Params: []string{"student_first_name"}, Link: actionLink},
	"applying_nudge":        {Params: []string{"student_first_name"}, Link: actionLink},
	"application_update":    {Params: []string{"student_first_name", "posting_title", "status"}, Link: actionLink},
	"offer_nudge":           {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"permit_sign_request":   {Params: []string{"student_first_name", "recipient_name", "employer_name"}, Link: actionLink},
	"permit_rejected":       {Params: []string{"student_first_name", "recipient_name", "reason"}},
	"permit_resign_request": {Params: []string{"student_first_name", "recipient_name", "employer_name", "reason"}, Optional: []string{"changes"}, Link: actionLink},
	"permit_approved":       {Params: []string{"student_first_name", "recipient_name", "employer_name"}},
	"training_nudge":        {Params: []string{"student_first_name", "training_name"}, Link: actionLink},
	"trainings_available":   {Params: []string{"student_first_name"}, Link: actionLink},
	"timesheet_nudge":       {Params: []string{"student_first_name", "week"}, Link: actionLink},
	"timesheet_correction":  {Params: []string{"student_first_name", "week", "note"}, Link: actionLink},
	"reflection_nudge":      {Params: []string{"student_first_name"}, Link: actionLink},
	"deliverable_nudge":     {Params: []string{"student_first_name", "project_title"}, Link: actionLink},
	"deliverable_changes":   {Params: []string{"student_first_name", "project_title", "comment"}, Link: actionLink},
	"journey_completed":     {Params: []string{"student_first_name"}, Link: actionLink},
	// A placement the student found (workflows/found.go).
	"found_changes_request": {Params: []string{"student_first_name", "employer_name"}, Optional: []string{"comment"}, Link: actionLink},
	"found_declined":        {Params: []string{"student_first_name", "employer_name", "reason"}, Link: actionLink},
	"found_confirmed":       {Params: []string{"student_first_name", "employer_name"}},
	// Answers to a text: the helper is the student's school coordinator
	// (district ops when the school has none); see programHelper.
	"contact_help": {Optional: []string{"helper_name", "helper_reach", "helper_role"}},
	"reply_ack":    {Optional: []string{"helper_name", "helper_role"}},
	"staff_reply":  {Params: []string{"staff_name", "text"}},
	// District-wide messages (announce.go): the note in the reader's
	// language, and the link to the student's own page.
	"district_news":     {Params: []string{"student_first_name", "note"}, Link: actionLink},
	"district_reminder": {Params: []string{"student_first_name", "note"}, Link: actionLink},
	// The person's own page (HomeLink): asked for by text or from an
	// expired page.
	"home_link": {Params: []string{"student_first_name"}, Optional: []string{"recipient_name"}, Link: actionLink},

	// To employers and supervisors.
	"permit_correction_employer":    {Params: []string{"student_first_name", "recipient_name", "reason"}, Link: actionLink},
	"new_applicant":                 {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"application_decision_reminder": {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"timesheet_approval_request":    {Params: []string{"student_first_name", "week"}, Optional: []string{"breaches", "flags"}, Link: actionLink},
	"feedback_request":              {Params: []string{"student_first_name"}, Link: actionLink},
	"deliverable_review_request":    {Params: []string{"student_first_name", "project_title"}, Link: actionLink},
	"employer_applicants":           {Params: []string{"employer_name"}, Link: actionLink},
	"found_confirm_request":         {Params: []string{"student_first_name", "recipient_name", "employer_name"}, Link: actionLink},
	// The MOU sends its dates as 2006-01-02 (the planned start when none
	// is approved yet); templates write them in the reader's language.
	"mou_sign_request": {Params: []string{"program_year", "employer_name", "implementation_date", "sign_by", "term_end"}, Link: actionLink},
	"mou_reminder":     {Params: []string{"employer_name", "implementation_date", "sign_by"}, Link: actionLink},
	"mou_returned":     {Params: []string{"employer_name", "implementation_date", "sign_by", "reason"}, Link: actionLink},

	// To staff.
	"coordinator_stuck":         {Params: []string{"student_first_name", "step", "since", "waiting_on"}, Link: studentPage},
	"badge_review_request":      {Params: []string{"student_first_name"}, Link: studentPage},
	"found_vetting_request":     {Params: []string{"student_first_name", "employer_name"}, Link: studentPage},
	"found_declined_staff":      {Params: []string{"student_first_name", "employer_name", "reason"}, Link: studentPage},
	"permit_approval_request":   {Params: []string{"student_first_name", "recipient_name"}, Link: studentPage},
	"permit_correction_request": {Params: []string{"student_first_name", "recipient_name", "reason"}, Link: studentPage},
	"permit_approved_staff":     {Params: []string{"student_first_name", "recipient_name", "employer_name"}, Link: studentPage},
	"hours_flagged":             {Params: []string{"student_first_name", "week", "breaches"}, Optional: []string{"withheld", "flags"}, Link: studentPage},
	"contact_unreachable":       {Params: []string{"student_first_name", "party", "reason"}, Optional: []string{"channel", "person"}, Link: studentPage},
	"mou_approval_request":      {Params: []string{"employer_name", "implementation_date"}, Link: mouPage},
	"mou_escalation":            {Params: []string{"employer_name", "implementation_date", "mou_status"}, Link: mouPage},
	"staff_login":               {Link: actionLink},
	"staff_invite":              {Params: []string{"inviter", "district"}, Link: actionLink},
}

// Incomplete says what a request lacks for its template to read whole:
// a required param that is missing or empty, or the action link the text
// asks the person to open. It is nil for a complete request.
// student_first_name counts as sent when the request names a journey
// (Enqueue fills it from there).
func Incomplete(req Request) error {
	n, ok := needs[req.Template]
	if !ok {
		return fmt.Errorf("template %q has no entry in needs", req.Template)
	}
	var missing []string
	for _, p := range n.Params {
		if !sent(req, p) && !slices.Contains(n.Pending, p) {
			missing = append(missing, p)
		}
	}
	var errs []error
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("template %q needs params %s", req.Template, strings.Join(missing, ", ")))
	}
	if n.Link == actionLink && req.Link == nil {
		errs = append(errs, fmt.Errorf("template %q asks the person to act but the request carries no link", req.Template))
	}
	return errors.Join(errs...)
}

// sent reports whether the request (or what Enqueue fills) gives param p.
func sent(req Request, p string) bool {
	if strings.TrimSpace(req.Params[p]) != "" {
		return true
	}
	switch filledBy[p] {
	case "journey":
		return req.JourneyID != ""
	case "recipient": // every person resolved has a name
		return true
	case "":
		return false
	default:
		return sent(req, filledBy[p])
	}
}

// opensStaffPage reports whether a template's messages link a staff page
// (their student's, or the MOU approvals).
func opensStaffPage(template string) bool {
	return needs[template].Link == studentPage || needs[template].Link == mouPage
}

// templateParams are every param a template may read (required, optional
// and those Enqueue fills), plus program and contact, which every message
// has, and recipient_name, which Enqueue fills for every message (empty
// when the person has no name on record) so that every email greets its
// reader by name.
func templateParams(template string) []string {
	n := needs[template]
	return slices.Concat(n.Params, n.Optional, []string{"program", "contact", "recipient_name"})
}

// checkComplete applies Incomplete to a request with the params Enqueue
// filled: an error under Strict, a warning otherwise. The warning names
// the template and the params, never their values or the person.
func (o *Outbox) checkComplete(ctx context.Context, req Request, params map[string]string) error {
	req.Params = params
	err := Incomplete(req)
	switch {
	case err == nil:
		return nil
	case o.Strict:
		// The caller's activity retries a rejected request; this line is
		// what a test that then times out shows as the cause.
		slog.ErrorContext(ctx, "message is incomplete: rejected (Strict)", "template", req.Template, "problem", err.Error())
		return err
	}
	slog.WarnContext(ctx, "message is incomplete: sent anyway", "template", req.Template, "journey_id", req.JourneyID,
		"problem", err.Error())
	return nil
}
