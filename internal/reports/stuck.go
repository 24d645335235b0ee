package reports

import (
	"context"

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
type StageRow = store.StageRow

// DayBuckets names the ranges of days in stage that StageRow.Spread
// counts: under a week, one to two weeks, two weeks to a month, longer.
var DayBuckets = []string{"under 7 days", "7 to 13 days", "14 to 29 days", "30 days or more"}

// StuckByStage gives, for open journeys per stage, the median and longest
// time since they entered it (now − stage_since), in days.
func (q *Queries) StuckByStage(ctx context.Context, s store.Scope, f Filter) ([]StageRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportStuckByStage(ctx, sc, q.Now(), Stages)
}
