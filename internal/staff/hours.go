package staff

import (
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// hourWeek is a timesheet week that breaks an hour rule for minors, as
// the student page shows it: the rules broken and why, the hours held
// back, and the decision on them (or the form to take it).
type hourWeek struct {
	Week, WeekOf string
	Hours        string
	Withheld     string
	Lines        []string
	// Pending: the supervisor approved the week and its held hours wait
	// for staff; AwaitingApproval: the supervisor has not approved yet.
	Pending, AwaitingApproval bool
	Decision, DecidedBy       string
	Reason                    string
	DecidedAt                 *time.Time
}

func hourWeeks(ws []store.RuledWeek) []hourWeek {
	en := locale.L{Lang: "en"}
	out := make([]hourWeek, 0, len(ws))
	for _, w := range ws {
		hw := hourWeek{Week: w.Week, WeekOf: dateWords(w.Week), Hours: en.Hours(w.Hours), Withheld: en.Hours(w.Withheld),
			Lines: hours.ExplainAll(w.Breaches, "en"), DecidedBy: w.DecidedBy, Reason: w.Reason, DecidedAt: w.DecidedAt,
			Decision: map[string]string{workflows.HoursCount: "Counted", workflows.HoursDontCount: "Not counted"}[w.Decision]}
		if w.Withheld > 0 && w.Decision == "" {
			hw.Pending = w.Status == "approved"
			hw.AwaitingApproval = w.Status != "approved"
		}
		out = append(out, hw)
	}
	return out
}

// decideHours is staff deciding whether a week's hours over the hour
// rules count toward the required hours; the journey records it on the
// timeline and in the audit log with the reason.
func (h *Handler) decideHours(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	decision := r.PostFormValue("decision")
	if decision != workflows.HoursCount && decision != workflows.HoursDontCount {
		return "", &workflows.InputError{Field: "decision", Message: "choose whether the held hours count"}
	}
	in := workflows.HoursDecisionInput{By: by, Week: r.PostFormValue("week"), Count: decision == workflows.HoursCount,
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err := h.Journeys.DecideHours(r.Context(), j.View.JourneyID, updateID(r, "hours"), in); err != nil {
		return "", err
	}
	if in.Count {
		return "The held hours of the week of " + dateWords(in.Week) + " now count.", nil
	}
	return "The held hours of the week of " + dateWords(in.Week) + " stay out of the total.", nil
}
