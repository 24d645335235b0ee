package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
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
	// Spread counts the open journeys per DayBuckets range.
	Spread []int
}

// DayBuckets names the ranges of days in stage that StageRow.Spread
// counts: under a week, one to two weeks, two weeks to a month, longer.
var DayBuckets = []string{"under 7 days", "7 to 13 days", "14 to 29 days", "30 days or more"}

// StuckByStage gives, for open journeys per stage, the median and longest
// time since they entered it (now − stage_since), in days.
func (q *Queries) StuckByStage(ctx context.Context, s store.Scope, f Filter) ([]StageRow, error) {
	rows, err := query(ctx, q, s, f, `
		, waits AS (
			SELECT s.stage, s.overdue, extract(epoch FROM $5::timestamptz - s.stage_since) / 86400 AS days
			FROM scoped s WHERE s.stage NOT IN ('completed', 'withdrawn')
		)
		SELECT stage, count(*), count(*) FILTER (WHERE overdue),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY days), max(days)::float8,
			count(*) FILTER (WHERE days < 7), count(*) FILTER (WHERE days >= 7 AND days < 14),
			count(*) FILTER (WHERE days >= 14 AND days < 30), count(*) FILTER (WHERE days >= 30)
		FROM waits GROUP BY stage ORDER BY array_position($6::text[], stage)`,
		func(r pgx.CollectableRow) (StageRow, error) {
			sr := StageRow{Spread: make([]int, len(DayBuckets))}
			err := r.Scan(&sr.Stage, &sr.Open, &sr.Overdue, &sr.MedianDays, &sr.MaxDays,
				&sr.Spread[0], &sr.Spread[1], &sr.Spread[2], &sr.Spread[3])
			return sr, err
		}, q.Now(), Stages)
	if err != nil {
		return nil, fmt.Errorf("stuck by stage: %w", err)
	}
	return rows, nil
}
