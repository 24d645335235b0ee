package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// CompletionRow is how a school's journeys ended, or have not yet.
type CompletionRow struct {
	SchoolID  string
	School    string
	Journeys  int
	Placed    int
	Completed int
	Withdrawn int
	Open      int
}

// Rate is completed ÷ placed: of the students who got a placement, the
// share who finished it. RateOfAll is completed ÷ every journey.
func (c CompletionRow) Rate() float64 { return ratio(c.Completed, c.Placed) }

// RateOfAll is completed ÷ journeys.
func (c CompletionRow) RateOfAll() float64 { return ratio(c.Completed, c.Journeys) }

// CompletionBySchool counts outcomes per school.
func (q *Queries) CompletionBySchool(ctx context.Context, s store.Scope, f Filter) ([]CompletionRow, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT sc.id::text, sc.name, count(*), count(s.placed_at), count(s.completed_at), count(s.withdrawn_at),
			count(*) FILTER (WHERE s.stage NOT IN ('completed', 'withdrawn'))
		FROM scoped s JOIN schools sc ON sc.id = s.school_id
		GROUP BY sc.id, sc.name ORDER BY sc.name, sc.id`,
		func(r pgx.CollectableRow) (CompletionRow, error) {
			var c CompletionRow
			err := r.Scan(&c.SchoolID, &c.School, &c.Journeys, &c.Placed, &c.Completed, &c.Withdrawn, &c.Open)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("completion: %w", err)
	}
	return rows, nil
}

// CompletionTotal adds rows up.
func CompletionTotal(rows []CompletionRow) CompletionRow {
	t := CompletionRow{School: "Total"}
	for _, r := range rows {
		t.Journeys += r.Journeys
		t.Placed += r.Placed
		t.Completed += r.Completed
		t.Withdrawn += r.Withdrawn
		t.Open += r.Open
	}
	return t
}
