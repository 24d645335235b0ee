package found

import (
	"strings"

	"github.com/internflow/internflow/internal/hours"
)

// minimumWageCents are hourly minimum wages by state, in cents ("" is the
// federal one). A hint for the coordinator's checklist, not a rule the
// journey enforces: cities (Los Angeles, San Francisco) set higher ones,
// and the numbers change every January.
var minimumWageCents = map[string]int{
	"":   725,  // FLSA, 29 U.S.C. 206, since 2009
	"CA": 1650, // California statewide minimum, 2025 (Labor Code §1182.12)
}

// MinimumWageCents is the hourly minimum wage the district's state sets,
// or the federal one.
func MinimumWageCents(state string) int {
	if c, ok := minimumWageCents[strings.ToUpper(strings.TrimSpace(state))]; ok {
		return c
	}
	return minimumWageCents[""]
}

// Hints are what the coordinator's checklist can tell from the report.
type Hints struct {
	// BelowMinimum: hourly pay below the state's minimum wage.
	BelowMinimum bool
	MinimumCents int
	// WeeklyLimit is the tightest weekly limit of the minors' rules for
	// the student's age (0: none applies); OverLimit when the report's
	// hours exceed it.
	WeeklyLimit float64
	OverLimit   bool
}

// Vet computes the hints for a report, for a student of this age under
// these hour rules, in a district of this state. Summer programs run in
// weeks without school, so the limit of a "break" week applies when
// summer is true.
func Vet(d Details, state string, age int, rules []hours.Rule, summer bool) Hints {
	h := Hints{MinimumCents: MinimumWageCents(state)}
	h.BelowMinimum = d.PayType == "hourly" && d.PayCents < h.MinimumCents
	kind := "school"
	if summer {
		kind = "break"
	}
	for _, r := range rules {
		if age < r.MinAge || age > r.MaxAge || (r.Weeks != "any" && r.Weeks != kind) || r.MaxPerWeek == 0 {
			continue
		}
		if h.WeeklyLimit == 0 || r.MaxPerWeek < h.WeeklyLimit {
			h.WeeklyLimit = r.MaxPerWeek
		}
	}
	h.OverLimit = h.WeeklyLimit > 0 && d.HoursPerWeek > h.WeeklyLimit
	return h
}
