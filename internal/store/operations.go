package store

// Operations' reads: the journey gauges metrics export (internal/observe)
// and the students past the retention period (internal/retention).

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// StageCount is how many journeys sit in a stage, and how many of those
// are overdue.
type StageCount struct {
	Stage          string
	Total, Overdue int64
}

const stageCountsSQL = `SELECT stage, count(*), count(*) FILTER (WHERE overdue) FROM journey_view GROUP BY stage`

// StageCounts counts journeys by current stage from the read model.
func (s *Store) StageCounts(ctx context.Context) ([]StageCount, error) {
	rows, err := s.Pool.Query(ctx, stageCountsSQL)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StageCount, error) {
		var c StageCount
		return c, r.Scan(&c.Stage, &c.Total, &c.Overdue)
	})
}

const studentsPastRetentionSQL = `SELECT student_id::text FROM journeys GROUP BY student_id
		HAVING bool_and(status <> 'open' AND closed_at IS NOT NULL AND closed_at < $1)
		ORDER BY max(closed_at), student_id LIMIT $2`

// StudentsPastRetention lists up to limit students whose journeys all
// closed before closedBefore, longest closed first.
func (s *Store) StudentsPastRetention(ctx context.Context, closedBefore time.Time, limit int) ([]string, error) {
	rows, err := s.Pool.Query(ctx, studentsPastRetentionSQL, closedBefore, limit)
	if err != nil {
		return nil, fmt.Errorf("students past retention: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
