package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
)

// NudgeSignal is a staff "nudge now": every open wait sends its reminder
// (with a fresh link). With Party set, only that party's waits do: this is
// how "ask for a new link" on an expired link page reaches the person.
type NudgeSignal struct {
	By        Actor  `json:"by"`
	RequestID string `json:"request_id"`
	Party     Party  `json:"party,omitempty"`
	// steps, when set, are the only waits that answer this nudge (chosen
	// when it arrives; rebuilt by replay, never sent).
	steps []string
}

// targets reports whether wait w answers the nudge.
func (n NudgeSignal) targets(w *wait) bool {
	if n.steps != nil {
		return slices.Contains(n.steps, w.step)
	}
	return n.Party == "" || n.Party == w.party
}

// RetrySignal re-runs a step that failed for good.
type RetrySignal struct {
	By Actor `json:"by"`
}

// WaiveInput skips a stage or one step of it, with the reason.
type WaiveInput struct {
	By     Actor  `json:"by"`
	Step   string `json:"step"`
	Reason string `json:"reason"`
}

// WithdrawInput ends the journey early.
type WithdrawInput struct {
	By     Actor  `json:"by"`
	Reason string `json:"reason"`
}

// ScheduleInput replaces one reminder ladder for this journey.
type ScheduleInput struct {
	By     Actor  `json:"by"`
	Ladder string `json:"ladder"`
	Rungs  Ladder `json:"rungs"`
}

// UnreachableSignal reports a message that could not be delivered.
type UnreachableSignal struct {
	RecipientKind string `json:"recipient_kind"`
	Channel       string `json:"channel"`
	Reason        string `json:"reason"`
}

type update struct {
	name      string
	handler   any
	validator any
}

func (j *journey) registerHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryStatus, j.status); err != nil {
		return err
	}
	for _, u := range []update{
		{UpdateSurvey, j.submitSurvey, j.validateSurvey},
		{UpdateBadgeDocument, j.uploadBadgeDocument, j.validateBadgeDocument},
		{UpdateReviewBadge, j.reviewBadge, j.validateBadgeReview},
		{UpdateApply, j.apply, j.validateApply},
		{UpdateDecideApplication, j.decide, j.validateDecision},
		{UpdateAcceptOffer, j.acceptOffer, j.validateAcceptOffer},
		{UpdateReportFound, j.reportFound, j.validateReportFound},
		{UpdateVetFound, j.vetFound, j.validateVetFound},
		{UpdateConfirmFound, j.confirmFound, j.validateConfirmFound},
		{UpdateSignPermit, j.sign, j.validateSign},
		{UpdateDecidePermit, j.decidePermit, j.validatePermitDecision},
		{UpdateCorrectPermit, j.correctPermit, j.validateCorrectPermit},
		{UpdateCompleteTraining, j.completeTraining, j.validateTraining},
		{UpdateSubmitDeliverable, j.submitDeliverable, j.validateDeliverable},
		{UpdateReviewDeliverable, j.reviewDeliverable, j.validateDeliverableReview},
		{UpdateReflection, j.submitReflection, j.validateReflection},
		{UpdateFeedback, j.submitFeedback, j.validateFeedback},
		{UpdateWaive, j.waive, j.validateWaive},
		{UpdateWithdraw, j.withdraw, j.validateWithdraw},
		{UpdateChangeSchedule, j.changeSchedule, j.validateSchedule},
		{UpdateMigrateProgram, j.migrateProgram, j.validateMigrate},
		{UpdateDecideHours, j.decideHours, j.validateDecideHours},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler,
			workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return err
		}
	}
	j.listen(ctx, SignalNudge, func(ctx workflow.Context, s NudgeSignal) {
		if !j.hasOpenWait(s.Party) || j.stage.Closed() {
			return
		}
		if workflow.GetVersion(ctx, versionNudgeOncePerPerson, workflow.DefaultVersion, 1) == 1 {
			j.nudgeOncePerPerson(ctx, &s)
		} else {
			j.forwardNudgeToWeeks(ctx, s)
		}
		j.nudges = append(j.nudges, s)
		j.note(ctx, "nudged", s.By, nil)
		j.dirty++
	})
	j.listen(ctx, SignalRetry, func(ctx workflow.Context, s RetrySignal) {
		j.retries++
		j.note(ctx, "retried", s.By, map[string]string{"step": j.stuck})
	})
	j.listen(ctx, SignalMOUApproved, j.onMOUApproved)
	j.listen(ctx, SignalWeekStatus, j.onWeekStatus)
	j.listen(ctx, SignalContactUnreachable, j.onUnreachable)
	workflow.Go(ctx, j.project)
	workflow.Go(ctx, j.upsertWhenSettled)
	return nil
}

// listen runs fn for every signal of that name, in order.
func listen[T any](ctx workflow.Context, name string, fn func(workflow.Context, T)) {
	ch := workflow.GetSignalChannel(ctx, name)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var v T
			if !ch.Receive(ctx, &v) {
				return
			}
			fn(ctx, v)
		}
	})
}

func (j *journey) listen(ctx workflow.Context, name string, fn any) {
	switch f := fn.(type) {
	case func(workflow.Context, NudgeSignal):
		listen(ctx, name, f)
	case func(workflow.Context, RetrySignal):
		listen(ctx, name, f)
	case func(workflow.Context, MOUApprovedSignal):
		listen(ctx, name, f)
	case func(workflow.Context, WeekStatusSignal):
		listen(ctx, name, f)
	case func(workflow.Context, UnreachableSignal):
		listen(ctx, name, f)
	}
}

// project writes the read model after changes that arrive by signal
// (week status, MOU approval, unreachable contacts), which cannot write
// from their handlers.
func (j *journey) project(ctx workflow.Context) {
	written := 0
	for {
		if err := workflow.Await(ctx, func() bool { return j.dirty != written }); err != nil {
			return
		}
		written = j.dirty
		var alerts []messaging.Request
		alerts, j.pendingAlerts = j.pendingAlerts, nil
		if err := j.flush(ctx, alerts); err != nil {
			return
		}
	}
}

func (j *journey) onUnreachable(ctx workflow.Context, s UnreachableSignal) {
	if alert, ok := j.markUnreachable(ctx, partyOf(messaging.Recipient{Kind: s.RecipientKind}), s.Channel, s.Reason); ok {
		j.pendingAlerts = append(j.pendingAlerts, alert)
		j.dirty++
	}
}

// isWaived reports whether staff waived this step or anything it belongs
// to ("permit_sign:guardian" covers "permit_sign:guardian:v2").
func (j *journey) isWaived(step string) bool {
	for {
		if _, ok := j.waived[step]; ok {
			return true
		}
		i := strings.LastIndex(step, ":")
		if i < 0 {
			return false
		}
		step = step[:i]
	}
}

// Waivable lists what staff can waive, in process order: whole stages and
// single steps (and any one training, "training:<id>"). The staff page
// offers these, each with its label.
var Waivable = []string{string(StageSurvey), string(StageInternReady), string(StageMOUGate), string(StageWorkPermit),
	"permit_sign:student", "permit_sign:guardian", "permit_sign:employer", string(StageTrainings), string(StageWorking),
	string(StageDeliverable), "reflection", "feedback"}

func (j *journey) validateWaive(in WaiveInput) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyEnded, "")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return reject(WaiveReasonRequired, "reason")
	}
	step := in.Step
	if !slices.Contains(Waivable, step) && !strings.HasPrefix(step, "training:") {
		return reject(WaiveNotWaivable, "step", step)
	}
	if j.isWaived(step) {
		return reject(WaiveAlreadyWaived, "step", step)
	}
	return nil
}

func (j *journey) waive(ctx workflow.Context, in WaiveInput) error {
	j.waived[in.Step] = in
	j.note(ctx, "waived", in.By, map[string]string{"step": in.Step, "reason": in.Reason})
	return j.flush(ctx, nil)
}

func (j *journey) validateWithdraw(in WithdrawInput) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyAlreadyEnded, "")
	}
	if strings.TrimSpace(in.Reason) == "" {
		return reject(WithdrawReasonRequired, "reason")
	}
	return nil
}

// withdraw only sets the flag; the stage functions unwind and close the
// journey (and write it) as withdrawn.
func (j *journey) withdraw(ctx workflow.Context, in WithdrawInput) error {
	j.withdrawn = &in
	j.note(ctx, "withdraw_requested", in.By, map[string]string{"reason": in.Reason})
	return nil
}

func (j *journey) validateSchedule(in ScheduleInput) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyEnded, "")
	}
	if _, ok := j.in.Program.Ladders[in.Ladder]; !ok {
		return reject(LadderUnknown, "ladder", in.Ladder)
	}
	for i, r := range in.Rungs {
		if r.After < 0 || (i > 0 && r.After < in.Rungs[i-1].After) {
			return reject(LadderRungsOrder, "rungs")
		}
		if strings.TrimSpace(r.Template) == "" {
			return reject(LadderRungTemplate, "rungs")
		}
	}
	return nil
}

func (j *journey) changeSchedule(ctx workflow.Context, in ScheduleInput) error {
	j.ladderOverrides[in.Ladder] = in.Rungs
	j.ladderVersion++
	j.note(ctx, "schedule_changed", in.By, map[string]any{"ladder": in.Ladder, "rungs": len(in.Rungs)})
	return j.flush(ctx, nil)
}

// hasOpenWait reports an open wait on the party (any party when empty).
func (j *journey) hasOpenWait(p Party) bool {
	for _, w := range j.openWaits() {
		if p == "" || w.party == p {
			return true
		}
	}
	return false
}

// forwardNudgeToWeeks passes a nudge on to open timesheet weeks, which run
// their own reminders (and so send their own fresh links).
func (j *journey) forwardNudgeToWeeks(ctx workflow.Context, s NudgeSignal) {
	if workflow.GetVersion(ctx, "nudge-timesheet-weeks", workflow.DefaultVersion, 1) != 1 {
		return
	}
	for _, ref := range j.work.weeks {
		if ref.Done || ref.Status == "approved" || (s.Party != "" && s.Party != ref.wait.party) {
			continue
		}
		workflow.SignalExternalWorkflow(ctx, WeekWorkflowID(JourneyWorkflowID(j.in.JourneyID), ref.Week), "", SignalNudge, s)
	}
}

// Version change: a nudge reaches each person once, about one step they
// have already been asked for; before it, every open wait (and every open
// timesheet week) sent its own text, three in two seconds.
const versionNudgeOncePerPerson = "nudge-once-per-person"

// nudgeOncePerPerson picks, for each party the nudge is for, the one step
// to remind them of: the longest-waiting step they were already asked
// for, else their oldest timesheet week that is due. A week that only
// just opened was never asked for and is not nudged.
func (j *journey) nudgeOncePerPerson(ctx workflow.Context, s *NudgeSignal) {
	s.steps = []string{}
	now := workflow.Now(ctx)
	var parties []Party
	for _, w := range j.openWaits() {
		if (s.Party == "" || s.Party == w.party) && !slices.Contains(parties, w.party) {
			parties = append(parties, w.party)
		}
	}
	for _, p := range parties {
		if w := j.oldestAskedWait(p); w != nil {
			s.steps = append(s.steps, w.step)
			continue
		}
		if ref := j.oldestDueWeek(p, now); ref != nil {
			workflow.SignalExternalWorkflow(ctx, WeekWorkflowID(JourneyWorkflowID(j.in.JourneyID), ref.Week), "", SignalNudge, *s)
		}
	}
}

// oldestAskedWait is the party's longest-open ladder wait whose first
// request has gone out.
func (j *journey) oldestAskedWait(p Party) *wait {
	var best *wait
	for _, w := range j.openWaits() {
		if w.party != p || w.ladder == "" || w.sent == 0 || j.partyTemplate(w) == "" {
			continue
		}
		if best == nil || w.since.Before(best.since) {
			best = w
		}
	}
	return best
}

// oldestDueWeek is the party's oldest open timesheet week that asks them
// something now: the student's once the week has ended, the supervisor's
// once hours are submitted.
func (j *journey) oldestDueWeek(p Party, now time.Time) *weekRef {
	for _, ref := range j.work.weeks {
		if ref.Done || ref.Status == "approved" || ref.wait.party != p {
			continue
		}
		if ref.Status == "due" && now.Before(ref.DueAt) {
			continue
		}
		return ref
	}
	return nil
}
