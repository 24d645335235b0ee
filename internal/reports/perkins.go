package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// PerkinsRow is the Perkins V work-based learning count for one school
// (School "" is the district total, counting each student once).
type PerkinsRow struct {
	School string
	// Participants are students with a journey in scope.
	Participants int
	// Completed are students with a completed journey whose approved
	// timesheet hours reach the placement's required hours: waived hours do
	// not count toward a work-based learning experience.
	Completed int
}

// Share is Completed ÷ Participants.
func (p PerkinsRow) Share() float64 { return ratio(p.Completed, p.Participants) }

// Perkins counts students who completed a work-based learning experience,
// per school and in total.
func (q *Queries) Perkins(ctx context.Context, s store.Scope, f Filter) ([]PerkinsRow, error) {
	rows, err := query(ctx, q, s, f, `
		, outcome AS (
			SELECT s.student_id, s.school_id, s.completed_at IS NOT NULL
				AND COALESCE(a.hours, 0) >= COALESCE(pl.hours_required, s.hours_required) AS completed
			FROM scoped s LEFT JOIN approved a ON a.journey_id = s.journey_id
			LEFT JOIN placements pl ON pl.journey_id = s.journey_id
		)
		SELECT COALESCE(sc.name, ''), count(DISTINCT o.student_id), count(DISTINCT o.student_id) FILTER (WHERE o.completed)
		FROM outcome o JOIN schools sc ON sc.id = o.school_id
		GROUP BY GROUPING SETS ((sc.id, sc.name), ()) ORDER BY GROUPING(sc.id), sc.name, sc.id`,
		func(r pgx.CollectableRow) (PerkinsRow, error) {
			var p PerkinsRow
			err := r.Scan(&p.School, &p.Participants, &p.Completed)
			return p, err
		})
	if err != nil {
		return nil, fmt.Errorf("perkins: %w", err)
	}
	return rows, nil
}
