package staff

import (
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/store"
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

// waivable lists what staff can waive (the workflow checks too).
var waivable = []option{
	{"survey", "Survey"}, {"intern_ready", "Intern Ready badge"}, {"mou_gate", "Employer MOU"},
	{"work_permit", "Work permit (whole stage)"}, {"permit_sign:student", "Permit: student's signature"},
	{"permit_sign:guardian", "Permit: parent's signature"}, {"permit_sign:employer", "Permit: employer's signature"},
	{"trainings", "Trainings"}, {"working", "Working hours"}, {"deliverable", "Deliverable"},
	{"reflection", "Reflection"}, {"feedback", "Employer feedback"},
}

// eventLabel names a timeline event: "stage:trainings" is "Entered
// Trainings", other kinds are their words.
func eventLabel(kind string) string {
	if st, ok := strings.CutPrefix(kind, "stage:"); ok {
		return "Entered " + stageLabel(st)
	}
	return humanize(kind)
}

// stuckLabel names a failing step: "failed:record" is "record".
func stuckLabel(reason string) string {
	return humanize(strings.TrimPrefix(reason, "failed:"))
}

var funcs = template.FuncMap{
	"stage": stageLabel,
	"event": eventLabel,
	"stuck": stuckLabel,
	"party": partyLabel,
	"human": humanize,
	"when": func(t time.Time, tz *time.Location) string {
		return t.In(tz).Format("Jan 2, 2006 3:04 pm")
	},
	"day": func(t time.Time, tz *time.Location) string { return t.In(tz).Format("Jan 2") },
	"ago": ago,
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

// detail renders an event's JSON detail as "key: value" pairs.
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
		parts = append(parts, fmt.Sprintf("%s: %v", humanize(k), m[k]))
	}
	return strings.Join(parts, " · ")
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

type funnelStep struct {
	Label string
	Count int
	// Width is the bar's width: percent of signed up.
	Width int
}
