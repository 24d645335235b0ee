package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows/facts"
)

// Hours a supervisor approved that break an hour rule for minors are
// recorded but not counted: staff decide, with a reason, whether they
// count toward the required hours. The decision is a journey input, so it
// is on the timeline and in the audit log like any staff action.

// HoursDecisionInput decides one week's withheld hours.
type HoursDecisionInput struct {
	By     Actor  `json:"by"`
	Week   string `json:"week"`
	Count  bool   `json:"count"`
	Reason string `json:"reason"`
}

// Decisions staff can take on withheld hours.
const (
	HoursCount     = "count"
	HoursDontCount = "dont_count"
)

func (j *journey) validateDecideHours(in HoursDecisionInput) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyEnded, "")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return reject(HoursReasonRequired, "reason")
	}
	ref := j.weekRef(in.Week)
	switch {
	case ref == nil:
		return reject(HoursNoTimesheet, "week", in.Week)
	case ref.Decision != "":
		return reject(HoursAlreadyDecided, "week", in.Week)
	case ref.Withheld <= 0:
		return reject(HoursNoneHeld, "week", in.Week)
	case !ref.Counted:
		return reject(HoursNotApproved, "week", in.Week)
	}
	return nil
}

func (j *journey) decideHours(ctx workflow.Context, in HoursDecisionInput) error {
	ref := j.weekRef(in.Week)
	ref.Decision = HoursDontCount
	if in.Count {
		ref.Decision = HoursCount
		j.work.approved += ref.Withheld
	}
	now := workflow.Now(ctx)
	j.note(ctx, "hours_decided", in.By, map[string]any{"week": in.Week, "decision": ref.Decision, "hours": ref.Withheld,
		"reason": in.Reason, "total": j.work.approved})
	return j.flush(ctx, nil, func(r *facts.Record) {
		r.HoursDecision = &facts.HoursDecisionFact{Week: in.Week, Decision: ref.Decision, StaffID: in.By.Ref, Reason: in.Reason, At: now}
	})
}

func (j *journey) weekRef(week string) *weekRef {
	for _, ref := range j.work.weeks {
		if ref.Week == week {
			return ref
		}
	}
	return nil
}
