package workflows

import (
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/store"
)

// a is used only to name activity methods; the worker registers a real one.
var a *activities.Activities

// errWithdrawn unwinds the stage functions when staff withdraw the journey.
var errWithdrawn = errors.New("journey withdrawn")

// journey is the workflow's state. Everything here is rebuilt by replay, and
// every fact in it is also persisted through the Record activity.
type journey struct {
	in         JourneyInput
	stage      Stage
	stageSince time.Time
	seq        int64
	steps      []StepRecord
	pending    []store.JourneyEvent
	milestones map[Stage]time.Time

	survey *store.SurveyFact
}

// maxSteps bounds the step history kept in workflow state; the full
// timeline lives in Postgres.
const maxSteps = 50

// Journey drives one student through one program year.
func Journey(ctx workflow.Context, in JourneyInput) (JourneyResult, error) {
	j := &journey{in: in, milestones: map[Stage]time.Time{}}
	// State first: updates buffered before the first task are validated
	// the moment their handler is registered.
	j.enter(ctx, StageSurvey, Actor{Kind: "system"})
	if err := j.registerHandlers(ctx); err != nil {
		return JourneyResult{}, err
	}
	if err := j.flush(ctx); err != nil {
		return JourneyResult{}, err
	}
	for _, stage := range []func(workflow.Context) error{j.runSurvey} {
		if err := stage(ctx); err != nil {
			return JourneyResult{Stage: j.stage}, err
		}
	}
	// Let in-flight update handlers finish their writes before closing.
	err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	return JourneyResult{Stage: j.stage}, err
}

// recordOptions retry read-model writes for a long time: Postgres being
// down for a while must delay the journey, not fail it.
var recordOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrInvalidInput},
	},
}

func (j *journey) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryStatus, j.status); err != nil {
		return err
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateSurvey, j.submitSurvey,
		workflow.UpdateHandlerOptions{Validator: j.validateSurvey})
}

// enter moves the journey to a stage and records the transition.
func (j *journey) enter(ctx workflow.Context, s Stage, by Actor) {
	j.stage = s
	j.stageSince = workflow.Now(ctx)
	j.note(ctx, "stage:"+string(s), by, "")
}

// note appends a step to the history and to the events the next flush writes.
func (j *journey) note(ctx workflow.Context, kind string, by Actor, detail string) {
	j.seq++
	now := workflow.Now(ctx)
	step := StepRecord{Seq: j.seq, Kind: kind, Stage: j.stage, Actor: by, At: now, Note: detail}
	j.steps = append(j.steps, step)
	if len(j.steps) > maxSteps {
		j.steps = j.steps[len(j.steps)-maxSteps:]
	}
	j.pending = append(j.pending, store.JourneyEvent{
		JourneyID: j.in.JourneyID, Seq: j.seq, Kind: kind, Stage: string(j.stage),
		ActorKind: by.Kind, ActorRef: by.Ref, At: now,
	})
}

// flush persists pending events and the current read-model row (plus any
// facts the caller attaches) in one activity.
func (j *journey) flush(ctx workflow.Context, attach ...func(*store.Record)) error {
	j.seq++ // every write carries a newer sequence than the last
	rec := store.Record{View: j.view(ctx), Events: j.pending}
	for _, f := range attach {
		f(&rec)
	}
	j.pending = nil
	ctx = workflow.WithActivityOptions(ctx, recordOptions)
	return workflow.ExecuteActivity(ctx, a.Record, rec).Get(ctx, nil)
}

func (j *journey) view(ctx workflow.Context) store.JourneyView {
	v := store.JourneyView{
		JourneyID: j.in.JourneyID, StudentID: j.in.StudentID, DistrictID: j.in.DistrictID,
		SchoolID: j.in.SchoolID, ProgramID: j.in.ProgramID, Stage: string(j.stage),
		StageSince: j.stageSince, HoursRequired: j.in.Program.RequiredHours, UpdatedSeq: j.seq,
	}
	if j.stage == StageSurvey {
		v.WaitingOn = string(PartyStudent)
	}
	if t, ok := j.milestones[StageSurvey]; ok {
		v.SurveyDoneAt = &t
	}
	return v
}

func (j *journey) status() (JourneyStatus, error) {
	st := JourneyStatus{
		JourneyID: j.in.JourneyID, Stage: j.stage, StageSince: j.stageSince,
		HoursRequired: j.in.Program.RequiredHours, Steps: j.steps,
	}
	if j.stage == StageSurvey {
		st.WaitingOn = PartyStudent
	}
	return st, nil
}
