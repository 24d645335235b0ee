package staff

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// Stages in process order, with the words coordinators use.
var stages = []option{
	{"survey", "Survey"}, {"intern_ready", "Intern Ready"}, {"applying", "Applying"}, {"mou_gate", "Employer MOU"},
	{"work_permit", "Work permit"}, {"trainings", "Trainings"}, {"working", "Working"},
	{"deliverable", "Deliverable"}, {"completing", "Completing"}, {"completed", "Completed"}, {"withdrawn", "Withdrawn"},
}

// parties a journey can wait on.
var parties = []option{
	{"student", "Student"}, {"guardian", "Parent/guardian"}, {"employer", "Employer"},
	{"coordinator", "Coordinator"}, {"permit_issuer", "Permit issuer"}, {"mou", "District MOU approval"},
	{"district_ops", "District ops"},
}

// option is a select's value and label.
type option struct{ Value, Label string }

func label(opts []option, v string) string {
	if i := slices.IndexFunc(opts, func(o option) bool { return o.Value == v }); i >= 0 {
		return opts[i].Label
	}
	return humanize(v)
}

func stageLabel(s string) string { return label(stages, s) }

func partyLabel(p string) string {
	if p == "" {
		return "—"
	}
	return label(parties, p)
}

// recipientLabel names whom a message went to: a party, or the MOU's
// approver.
func recipientLabel(kind string) string {
	switch kind {
	case "mou_approver":
		return "MOU approver"
	case "supervisor":
		return "Supervisor"
	}
	return partyLabel(kind)
}

// channelLabel names a message's channel.
func channelLabel(ch string) string {
	switch ch {
	case "sms":
		return "Text"
	case "email":
		return "Email"
	}
	return humanize(ch)
}

// codeWords writes a status or reason code ("wait_closed",
// "failed:provider") in words; a sentence is left as it is.
func codeWords(s string) string {
	if strings.ContainsAny(s, " .") {
		return s
	}
	return strings.ToLower(humanize(strings.ReplaceAll(s, ":", " ")))
}

// waivableLabels name what staff can waive (workflows.Waivable, whose
// list this follows).
var waivableLabels = map[string]string{
	"survey": "Survey", "intern_ready": "Intern Ready badge", "mou_gate": "Employer MOU",
	"work_permit": "Work permit (whole stage)", "permit_sign:student": "Permit: student's signature",
	"permit_sign:guardian": "Permit: parent's signature", "permit_sign:employer": "Permit: employer's signature",
	"trainings": "Trainings", "working": "Working hours", "deliverable": "Deliverable",
	"reflection": "Reflection", "feedback": "Employer feedback",
}

// waivable is what the student page offers to waive: the workflow's list,
// in its order, with the labels.
var waivable = func() []option {
	opts := make([]option, len(workflows.Waivable))
	for i, step := range workflows.Waivable {
		opts[i] = option{step, waivableLabels[step]}
	}
	return opts
}()

// eventLabel names a timeline event: "stage:trainings" is "Entered
// Trainings", other kinds are their words.
func eventLabel(kind string) string {
	if st, ok := strings.CutPrefix(kind, "stage:"); ok {
		return "Entered " + stageLabel(st)
	}
	return humanize(kind)
}

// deliveryLabel says what became of a message, and why one was not sent.
func deliveryLabel(status, reason string) string {
	why := map[string]string{
		"step_closed": "not sent: the step was already done", "opted_out": "not sent: they replied STOP",
		"invalid": "not sent: the number or address does not work", "unsubscribed": "not sent: they unsubscribed",
		"bounced": "the email bounced", "spamreport": "they marked it as spam", "failed": "the provider refused it",
	}
	if text, ok := why[reason]; ok {
		return text
	}
	words := map[string]string{"queued": "waiting to send", "sending": "sending", "sent": "sent", "delivered": "delivered",
		"failed": "failed", "undeliverable": "could not be delivered", "suppressed": "not sent", "cancelled": "not sent"}
	if text, ok := words[status]; ok {
		return text
	}
	return humanize(status)
}

// stuckLabel names a failing step: "failed:record" is "record".
func stuckLabel(reason string) string {
	return humanize(strings.ReplaceAll(strings.TrimPrefix(reason, "failed:"), ":", " "))
}

// reachLabel says why an address is no longer used (contact_optouts
// reasons, and no_contact for a person with no address at all).
func reachLabel(reason string) string {
	why := map[string]string{
		"stop_keyword": "replied STOP", "unsubscribed": "unsubscribed", "bounced": "the email bounced",
		"invalid": "the number or address does not work", "spamreport": "marked our email as spam",
		"no_contact": "no phone or email on file",
	}
	if text, ok := why[reason]; ok {
		return text
	}
	return humanize(reason)
}

var funcs = template.FuncMap{
	"stage": stageLabel,
	"event": eventLabel,
	"stuck": stuckLabel,
	"party": partyLabel,
	"step":  stepLabel,
	"actor": actorLabel,
	"human": humanize,
	// when names the zone: a school can keep another zone than its district.
	"when": func(t time.Time, tz *time.Location) string {
		return t.In(tz).Format("Jan 2, 2006 3:04 pm MST")
	},
	"recipient": recipientLabel,
	"delivery":  deliveryLabel,
	"writer":    writerLabel,
	"reach":     reachLabel,
	"channel":   channelLabel,
	"code":      codeWords,
	"day":       func(t time.Time, tz *time.Location) string { return t.In(tz).Format("Jan 2") },
	"ago":       ago,
	"name": func(first, last, preferred string) string {
		if preferred != "" && preferred != first {
			return first + " (" + preferred + ") " + last
		}
		return first + " " + last
	},
	"pct":    pct,
	"detail": detail,
}

// ago says how long ago t was, in the largest sensible unit.
func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(math.Max(d.Minutes(), 0)))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h", int(d.Hours()))
	default:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	}
}

// pct is part as a whole-number percentage of whole.
func pct(part, whole int) int {
	if whole == 0 {
		return 0
	}
	return int(math.Round(100 * float64(part) / float64(whole)))
}

// detail renders an event's JSON detail as "key: value" pairs in the
// words coordinators use: codes go through the labels, empty values and
// internal ids are left out (never "Flags: <nil>").
func detail(raw string) string {
	var m map[string]any
	if raw == "" || json.Unmarshal([]byte(raw), &m) != nil || len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if p := detailPart(k, m[k]); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}

// detailPart is one detail value in words, or "" to leave it out.
func detailPart(key string, v any) string {
	text := detailValue(v)
	if text == "" || strings.HasSuffix(key, "_id") || key == "rungs" {
		return ""
	}
	switch key {
	case "week":
		return "week of " + dateWords(text)
	case "start":
		return "starts " + dateWords(text)
	case "hours":
		return text + " h"
	case "total":
		return text + " h in all"
	case "step", "ladder":
		return stepLabel(text)
	case "party", "role":
		return partyLabel(text)
	case "channel":
		return map[string]string{"sms": "text", "email": "email"}[text]
	case "round":
		if text == "0" {
			return ""
		}
		return "round " + text
	case "version", "from", "to":
		return humanize(key) + " version " + text
	case "code":
		return humanize(text)
	case "withheld":
		return text + " h held back (hour rules for minors)"
	case "decision":
		return map[string]string{"count": "held hours count", "dont_count": "held hours do not count"}[text]
	}
	return humanize(key) + ": " + text
}

// detailValue writes a JSON value as text ("" for null, empty strings and
// lists, and objects).
func detailValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			if s := detailValue(e); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// dateWords writes 2006-01-02 as "Nov 30, 2026" (anything else as is).
func dateWords(s string) string {
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d.Format("Jan 2, 2006")
	}
	return s
}

// steps names the journey's waiting steps by their code's first part:
// "permit_sign:guardian:v2" is the parent's permit signature.
var steps = []option{
	{"survey", "Survey"}, {"badge_upload", "Resume and cover letter"}, {"badge_review", "Intern Ready badge review"},
	{"applying", "Applying"}, {"decision", "Employer's decision on an application"}, {"employer_decision", "Employer's decision on an application"},
	{"offer", "Answer to an offer"}, {"mou", "Employer MOU"}, {"permit_sign", "Work permit signature"},
	{"permit_approval", "Work permit approval"}, {"trainings", "Trainings"}, {"training", "Trainings"},
	{"timesheet", "Timesheet"}, {"timesheet_approval", "Timesheet approval"}, {"hours_short", "Hours short of the goal"},
	{"deliverable", "Deliverable"}, {"deliverable_review", "Deliverable review"}, {"reflection", "Reflection"},
	{"feedback", "Employer feedback"}, {"working", "Working hours"}, {"intern_ready", "Intern Ready badge"},
	{"mou_gate", "Employer MOU"}, {"work_permit", "Work permit"},
	{"found_vetting", "Check of the internship the student found"}, {"found_changes", "Student's changes to the internship they found"},
	{"found_confirm", "Supervisor's confirmation of the internship the student found"},
}

// stepLabel names a step code: its first part through steps, then who
// (a party), a version or a week; rounds and ids are left out.
func stepLabel(code string) string {
	if i := slices.IndexFunc(waivable, func(o option) bool { return o.Value == code }); i >= 0 {
		return waivable[i].Label
	}
	parts := strings.Split(code, ":")
	out := label(steps, parts[0])
	for _, p := range parts[1:] {
		switch {
		case slices.ContainsFunc(parties, func(o option) bool { return o.Value == p }):
			out += " (" + strings.ToLower(partyLabel(p)) + ")"
		case len(p) > 1 && p[0] == 'v' && isDigits(p[1:]) && p != "v1":
			out += ", version " + p[1:]
		case isDate(p):
			out += ", week of " + dateWords(p)
		}
	}
	return out
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// actorLabel names who did something on the timeline: the student, a
// parent, the supervisor or a staff member by name, or the system.
func actorLabel(kind, name string) string {
	switch kind {
	case "student":
		return "the student"
	case "guardian":
		return "a parent/guardian"
	case "supervisor", "employer":
		if name != "" {
			return "supervisor " + name
		}
		return "the employer"
	case "staff":
		if name != "" {
			return name
		}
		return "a staff member"
	}
	return "the system"
}

// funnelSteps are the funnel's bars in order.
func funnelSteps(f store.Funnel) []funnelStep {
	steps := []funnelStep{
		{"Signed up", f.SignedUp, 0}, {"Survey done", f.SurveyDone, 0}, {"Intern Ready", f.InternReady, 0},
		{"Applied", f.Applied, 0}, {"Placed", f.Placed, 0}, {"Permit done", f.PermitDone, 0},
		{"Trainings done", f.TrainingsDone, 0}, {"Working", f.Working, 0}, {"Completed", f.Completed, 0},
	}
	for i := range steps {
		steps[i].Width = pct(steps[i].Count, f.SignedUp)
	}
	return steps
}

// microFunnelSteps are the bars of micro-internships, which have no badge,
// permit, trainings or timesheets (none when there are none).
func microFunnelSteps(f store.Funnel) []funnelStep {
	if f.SignedUp == 0 {
		return nil
	}
	steps := []funnelStep{
		{"Signed up", f.SignedUp, 0}, {"Survey done", f.SurveyDone, 0}, {"Applied", f.Applied, 0},
		{"Placed", f.Placed, 0}, {"Completed", f.Completed, 0},
	}
	for i := range steps {
		steps[i].Width = pct(steps[i].Count, f.SignedUp)
	}
	return steps
}

type funnelStep struct {
	Label string
	Count int
	// Width is the bar's width: percent of signed up.
	Width int
}
