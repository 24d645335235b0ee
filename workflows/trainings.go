package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/store"
)

// Trainings: every training the program and the posting require needs
// evidence of completion (a certificate upload) or a staff waiver.

// TrainingInput records one completed training.
type TrainingInput struct {
	By          Actor  `json:"by"`
	Code        string `json:"code"`
	DocumentID  string `json:"document_id"`
	CompletedOn string `json:"completed_on"` // 2006-01-02
}

type trainingState struct {
	Done []string
}

// requiredTrainings is the program's list plus the placement's, sorted.
func (j *journey) requiredTrainings() []string {
	req := append([]string{}, j.in.Program.Trainings...)
	if j.placement != nil {
		req = append(req, j.placement.Info.RequiredTrainings...)
	}
	slices.Sort(req)
	return slices.Compact(req)
}

func (j *journey) trainingsOutstanding() []string {
	var out []string
	for _, code := range j.requiredTrainings() {
		if !slices.Contains(j.trainings.Done, code) && !j.isWaived("training:"+code) {
			out = append(out, code)
		}
	}
	return out
}

func (j *journey) validateTraining(ctx workflow.Context, in TrainingInput) error {
	if err := j.atStage("recording a training", StageTrainings); err != nil {
		return err
	}
	if !slices.Contains(j.requiredTrainings(), in.Code) {
		return reject("code", "that training is not required for your placement")
	}
	if slices.Contains(j.trainings.Done, in.Code) {
		return reject("code", "that training is already recorded")
	}
	if strings.TrimSpace(in.DocumentID) == "" {
		return reject("document_id", "upload your certificate")
	}
	d, err := time.Parse(time.DateOnly, in.CompletedOn)
	if err != nil {
		return reject("completed_on", "give the date you completed it")
	}
	if d.After(workflow.Now(ctx).Add(48 * time.Hour)) {
		return reject("completed_on", "the completion date is in the future")
	}
	return nil
}

func (j *journey) completeTraining(ctx workflow.Context, in TrainingInput) error {
	j.trainings.Done = append(j.trainings.Done, in.Code)
	j.note(ctx, "training_completed", in.By, map[string]string{"code": in.Code})
	fact := &store.TrainingFact{Code: in.Code, DocumentID: in.DocumentID, CompletedOn: in.CompletedOn, At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *store.Record) { r.Training = fact })
}

func (j *journey) runTrainings(ctx workflow.Context) error {
	next := func() string {
		if out := j.trainingsOutstanding(); len(out) > 0 {
			return out[0]
		}
		return ""
	}
	w := j.newWait(ctx, "trainings", "training", PartyStudent, func() bool { return next() == "" }).
		with(map[string]string{"training": next()}).withLink("record_training", "")
	if err := j.stepThrough(ctx, w, ""); err != nil {
		return err
	}
	now := workflow.Now(ctx)
	j.ms.TrainingsDone = &now
	return nil
}
