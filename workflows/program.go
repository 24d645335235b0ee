package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/hours"
)

// Program is the definition a journey runs with: which stages apply and
// their parameters. It is copied into the journey when it starts, so
// editing a program never changes a running journey.
type Program struct {
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	// Stages lists the optional stages that apply, in order. Survey,
	// Applying and Completing always apply.
	Stages        []Stage `json:"stages"`
	RequiredHours float64 `json:"required_hours"`
	// WorkPermit: minors in paid placements need a signed, approved permit.
	WorkPermit bool `json:"work_permit"`
	// MOUGate: district-funded placements wait for the employer's MOU
	// (never when the district itself is the employer).
	MOUGate bool `json:"mou_gate"`
	// Trainings every placement in the program requires (posting
	// requirements are added).
	Trainings []string `json:"trainings,omitempty"`
	// TrainingsOpen is when the student may start recording those
	// trainings: "intern_ready" (the default: from the badge on, before
	// any placement) or "enrolment" (from the first day). The Trainings
	// stage then waits only for what is still missing.
	TrainingsOpen string `json:"trainings_open,omitempty"`
	// Ladders maps a wait (e.g. "survey") to its reminder rungs.
	Ladders map[string]Ladder `json:"ladders"`
	// MaxWeeks bounds the timesheet weeks a journey opens.
	MaxWeeks        int `json:"max_weeks"`
	MaxApplications int `json:"max_applications"`
	// HourRules are minors' work-hour limits checked on every timesheet.
	HourRules []HourRule `json:"hour_rules,omitempty"`
	// Calendar holds the program dates; school weeks vs breaks matter for
	// hour rules.
	Calendar Calendar `json:"calendar"`
	// TimeScale compresses every duration (1 = real time); load tests use
	// large values so a 12-week journey runs in minutes.
	TimeScale float64 `json:"time_scale,omitempty"`
}

// When a program's trainings open to the student (Program.TrainingsOpen).
const (
	TrainingsOpenInternReady = "intern_ready"
	TrainingsOpenEnrolment   = "enrolment"
)

// ProgramError names the field of a definition that is refused, so the
// programs page shows the message next to it and the CLI prints it.
type ProgramError struct {
	Field   string // the definition's JSON name, e.g. "calendar.end"
	Message string
}

func (e *ProgramError) Error() string { return e.Field + ": " + e.Message }

func refuse(field, format string, args ...any) error {
	return &ProgramError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Program kinds (the programs table allows exactly these).
var ProgramKinds = []string{"summer_paid", "micro", "in_district", "virtual"}

// OptionalStages are the stages a definition may turn on or off.
var OptionalStages = []Stage{StageInternReady, StageMOUGate, StageWorkPermit, StageTrainings, StageWorking, StageDeliverable}

// Validate refuses a definition a journey could not run as meant: it is
// checked when a program is set (CLI and programs page) and when journeys
// migrate to it. The error is a *ProgramError naming the field.
func (p Program) Validate() error {
	if p.Kind != "" && !slices.Contains(ProgramKinds, p.Kind) {
		return refuse("kind", "kind is %q: use one of %s", p.Kind, strings.Join(ProgramKinds, ", "))
	}
	switch p.TrainingsOpen {
	case "", TrainingsOpenInternReady, TrainingsOpenEnrolment:
	default:
		return refuse("trainings_open", "trainings_open is %q: use %q or %q", p.TrainingsOpen, TrainingsOpenInternReady, TrainingsOpenEnrolment)
	}
	if p.RequiredHours < 0 {
		return refuse("required_hours", "required hours cannot be negative")
	}
	if p.MaxWeeks < 0 {
		return refuse("max_weeks", "the number of weeks cannot be negative")
	}
	if p.MaxApplications < 0 {
		return refuse("max_applications", "the number of applications cannot be negative")
	}
	for _, s := range p.Stages {
		if !slices.Contains(OptionalStages, s) {
			return refuse("stages", "stage %q cannot be turned on or off (Survey, Applying and Completing always apply)", s)
		}
	}
	if err := p.Calendar.validate(); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(p.Ladders)) {
		if err := p.Ladders[name].validate(name); err != nil {
			return err
		}
	}
	return nil
}

// validate checks the calendar's dates are dates and in order.
func (c Calendar) validate() error {
	dates := []struct{ field, value string }{
		{"calendar.applications_open", c.ApplicationsOpen}, {"calendar.applications_close", c.ApplicationsClose},
		{"calendar.start", c.Start}, {"calendar.end", c.End},
	}
	for _, d := range dates {
		if _, err := time.Parse(time.DateOnly, d.value); d.value != "" && err != nil {
			return refuse(d.field, "%q is not a date like 2027-06-15", d.value)
		}
	}
	before := func(a, b string) bool { return a != "" && b != "" && b < a }
	switch {
	case before(c.Start, c.End):
		return refuse("calendar.end", "the program ends (%s) before it starts (%s)", c.End, c.Start)
	case before(c.ApplicationsOpen, c.ApplicationsClose):
		return refuse("calendar.applications_close", "applications close (%s) before they open (%s)", c.ApplicationsClose, c.ApplicationsOpen)
	case before(c.ApplicationsOpen, c.End):
		return refuse("calendar.applications_open", "applications open (%s) after the program ends (%s)", c.ApplicationsOpen, c.End)
	}
	for _, b := range c.Breaks {
		_, errFrom := time.Parse(time.DateOnly, b.From)
		_, errTo := time.Parse(time.DateOnly, b.To)
		if errFrom != nil || errTo != nil || b.To < b.From {
			return refuse("calendar.breaks", "the break %s to %s is not two dates in order", b.From, b.To)
		}
	}
	return nil
}

// validate checks a ladder's rungs: each names a template and comes no
// earlier than the one before (the wait sends them in order).
func (l Ladder) validate(name string) error {
	field := "ladders." + name
	for i, r := range l {
		switch {
		case r.After < 0:
			return refuse(field, "the %s ladder's reminder %d comes %g days before the wait starts", name, i+1, float64(r.After))
		case r.Template == "":
			return refuse(field, "the %s ladder's reminder %d names no template", name, i+1)
		case i > 0 && r.After < l[i-1].After:
			return refuse(field, "the %s ladder's reminder %d (day %g) comes before reminder %d (day %g)", name, i+1, float64(r.After), i, float64(l[i-1].After))
		}
	}
	return nil
}

// Calendar is the program's dates.
type Calendar struct {
	// ApplicationsOpen and ApplicationsClose bound the application window
	// staff announce (dates, like Start and End).
	ApplicationsOpen  string   `json:"applications_open,omitempty"`
	ApplicationsClose string   `json:"applications_close,omitempty"`
	Start             string   `json:"start,omitempty"` // 2006-01-02
	End               string   `json:"end,omitempty"`
	Breaks            []Period `json:"breaks,omitempty"`
}

// Period is a date range, inclusive.
type Period struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Ladder is a reminder schedule for one waiting step, as data.
type Ladder []Rung

// Rung is one reminder: after a delay from the start of the wait, send a
// template to someone (empty To: whoever the step waits on). An escalation
// rung marks the wait overdue.
type Rung struct {
	After    Days   `json:"after_days"`
	To       Party  `json:"to,omitempty"`
	Template string `json:"template"`
	Escalate bool   `json:"escalate,omitempty"`
}

// Days is a duration written in days in program definitions.
type Days float64

// Duration converts days to a duration, compressed by the time scale.
func (d Days) Duration(scale float64) time.Duration {
	if scale < 1 {
		scale = 1
	}
	return time.Duration(float64(d) * 24 * float64(time.Hour) / scale)
}

// has reports whether an optional stage applies.
func (p Program) has(s Stage) bool { return slices.Contains(p.Stages, s) }

func (p Program) scale() float64 {
	if p.TimeScale < 1 {
		return 1
	}
	return p.TimeScale
}

// escalate is the usual last rung: tell the coordinator the step is stuck.
func escalate(after Days) Rung {
	return Rung{After: after, To: PartyCoordinator, Template: "coordinator_stuck", Escalate: true}
}

// defaultLadders are design.md's reminder ladders.
func defaultLadders() map[string]Ladder {
	l := map[string]Ladder{
		"survey":             {{After: 0, Template: "survey_invite"}, {After: 3, Template: "survey_nudge"}, {After: 7, Template: "survey_nudge"}, escalate(10)},
		"badge_upload":       {{After: 0, Template: "badge_upload_nudge"}, {After: 3, Template: "badge_upload_nudge"}, {After: 7, Template: "badge_upload_nudge"}, escalate(10)},
		"badge_review":       {{After: 0, Template: "badge_review_request"}, {After: 3, Template: "badge_review_request", Escalate: true}},
		"applying":           {{After: 0, Template: "applying_nudge"}, {After: 5, Template: "applying_nudge"}, {After: 10, Template: "applying_nudge"}, escalate(14)},
		"employer_decision":  {{After: 0, Template: "new_applicant"}, {After: 5, Template: "application_decision_reminder"}, {After: 8, Template: "application_decision_reminder"}, escalate(10)},
		"offer":              {{After: 0, Template: "offer_nudge"}, {After: 2, Template: "offer_nudge"}, escalate(5)},
		"mou":                {escalate(14)},
		"permit_sign":        {{After: 0, Template: "permit_sign_request"}, {After: 2, Template: "permit_sign_request"}, {After: 5, Template: "permit_sign_request"}, escalate(7)},
		"permit_approval":    {{After: 0, Template: "permit_approval_request"}, {After: 2, Template: "permit_approval_request"}, escalate(4)},
		"permit_correction":  {{After: 0, Template: "permit_correction_request"}, {After: 2, Template: "permit_correction_request"}},
		"training":           {{After: 0, Template: "training_nudge"}, {After: 3, Template: "training_nudge"}, escalate(7)},
		"timesheet":          {{After: 0, Template: "timesheet_nudge"}, {After: 2, Template: "timesheet_nudge"}, escalate(5)},
		"timesheet_approval": {{After: 0, Template: "timesheet_approval_request"}, {After: 2, Template: "timesheet_approval_request"}, escalate(5)},
		"deliverable":        {{After: 0, Template: "deliverable_nudge"}, {After: 4, Template: "deliverable_nudge"}, escalate(10)},
		"deliverable_review": {{After: 0, Template: "deliverable_review_request"}, {After: 3, Template: "deliverable_review_request"}, escalate(6)},
		"reflection":         {{After: 0, Template: "reflection_nudge"}, {After: 3, Template: "reflection_nudge"}, escalate(7)},
		"feedback":           {{After: 0, Template: "feedback_request"}, {After: 3, Template: "feedback_request"}, escalate(7)},
	}
	maps.Copy(l, foundLadders())
	return l
}

// DefaultProgram is a summer paid internship.
func DefaultProgram() Program { return DefaultProgramFor("summer_paid") }

// DefaultProgramIn is the default definition for a program kind in a
// district of this state, with the hour rules for minors on: the federal
// rules and the state's.
func DefaultProgramIn(kind, state string) Program {
	p := DefaultProgramFor(kind)
	p.HourRules = hours.For(state)
	return p
}

// DefaultProgramFor returns the default definition for a program kind,
// without hour rules: a journey started with it loads its district's
// (see hourRules).
func DefaultProgramFor(kind string) Program {
	p := Program{
		Kind: kind, Version: 1, RequiredHours: 100, WorkPermit: true, MOUGate: true,
		Stages:   []Stage{StageInternReady, StageMOUGate, StageWorkPermit, StageTrainings, StageWorking},
		Ladders:  defaultLadders(),
		MaxWeeks: 16, MaxApplications: 10,
	}
	switch kind {
	case "micro":
		// A project with a deliverable, done asynchronously in 5-10 hours.
		p.RequiredHours, p.WorkPermit, p.MOUGate, p.MaxWeeks = 8, false, false, 4
		p.Stages = []Stage{StageDeliverable}
	case "in_district":
		p.MOUGate = false
	case "virtual":
		// Remote: no transport question; supervisors may be elsewhere.
	default:
		p.Kind = "summer_paid"
	}
	return p
}

// ladder returns the ladder for a wait, honouring staff overrides.
func (j *journey) ladder(name string) Ladder {
	if l, ok := j.ladderOverrides[name]; ok {
		return l
	}
	if l, ok := j.in.Program.Ladders[name]; ok {
		return l
	}
	// Programs defined before student-found placements have no ladders
	// for their waits.
	return foundLadders()[name]
}

// LadderWaits says, for each ladder of a definition, whom its wait waits
// on: a rung with no To goes to them. The programs page's reminder
// timeline reads it; the stage code names the same party when it opens
// the wait.
var LadderWaits = map[string]Party{
	"survey": PartyStudent, "badge_upload": PartyStudent, "badge_review": PartyCoordinator,
	"applying": PartyStudent, "employer_decision": PartyEmployer, "offer": PartyStudent, "mou": PartyMOU,
	"permit_sign": "signer", "permit_approval": PartyIssuer, "permit_correction": PartyCoordinator,
	"training": PartyStudent, "timesheet": PartyStudent, "timesheet_approval": "supervisor",
	"deliverable": PartyStudent, "deliverable_review": "supervisor", "reflection": PartyStudent, "feedback": "supervisor",
	"found_vetting": PartyCoordinator, "found_changes": PartyStudent, "found_confirm": "supervisor",
}

// Reminder is one rung of a ladder as the timeline shows it.
type Reminder struct {
	Day      float64
	To       Party // never empty: a rung without To goes to whom the wait waits on
	Template string
	Escalate bool
}

// WaitTimeline is one ladder's reminders in the order they are sent.
type WaitTimeline struct {
	Wait      string
	Reminders []Reminder
}

// ReminderTimeline lays out every ladder of the definition as the
// reminders a wait sends, day by day from the start of the wait, waits
// in process order (unknown names last, by name). Days are program days,
// before any time scale.
func (p Program) ReminderTimeline() []WaitTimeline {
	order := []string{"survey", "badge_upload", "badge_review", "applying", "employer_decision", "offer",
		"found_vetting", "found_changes", "found_confirm", "mou",
		"permit_sign", "permit_approval", "permit_correction", "training", "timesheet", "timesheet_approval",
		"deliverable", "deliverable_review", "reflection", "feedback"}
	names := slices.Sorted(maps.Keys(p.Ladders))
	slices.SortStableFunc(names, func(a, b string) int {
		ia, ib := slices.Index(order, a), slices.Index(order, b)
		if ia < 0 {
			ia = len(order)
		}
		if ib < 0 {
			ib = len(order)
		}
		return ia - ib
	})
	var out []WaitTimeline
	for _, name := range names {
		t := WaitTimeline{Wait: name}
		for _, r := range p.Ladders[name] {
			to := r.To
			if to == "" {
				to = LadderWaits[name]
			}
			t.Reminders = append(t.Reminders, Reminder{Day: float64(r.After), To: to, Template: r.Template, Escalate: r.Escalate})
		}
		out = append(out, t)
	}
	return out
}
