package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows/facts"
)

// openWaits are the waits still outstanding (a wait whose step just got
// done is excluded even before its coroutine wakes up).
func (j *journey) openWaits() []*wait {
	var out []*wait
	for _, w := range j.waits {
		if !w.done() && !j.waivedWait(w) {
			out = append(out, w)
		}
	}
	return out
}

// firstWait is the wait shown first: an overdue one before others, then
// the longest-standing one.
func (j *journey) firstWait() *wait {
	var first *wait
	for _, w := range j.openWaits() {
		if first == nil || (w.overdue && !first.overdue) || (w.overdue == first.overdue && w.since.Before(first.since)) {
			first = w
		}
	}
	return first
}

// waitingOn picks the party to show first: an overdue wait before others,
// then the longest-standing one.
func (j *journey) waitingOn() (Party, []string, bool, *time.Time) {
	var first *wait
	var steps []string
	var overdue bool
	var next *time.Time
	for _, w := range j.openWaits() {
		steps = append(steps, w.step)
		overdue = overdue || w.overdue
		if w.next != nil && (next == nil || w.next.Before(*next)) {
			t := *w.next
			next = &t
		}
		if first == nil || (w.overdue && !first.overdue) || (w.overdue == first.overdue && w.since.Before(first.since)) {
			first = w
		}
	}
	if first == nil {
		return "", nil, false, nil
	}
	return first.party, steps, overdue, next
}

// view is the journey's read-model row.
func (j *journey) view() facts.JourneyView {
	party, steps, overdue, next := j.waitingOn()
	v := facts.JourneyView{
		JourneyID: j.in.JourneyID, StudentID: j.in.StudentID, DistrictID: j.in.DistrictID,
		SchoolID: j.in.SchoolID, ProgramID: j.in.ProgramID, Stage: string(j.stage),
		WaitingOn: string(party), WaitingDetail: strings.Join(steps, ","), StageSince: j.stageSince,
		Overdue: overdue, NextNudgeAt: next, HoursApproved: j.work.approved, HoursRequired: j.hoursRequired(),
		Unreachable: len(j.unreachable) > 0, StuckReason: j.stuck, UpdatedSeq: j.seq,
		SurveyDoneAt: j.ms.SurveyDone, InternReadyAt: j.ms.InternReady, AppliedAt: j.ms.Applied,
		PlacedAt: j.ms.Placed, PermitDoneAt: j.ms.PermitDone, TrainingsDoneAt: j.ms.TrainingsDone,
		WorkingAt: j.ms.Working, CompletedAt: j.ms.Completed, WithdrawnAt: j.ms.Withdrawn,
	}
	if j.placement != nil {
		v.ProjectTitle = j.placement.Info.Title
	}
	if w := j.firstWait(); w != nil {
		since := w.since
		v.WaitingSince = &since
	}
	if j.stage.Closed() {
		v.WaitingOn, v.WaitingDetail, v.Overdue, v.NextNudgeAt, v.WaitingSince = "", "", false, nil, nil
	}
	return v
}

// status answers the status query.
func (j *journey) status() (JourneyStatus, error) {
	party, _, overdue, next := j.waitingOn()
	st := JourneyStatus{
		JourneyID: j.in.JourneyID, Stage: j.stage, StageSince: j.stageSince, WaitingOn: party,
		Overdue: overdue, NextNudgeAt: next, HoursApproved: j.work.approved, HoursRequired: j.hoursRequired(),
		StuckReason: j.stuck, Steps: j.steps, Waits: []WaitStatus{},
		Applications: j.applicationStatus(), Permit: j.permitStatus(), TrainingsOutstanding: j.trainingsOutstanding(),
		TrainingsAvailable: j.trainingsAvailable(), TrainingsDone: slices.Clone(j.trainings.Done),
		Weeks: j.weekStatus(), Plan: j.plan(), TrainingsRequired: j.requiredTrainings(),
		Found: j.foundStatus(),
	}
	for _, u := range j.unreachable {
		st.Unreachable = append(st.Unreachable, string(u))
	}
	for _, w := range j.openWaits() {
		ws := WaitStatus{Step: w.step, WaitingOn: w.party, Since: w.since, Overdue: w.overdue, NextNudgeAt: w.next,
			DueAt: j.dueAt(w)}
		ws.Action, ws.Subject, ws.DocumentSHA256 = j.waitAction(w)
		st.Waits = append(st.Waits, ws)
	}
	return st, nil
}

// dueAt is when the wait escalates to staff on its ladder: the date a
// person's own page and a supervisor's inbox show as due.
func (j *journey) dueAt(w *wait) *time.Time {
	if w.ladder == "" {
		return nil
	}
	for _, r := range j.ladder(w.ladder) {
		if r.Escalate {
			at := w.since.Add(r.After.Duration(j.in.Program.scale()))
			return &at
		}
	}
	return nil
}

// waitAction is the link action that does what the wait asks. A
// timesheet week's wait carries no link of its own (the week's workflow
// sends it): the student's part is the week's hours until they are sent.
func (j *journey) waitAction(w *wait) (action, subject, sha string) {
	if w.link != nil {
		return w.link.Action, w.link.SubjectRef, w.link.DocumentSHA256
	}
	for _, ref := range j.work.weeks {
		if ref.wait == w && ref.Status != "submitted" && ref.Status != "approved" {
			return "submit_timesheet", ref.Week, ""
		}
	}
	return "", "", ""
}

// plan is every stage in order with where the journey stands on it. A
// stage that depends on the placement (the MOU, the work permit,
// trainings) is "later" before there is one only when it may well come.
func (j *journey) plan() []StageState {
	cur := slices.Index(stageOrder, j.stage)
	out := []StageState{}
	for i, s := range stageOrder {
		state := "later"
		switch {
		case j.stage == StageCompleted || i < cur:
			state = "done"
			if !j.applies(s) {
				state = "skipped"
			}
		case i == cur:
			state = "now"
		case !j.mayApply(s):
			state = "skipped"
		}
		if state != "skipped" && state != "now" && j.isWaived(string(s)) {
			state = "waived"
		}
		out = append(out, StageState{Stage: s, State: state})
	}
	return out
}

// mayApply: a stage still ahead is expected to be part of this journey.
func (j *journey) mayApply(s Stage) bool {
	if j.placement != nil {
		return j.applies(s)
	}
	p := j.in.Program
	switch s {
	case StageMOUGate:
		return false // the employer's paperwork, known once placed
	case StageWorkPermit:
		return p.has(s) && p.WorkPermit && j.in.StudentIsMinor
	case StageTrainings:
		return p.has(s) // the placement may add some
	}
	return j.applies(s)
}

// searchAttrs remembers what was last upserted, so unchanged values add
// no history events.
type searchAttrs struct {
	stage, waiting string
	since          time.Time
}

// versionQuietWorkingSearch: while the student works, WaitingOn is left
// empty in Temporal's search attributes. Who a week waits on flips twice a
// week (student, then supervisor), and each flip was an upsert: a history
// event and a billable action, 19 of a journey's 229, for a filter
// nobody needs in the Temporal UI, since the week workflows and the staff
// pages (from PostgreSQL) say who a timesheet waits on.
const versionQuietWorkingSearch = "quiet-working-search"

// upsertSearchAttributes keeps Stage, WaitingOn and StageSince current for
// the Temporal UI and `temporal workflow list --query`.
func (j *journey) upsertSearchAttributes(ctx workflow.Context) {
	party, _, _, _ := j.waitingOn()
	if j.stage.Closed() || j.stage == StageWorking && j.quietWhileWorking(ctx) {
		party = ""
	}
	want := searchAttrs{stage: string(j.stage), waiting: string(party), since: j.stageSince}
	if want == j.sa {
		return
	}
	j.sa = want
	err := workflow.UpsertTypedSearchAttributes(ctx,
		SAStage.ValueSet(want.stage), SAWaitingOn.ValueSet(want.waiting), SAStageSince.ValueSet(want.since))
	if err != nil {
		workflow.GetLogger(ctx).Warn("search attributes not updated", "error", err)
	}
}

// versionSettledSearch: a journey's search attributes are upserted once
// its writes have settled, not with each write. A person's input is
// usually written twice in one workflow task, by the update that took it
// and by the step that follows (the next stage, the next wait), and each
// write upserted Stage and WaitingOn when they changed: two upserts, each
// a history event and a billable action, where the second overwrote the
// first before anyone could see it. Deferred, the task upserts once, with
// the values it ends on.
const versionSettledSearch = "settled-search"

// searchChanged brings the search attributes up to date after a write:
// at once on journeys that ran before versionSettledSearch and when the
// journey closes (nothing runs after it), otherwise by upsertWhenSettled.
func (j *journey) searchChanged(ctx workflow.Context) {
	if j.stage.Closed() || workflow.GetVersion(ctx, versionSettledSearch, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		j.upsertSearchAttributes(ctx)
		return
	}
	j.searchStale = true
}

// upsertWhenSettled upserts the search attributes when a write asked for
// it and no write is under way: the step that follows a person's input
// has then written too, so the upsert carries where the journey now
// waits. It runs for the journey's life.
func (j *journey) upsertWhenSettled(ctx workflow.Context) {
	for {
		if err := workflow.Await(ctx, func() bool { return j.searchStale && j.inflight == 0 }); err != nil {
			return
		}
		j.searchStale = false
		j.upsertSearchAttributes(ctx)
	}
}

// quietWhileWorking says whether this journey leaves WaitingOn empty while
// working (versionQuietWorkingSearch); journeys that worked on the older
// code keep upserting each flip, so their histories replay.
func (j *journey) quietWhileWorking(ctx workflow.Context) bool {
	return workflow.GetVersion(ctx, versionQuietWorkingSearch, workflow.DefaultVersion, 1) == 1
}
