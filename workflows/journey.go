package workflows

import (
	"encoding/json"
	"errors"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// a is used only to name activity methods; the worker registers a real one.
var a *activities.Activities

// errWithdrawn unwinds the stage functions when staff withdraw the journey.
var errWithdrawn = errors.New("journey withdrawn")

// journey is the workflow's state. Everything here is rebuilt by replay,
// and every fact in it is also persisted through the Record activity.
type journey struct {
	in         JourneyInput
	stage      Stage
	stageSince time.Time
	seq        int64
	steps      []StepRecord
	pending    []facts.JourneyEvent
	audit      []facts.AuditEntry
	ms         milestones
	waits      []*wait
	sa         searchAttrs
	// searchStale: a write changed what the search attributes may say;
	// upsertWhenSettled upserts once the writes settle.
	searchStale bool

	withdrawn       *WithdrawInput
	waived          map[string]WaiveInput // by step; looked up, never iterated
	unreachable     []Party
	stuck           string
	retries         int
	nudges          []NudgeSignal
	ladderOverrides map[string]Ladder
	ladderVersion   int
	// inflight counts writes under way: a stage is not over until the
	// input that ended it is persisted (the next stage may read it).
	inflight int
	// dirty counts changes made by signals; the projector writes them.
	dirty         int
	pendingAlerts []messaging.Request

	survey      *facts.SurveyFact
	badge       badgeState
	apps        []*application
	found       *foundReport
	placement   *placement
	mouApproved bool
	permit      permitState
	trainings   trainingState
	work        workState
	deliverable deliverableState
	reflection  *facts.ReflectionFact
	feedback    *facts.FeedbackFact
}

// milestones feed the funnel; each is set once.
type milestones struct {
	SurveyDone, InternReady, Applied, Placed, PermitDone, TrainingsDone, Working, Completed, Withdrawn *time.Time
}

// maxSteps bounds the step history kept in workflow state; the full
// timeline lives in Postgres.
const maxSteps = 40

// Journey drives one student through one program year: a short list of
// stages, each of which says what it waits for and whom it nudges.
func Journey(ctx workflow.Context, in JourneyInput) (JourneyResult, error) {
	j := &journey{in: in, waived: map[string]WaiveInput{}, ladderOverrides: map[string]Ladder{}}
	// State first: updates buffered before the first task are validated
	// the moment their handler is registered.
	j.enter(ctx, StageSurvey, systemActor)
	j.decideEarlyTrainings(ctx)
	if err := j.registerHandlers(ctx); err != nil {
		return JourneyResult{}, err
	}
	err := j.run(ctx)
	if errors.Is(err, errWithdrawn) {
		err = j.close(ctx, StageWithdrawn)
	}
	if err != nil {
		return JourneyResult{Stage: j.stage}, err
	}
	// Let in-flight update handlers finish their writes before closing.
	err = workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	return JourneyResult{Stage: j.stage, HoursApproved: j.work.approved}, err
}

// run is the journey, top to bottom.
func (j *journey) run(ctx workflow.Context) error {
	stages := []struct {
		stage Stage
		run   func(workflow.Context) error
	}{
		{StageSurvey, j.runSurvey},
		{StageInternReady, j.runInternReady},
		{StageApplying, j.runApplying},
		{StageMOUGate, j.runMOUGate},
		{StageWorkPermit, j.runWorkPermit},
		{StageTrainings, j.runTrainings},
		{StageWorking, j.runWorking},
		{StageDeliverable, j.runDeliverable},
		{StageCompleting, j.runCompleting},
	}
	for i, s := range stages {
		if !j.applies(s.stage) || j.isWaived(string(s.stage)) {
			continue
		}
		if i > 0 {
			j.enter(ctx, s.stage, systemActor)
		}
		if err := s.run(ctx); err != nil {
			return err
		}
	}
	if err := j.issueCertificate(ctx); err != nil {
		return err
	}
	return j.close(ctx, StageCompleted)
}

// applies reports whether a stage is part of this journey's program and
// placement.
func (j *journey) applies(s Stage) bool {
	p := j.in.Program
	switch s {
	case StageSurvey, StageApplying, StageCompleting:
		return true
	case StageMOUGate:
		return p.has(s) && p.MOUGate && j.placement != nil && j.placement.needsMOU()
	case StageWorkPermit:
		return p.has(s) && p.WorkPermit && j.in.StudentIsMinor && j.placement != nil && j.placement.Info.PayType != "unpaid"
	case StageTrainings:
		return p.has(s) && len(j.requiredTrainings()) > 0
	default:
		return p.has(s)
	}
}

var systemActor = Actor{Kind: "system"}

// recordOptions retry journey writes for a long time: Postgres being down
// for a while must delay the journey, not fail it. A write takes
// milliseconds; the short timeout lets a crashed worker's attempt be
// retried elsewhere quickly.
var recordOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:        time.Second,
		BackoffCoefficient:     2,
		MaximumInterval:        time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrInvalidInput},
	},
}

// enter moves the journey to a stage and records the transition.
func (j *journey) enter(ctx workflow.Context, s Stage, by Actor) {
	j.stage = s
	j.stageSince = workflow.Now(ctx)
	j.note(ctx, "stage:"+string(s), by, nil)
}

// note appends a step to the history and to the events the next flush
// writes. detail is any JSON-able value (never a phone, email or name).
func (j *journey) note(ctx workflow.Context, kind string, by Actor, detail any) {
	j.seq++
	now := workflow.Now(ctx)
	step := StepRecord{Seq: j.seq, Kind: kind, Stage: j.stage, Actor: by, At: now}
	var raw json.RawMessage
	if detail != nil {
		raw, _ = json.Marshal(detail)
		step.Note = string(raw)
	}
	j.steps = append(j.steps, step)
	if len(j.steps) > maxSteps {
		j.steps = j.steps[len(j.steps)-maxSteps:]
	}
	j.pending = append(j.pending, facts.JourneyEvent{
		JourneyID: j.in.JourneyID, Seq: j.seq, Kind: kind, Stage: string(j.stage),
		ActorKind: by.Kind, ActorRef: by.Ref, Detail: raw, At: now,
	})
	if by.Kind == "staff" {
		j.audit = append(j.audit, facts.AuditEntry{
			DistrictID: j.in.DistrictID, SchoolID: j.in.SchoolID, ActorKind: "staff", ActorRef: by.Ref,
			Action: kind, EntityKind: "journey", EntityID: j.in.JourneyID, After: raw,
			Key: j.in.JourneyID + ":" + itoa(j.seq),
		})
	}
}

// flush persists pending events, the read-model row, any facts the caller
// attaches and any messages, in one activity. A write that keeps failing
// for a reason no retry fixes marks the journey stuck until staff retry.
func (j *journey) flush(ctx workflow.Context, msgs []messaging.Request, attach ...func(*facts.Record)) error {
	j.seq++ // every write carries a newer sequence than the last
	in := activities.RecordInput{Record: facts.Record{View: j.view(), Events: j.pending, Audit: j.audit,
		Waits: j.openWaitSet()}, Messages: msgs}
	for _, f := range attach {
		f(&in.Record)
	}
	j.pending, j.audit = nil, nil
	j.searchChanged(ctx)
	var out activities.RecordOutput
	j.inflight++
	err := j.retryable(ctx, "record", func(ctx workflow.Context) error {
		return write(ctx, recordOptions, a.Record, in).Get(ctx, &out)
	})
	j.inflight--
	if err != nil {
		return err
	}
	return j.handleOutcomes(ctx, msgs, out.Outcomes)
}

// retryable runs step; when it fails for good the journey is flagged stuck
// on the ops console and waits for a staff Retry (or Withdraw).
func (j *journey) retryable(ctx workflow.Context, step string, fn func(workflow.Context) error) error {
	for {
		err := fn(ctx)
		if err == nil {
			// Only this step's own success clears its flag; other steps
			// keep running and succeeding meanwhile.
			if j.stuck == "failed:"+step {
				j.stuck = ""
			}
			return nil
		}
		if temporal.IsCanceledError(err) {
			return err
		}
		j.stuck = "failed:" + step
		workflow.GetLogger(ctx).Error("journey step failed; waiting for staff retry", "step", step, "error", err)
		_ = write(ctx, recordOptions, a.MarkStuck, j.in.JourneyID, j.stuck).Get(ctx, nil)
		seen := j.retries
		if err := workflow.Await(ctx, func() bool { return j.retries != seen || j.withdrawn != nil }); err != nil {
			return err
		}
		if j.withdrawn != nil && step != "record" {
			return errWithdrawn
		}
	}
}

// close ends the journey as completed or withdrawn.
func (j *journey) close(ctx workflow.Context, s Stage) error {
	by := systemActor
	if s == StageWithdrawn {
		by = j.withdrawn.By
	}
	j.enter(ctx, s, by)
	now := workflow.Now(ctx)
	status := "completed"
	if s == StageWithdrawn {
		j.ms.Withdrawn, status = &now, "withdrawn"
	} else {
		j.ms.Completed = &now
	}
	return j.flush(ctx, j.closingMessages(s), func(r *facts.Record) { r.Close = status })
}

// versionCertificateAtCompletion: the journey issues its certificate of
// completion before it closes. Journeys that closed before get theirs when
// the student first opens the certificate link.
const versionCertificateAtCompletion = "certificate-at-completion"

// issueCertificate issues the certificate of completion (the PDF and its
// verification code) before the text that links to it goes out. The
// activity is idempotent, so a retry never issues a second one; a failure
// that keeps coming back flags the journey for ops like any other step.
func (j *journey) issueCertificate(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, versionCertificateAtCompletion, workflow.DefaultVersion, 1) != 1 {
		return nil
	}
	in := activities.CertificateInput{JourneyID: j.in.JourneyID, CompletedAt: workflow.Now(ctx)}
	opts := recordOptions
	opts.Summary = "issue the certificate of completion"
	return j.retryable(ctx, "certificate", func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), a.IssueCertificate, in).Get(ctx, nil)
	})
}

// certificateLinkTTL keeps the certificate link working for a year.
const certificateLinkTTL = 365 * 24 * time.Hour

func (j *journey) closingMessages(s Stage) []messaging.Request {
	if s != StageCompleted {
		return nil
	}
	// The certificate link outlives the journey: students share it later.
	cert := &messaging.LinkSpec{Action: "certificate", TTL: certificateLinkTTL}
	return []messaging.Request{j.message("completed", PartyStudent, "journey_completed", nil, cert)}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
