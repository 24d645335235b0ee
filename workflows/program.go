package workflows

import "time"

// Program is the definition a journey runs with: which stages apply and
// their parameters. It is copied into the journey at start (versioned).
type Program struct {
	Kind          string  `json:"kind"`
	Version       int     `json:"version"`
	RequiredHours float64 `json:"required_hours"`
	// Ladders maps a wait kind (e.g. "survey") to its reminder rungs.
	Ladders map[string]Ladder `json:"ladders"`
	// TimeScale compresses every duration (1 = real time); load tests use
	// large values so a 12-week journey runs in minutes.
	TimeScale float64 `json:"time_scale,omitempty"`
}

// Ladder is a reminder schedule for one waiting step, as data.
type Ladder []Rung

// Rung is one reminder: after a delay from the start of the wait, send a
// template to someone; an escalation rung marks the wait overdue.
type Rung struct {
	After    Days   `json:"after_days"`
	To       Party  `json:"to"`
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

// DefaultProgram is a summer paid internship with design.md's ladders.
func DefaultProgram() Program {
	return Program{
		Kind:          "summer_paid",
		Version:       1,
		RequiredHours: 100,
		Ladders: map[string]Ladder{
			"survey": {
				{After: 0, To: PartyStudent, Template: "survey_invite"},
				{After: 3, To: PartyStudent, Template: "survey_nudge"},
				{After: 7, To: PartyStudent, Template: "survey_nudge"},
				{After: 10, To: PartyCoordinator, Template: "coordinator_stuck", Escalate: true},
			},
		},
	}
}

// DefaultProgramFor returns the default definition for a program kind.
func DefaultProgramFor(kind string) Program {
	p := DefaultProgram()
	if kind != "" {
		p.Kind = kind
	}
	return p
}

// ladder returns the program's ladder for a wait kind (nil: no reminders).
func (p Program) ladder(kind string) Ladder { return p.Ladders[kind] }
