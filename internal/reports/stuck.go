package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Stages lists the journey's open stages in process order.
var Stages = []string{"survey", "intern_ready", "applying", "mou_gate", "work_permit", "trainings", "working",
	"deliverable", "completing"}

// StageLabels names stages the way coordinators say them.
var StageLabels = map[string]string{"survey": "Survey", "intern_ready": "Intern Ready", "applying": "Applying",
	"mou_gate": "Employer MOU", "work_permit": "Work permit", "trainings": "Trainings", "working": "Working",
	"deliverable": "Deliverable", "completing": "Completing"}

// StageRow is how long open journeys have sat in one stage.
type StageRow struct {
	Stage      string
	Open       int
	Overdue    int
	MedianDays float64
	MaxDays    float64
}

// StuckByStage gives, for open journeys per stage, the median and longest
// time since they entered it (now − stage_since), in days.
func (q *Queries) StuckByStage(ctx context.Context, s Scope, f Filter) ([]StageRow, error) {
	rows, err := query(ctx, q, s, f, `
		, waits AS (
			SELECT s.stage, s.overdue, extract(epoch FROM $5::timestamptz - s.stage_since) / 86400 AS days
			FROM scoped s WHERE s.stage NOT IN ('completed', 'withdrawn')
		)
		SELECT stage, count(*), count(*) FILTER (WHERE overdue),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY days), max(days)::float8
		FROM waits GROUP BY stage ORDER BY array_position($6::text[], stage)`,
		func(r pgx.CollectableRow) (StageRow, error) {
			var sr StageRow
			err := r.Scan(&sr.Stage, &sr.Open, &sr.Overdue, &sr.MedianDays, &sr.MaxDays)
			return sr, err
		}, q.Now(), Stages)
	if err != nil {
		return nil, fmt.Errorf("stuck by stage: %w", err)
	}
	return rows, nil
}
