package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// FunnelRow counts a group's journeys that reached each milestone. The
// read model's milestones are set once and never cleared, so each count
// is at most the one before it.
type FunnelRow = store.FunnelRow

// FunnelBySchool is the funnel per school, by school name.
func (q *Queries) FunnelBySchool(ctx context.Context, s store.Scope, f Filter) ([]FunnelRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportFunnelBySchool(ctx, sc)
}

// NoPathway labels journeys whose survey (where the pathway is chosen) is
// not in yet.
const NoPathway = store.ReportNoPathway

// FunnelByPathway is the funnel per career pathway from the interest survey.
func (q *Queries) FunnelByPathway(ctx context.Context, s store.Scope, f Filter) ([]FunnelRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportFunnelByPathway(ctx, sc)
}

// FunnelTotal adds rows up (each journey is in exactly one row).
func FunnelTotal(rows []FunnelRow) FunnelRow {
	t := FunnelRow{Label: "Total"}
	for _, r := range rows {
		t.Funnel = t.Funnel.Add(r.Funnel)
	}
	return t
}

// Phases are the funnel in five steps, for the chart by school: each
// journey counts once, in the furthest phase it reached.
var Phases = []string{"getting ready", "applied", "placed", "working", "completed"}

// PhaseRow counts a school's journeys by the furthest phase they reached
// (Counts follows Phases; withdrawn journeys count where they stopped).
type PhaseRow struct {
	Key, Label string
	Counts     []int
}

// PhasesBySchool counts each school's journeys by furthest phase, by
// school name. Milestones are tested from the last back, so a journey
// whose earlier step was waived still counts where it got to.
func (q *Queries) PhasesBySchool(ctx context.Context, s store.Scope, f Filter) ([]PhaseRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	cells, err := q.store.ReportPhasesBySchool(ctx, sc)
	if err != nil {
		return nil, err
	}
	var rows []PhaseRow
	for _, c := range cells {
		if len(rows) == 0 || rows[len(rows)-1].Key != c.Key {
			rows = append(rows, PhaseRow{Key: c.Key, Label: c.Label, Counts: make([]int, len(Phases))})
		}
		rows[len(rows)-1].Counts[c.Phase] = c.Journeys
	}
	return rows, nil
}
