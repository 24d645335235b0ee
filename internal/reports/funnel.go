package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// FunnelRow is one group's funnel (store.Funnel, the dashboard's too):
// its journeys that reached each milestone. Reports leave Withdrawn at 0.
type FunnelRow struct {
	Key   string // school id or pathway
	Label string
	store.Funnel
}

const funnelCounts = `count(*), count(s.survey_done_at), count(s.intern_ready_at), count(s.applied_at), count(s.placed_at),
    count(s.permit_done_at), count(s.trainings_done_at), count(s.working_at), count(s.completed_at)`

// FunnelBySchool is the funnel per school, by school name.
func (q *Queries) FunnelBySchool(ctx context.Context, s store.Scope, f Filter) ([]FunnelRow, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT sc.id::text, sc.name, `+funnelCounts+`
		FROM scoped s JOIN schools sc ON sc.id = s.school_id
		GROUP BY sc.id, sc.name ORDER BY sc.name, sc.id`, scanFunnel)
	if err != nil {
		return nil, fmt.Errorf("funnel by school: %w", err)
	}
	return rows, nil
}

// NoPathway labels journeys whose survey (where the pathway is chosen) is
// not in yet.
const NoPathway = "(no survey yet)"

// FunnelByPathway is the funnel per career pathway from the interest survey.
func (q *Queries) FunnelByPathway(ctx context.Context, s store.Scope, f Filter) ([]FunnelRow, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT COALESCE(sr.pathway, ''), COALESCE(sr.pathway, '`+NoPathway+`'), `+funnelCounts+`
		FROM scoped s LEFT JOIN survey_responses sr ON sr.journey_id = s.journey_id
		GROUP BY sr.pathway ORDER BY sr.pathway NULLS LAST`, scanFunnel)
	if err != nil {
		return nil, fmt.Errorf("funnel by pathway: %w", err)
	}
	return rows, nil
}

func scanFunnel(r pgx.CollectableRow) (FunnelRow, error) {
	var f FunnelRow
	err := r.Scan(&f.Key, &f.Label, &f.SignedUp, &f.SurveyDone, &f.InternReady, &f.Applied, &f.Placed,
		&f.PermitDone, &f.TrainingsDone, &f.Working, &f.Completed)
	return f, err
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
	type cell struct {
		key, label  string
		phase, jobs int
	}
	cells, err := query(ctx, q, s, f, `
		, phased AS (
			SELECT s.school_id, CASE WHEN s.completed_at IS NOT NULL THEN 4 WHEN s.working_at IS NOT NULL THEN 3
				WHEN s.placed_at IS NOT NULL THEN 2 WHEN s.applied_at IS NOT NULL THEN 1 ELSE 0 END AS phase
			FROM scoped s
		)
		SELECT sc.id::text, sc.name, p.phase, count(*)
		FROM phased p JOIN schools sc ON sc.id = p.school_id
		GROUP BY sc.id, sc.name, p.phase ORDER BY sc.name, sc.id, p.phase`,
		func(r pgx.CollectableRow) (cell, error) {
			var c cell
			err := r.Scan(&c.key, &c.label, &c.phase, &c.jobs)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("phases by school: %w", err)
	}
	var rows []PhaseRow
	for _, c := range cells {
		if len(rows) == 0 || rows[len(rows)-1].Key != c.key {
			rows = append(rows, PhaseRow{Key: c.key, Label: c.label, Counts: make([]int, len(Phases))})
		}
		rows[len(rows)-1].Counts[c.phase] = c.jobs
	}
	return rows, nil
}
