package messaging

import (
	"errors"
	"fmt"
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
	// Pending names the helper still fixing a caller that does not yet
	// send every param; the request is then not rejected in tests. Remove
	// the entry's Pending when the caller is fixed.
	Pending string
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
)

// filledBy are params Enqueue fills from another param or the journey.
var filledBy = map[string]string{"training_name": "training", "student_first_name": "journey"}

var needs = map[string]need{
	// To students (and, for variants, parents and employers).
	"survey_invite":        {Params: []string{"student_first_name"}, Link: actionLink},
	"survey_nudge":         {Params: []string{"student_first_name"}, Link: actionLink},
	"badge_upload_nudge":   {Params: []string{"student_first_name"}, Link: actionLink},
	"badge_returned":       {Params: []string{"student_first_name", "comment"}, Link: actionLink},
	"badge_approved":       {Params: []string{"student_first_name"}, Link: actionLink},
	"applying_nudge":       {Params: []string{"student_first_name"}, Link: actionLink},
	"application_update":   {Params: []string{"student_first_name", "posting_title", "status"}, Link: actionLink},
	"offer_nudge":          {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"permit_sign_request":  {Params: []string{"student_first_name", "employer_name"}, Link: actionLink},
	"permit_rejected":      {Params: []string{"student_first_name", "reason"}},
	"training_nudge":       {Params: []string{"student_first_name", "training_name"}, Link: actionLink},
	"timesheet_nudge":      {Params: []string{"student_first_name", "week"}, Link: actionLink},
	"timesheet_correction": {Params: []string{"student_first_name", "week", "note"}, Link: actionLink},
	"reflection_nudge":     {Params: []string{"student_first_name"}, Link: actionLink},
	"deliverable_nudge":    {Params: []string{"student_first_name", "project_title"}, Link: actionLink},
	"deliverable_changes":  {Params: []string{"student_first_name", "project_title", "comment"}, Link: actionLink},
	"journey_completed":    {Params: []string{"student_first_name"}, Link: actionLink},
	"contact_help":         {},

	// To employers and supervisors.
	"new_applicant":                 {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"application_decision_reminder": {Params: []string{"student_first_name", "posting_title"}, Link: actionLink},
	"timesheet_approval_request":    {Params: []string{"student_first_name", "week"}, Optional: []string{"flags"}, Link: actionLink},
	"feedback_request":              {Params: []string{"student_first_name"}, Link: actionLink},
	"deliverable_review_request":    {Params: []string{"student_first_name", "project_title"}, Link: actionLink},
	"employer_applicants":           {Params: []string{"employer_name"}, Link: actionLink},
	// MOU texts belong to the staffmou slice: its caller may still send an
	// empty implementation_date ("work is planned to start on .").
	"mou_sign_request": {Params: []string{"program_year", "employer_name"}, Link: actionLink},
	"mou_reminder":     {Params: []string{"employer_name", "implementation_date"}, Link: actionLink, Pending: "staffmou"},

	// To staff.
	"coordinator_stuck":       {Params: []string{"student_first_name", "step", "since"}, Link: studentPage},
	"badge_review_request":    {Params: []string{"student_first_name"}, Link: studentPage},
	"permit_approval_request": {Params: []string{"student_first_name"}, Link: studentPage},
	"hours_flagged":           {Params: []string{"student_first_name", "week", "flags"}, Link: studentPage},
	"contact_unreachable":     {Params: []string{"student_first_name", "party", "reason"}, Optional: []string{"channel"}, Link: studentPage},
	"mou_approval_request":    {Params: []string{"employer_name"}},
	"mou_escalation":          {Params: []string{"employer_name", "implementation_date"}, Pending: "staffmou"},
	"staff_login":             {Link: actionLink},
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
		if !sent(req, p) && n.Pending == "" {
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
	case "":
		return false
	default:
		return sent(req, filledBy[p])
	}
}

// opensStudentPage reports whether a template's messages link the staff
// page of their student.
func opensStudentPage(template string) bool { return needs[template].Link == studentPage }

// templateParams are every param a template may read (required, optional
// and those Enqueue fills), plus program and contact, which every message
// has.
func templateParams(template string) []string {
	n := needs[template]
	return slices.Concat(n.Params, n.Optional, []string{"program", "contact"})
}
