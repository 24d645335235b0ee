package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// Trainings: every training the program and the posting require needs
// evidence of completion (a certificate upload) or a staff waiver.
//
// Students may do the program's trainings before they are hired (from
// Intern Ready, or from enrolment when the program says so); what they
// record early counts, and the Trainings stage waits only for what is
// still missing, the placement's own trainings included.

// TrainingInput records one completed training.
type TrainingInput struct {
	By          Actor  `json:"by"`
	Code        string `json:"code"`
	DocumentID  string `json:"document_id"`
	CompletedOn string `json:"completed_on"` // 2006-01-02
}

type trainingState struct {
	Done []string
	// Early: this journey takes trainings before its Trainings stage
	// (decided once, at the start: versionTrainingsBeforePlacement).
	Early bool
	// Open: the student may record trainings now, before the stage.
	Open bool
}

// versionTrainingsBeforePlacement: journeys started from this version on
// open the program's trainings at Intern Ready (or enrolment) instead of
// only at the Trainings stage. Journeys started before keep taking them
// at the stage, as they always did.
const versionTrainingsBeforePlacement = "trainings-before-placement"

// earlyTrainingsLinkTTL: the link that opens the trainings early serves a
// semester of trainings done one by one, so it is neither single-use nor
// as short-lived as a request's link.
const earlyTrainingsLinkTTL = 120 * 24 * time.Hour

// decideEarlyTrainings runs once as the journey starts, before any input
// can arrive, so validators know whether early trainings are accepted.
func (j *journey) decideEarlyTrainings(ctx workflow.Context) {
	j.trainings.Early = workflow.GetVersion(ctx, versionTrainingsBeforePlacement, workflow.DefaultVersion, 1) == 1
	j.trainings.Open = j.trainings.Early && j.in.Program.TrainingsOpen == TrainingsOpenEnrolment
}

// openTrainings: the student is Intern Ready (the journey is about to
// apply); the program's trainings are open from now on, and the student
// hears so once, with the link to record them. There is no ladder: the
// reminders start at the Trainings stage, for what is missing then.
func (j *journey) openTrainings(ctx workflow.Context) error {
	if !j.trainings.Early {
		return nil
	}
	j.trainings.Open = true
	available := j.trainingsAvailable()
	if len(available) == 0 {
		return nil // none required yet, or all done since enrolment
	}
	j.note(ctx, "trainings_opened", systemActor, map[string][]string{"trainings": available})
	link := &messaging.LinkSpec{Action: "record_training", TTL: earlyTrainingsLinkTTL}
	return j.flush(ctx, []messaging.Request{j.message("trainings_open", PartyStudent, "trainings_available", nil, link)})
}

// stagesBeforeTrainings are the stages in which open trainings may be
// recorded ahead of the Trainings stage.
var stagesBeforeTrainings = []Stage{StageSurvey, StageInternReady, StageApplying, StageMOUGate, StageWorkPermit}

// trainingsOpenNow: the student may record a training now.
func (j *journey) trainingsOpenNow() bool {
	if j.withdrawn != nil || j.stage.Closed() {
		return false
	}
	return j.stage == StageTrainings || (j.trainings.Open && slices.Contains(stagesBeforeTrainings, j.stage))
}

// trainingsAvailable are the required trainings the student may record
// now: open, neither done nor waived.
func (j *journey) trainingsAvailable() []string {
	if !j.trainingsOpenNow() {
		return nil
	}
	return j.trainingsOutstanding()
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
	ahead := j.trainings.Early && j.withdrawn == nil && slices.Contains(stagesBeforeTrainings, j.stage)
	if !ahead {
		if err := j.atStage("recording a training", StageTrainings); err != nil {
			return err
		}
	} else if !j.trainings.Open {
		return reject(TrainingNotYet, "code")
	}
	if !slices.Contains(j.requiredTrainings(), in.Code) {
		if j.placement == nil {
			return reject(TrainingNotRequiredProgram, "code")
		}
		return reject(TrainingNotRequiredPlacement, "code")
	}
	if slices.Contains(j.trainings.Done, in.Code) {
		return reject(TrainingAlreadyRecorded, "code")
	}
	if strings.TrimSpace(in.DocumentID) == "" {
		return reject(TrainingCertificateRequired, "document_id")
	}
	d, err := time.Parse(time.DateOnly, in.CompletedOn)
	if err != nil {
		return reject(TrainingDateRequired, "completed_on")
	}
	if d.After(workflow.Now(ctx).Add(48 * time.Hour)) {
		return reject(TrainingDateInFuture, "completed_on")
	}
	return nil
}

func (j *journey) completeTraining(ctx workflow.Context, in TrainingInput) error {
	j.trainings.Done = append(j.trainings.Done, in.Code)
	j.note(ctx, "training_completed", in.By, map[string]string{"code": in.Code})
	fact := &facts.TrainingFact{Code: in.Code, DocumentID: in.DocumentID, CompletedOn: in.CompletedOn, At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *facts.Record) { r.Training = fact })
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
	// Reminders name a training still missing, never one done since.
	// Message params are activity input: no change to the commands.
	w.refresh = func() map[string]string { return map[string]string{"training": next()} }
	if err := j.stepThrough(ctx, w, ""); err != nil {
		return err
	}
	now := workflow.Now(ctx)
	j.ms.TrainingsDone = &now
	return nil
}
