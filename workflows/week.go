package workflows

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// TimesheetWeek is a child workflow per timesheet week: the student
// submits hours, the supervisor approves or asks for a correction. Weeks in
// children keep the journey's own history small however long it runs.

type week struct {
	in        WeekInput
	parent    string
	entries   []TimesheetEntry
	hours     float64
	flags     []string
	breaches  []HourBreach
	withheld  float64
	submitted bool
	approved  bool
	saving    bool // a submission or review is being written
	// current is the ladder running now and whom it nudges.
	current   string
	currentTo messaging.Recipient
	note      string
	round     int
	overdue   bool
	// asked is when the current ladder's party was asked (its "since").
	asked      time.Time
	approvedBy Actor
}

// TimesheetWeekWorkflow runs one week until its hours are approved.
func TimesheetWeekWorkflow(ctx workflow.Context, in WeekInput) (WeekResult, error) {
	w := &week{in: in}
	if parent := workflow.GetInfo(ctx).ParentWorkflowExecution; parent != nil {
		w.parent = parent.ID // a week runs alone only in tests
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateSubmitTimesheet, w.submit,
		workflow.UpdateHandlerOptions{Validator: w.validateSubmit}); err != nil {
		return WeekResult{}, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateReviewTimesheet, w.review,
		workflow.UpdateHandlerOptions{Validator: w.validateReview}); err != nil {
		return WeekResult{}, err
	}
	listen(ctx, SignalNudge, w.nudge)
	for !w.approved {
		if err := w.runLadder(ctx, "timesheet", w.studentRecipient(), func() bool { return w.submitted }); err != nil {
			return WeekResult{}, err
		}
		if err := w.runLadder(ctx, "timesheet_approval", in.Supervisor, func() bool { return !w.submitted || w.approved }); err != nil {
			return WeekResult{}, err
		}
		w.round++
	}
	err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	return WeekResult{Week: in.Week, HoursApproved: w.hours, HoursWithheld: w.withheld, ApprovedBy: w.approvedBy}, err
}

func (w *week) studentRecipient() messaging.Recipient {
	return messaging.Recipient{Kind: "student", Ref: w.in.StudentID}
}

// runLadder waits for done, sending the week's reminders; the student's
// ladder counts from the end of the week, the supervisor's from submission.
func (w *week) runLadder(ctx workflow.Context, ladderName string, to messaging.Recipient, done func() bool) error {
	w.current, w.currentTo = ladderName, to
	since := workflow.Now(ctx)
	if ladderName == "timesheet" && w.round == 0 {
		since = w.in.DueAt
	}
	w.asked = since
	scale := Program{TimeScale: w.in.TimeScale}.scale()
	for i, r := range w.in.Ladders[ladderName] {
		if d := since.Add(r.After.Duration(scale)).Sub(workflow.Now(ctx)); d > 0 {
			if ok, err := workflow.AwaitWithTimeout(ctx, d, done); err != nil || ok {
				return err
			}
		}
		if done() {
			return nil
		}
		if err := w.sendRung(ctx, ladderName, i, r, to); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, done)
}

func (w *week) sendRung(ctx workflow.Context, ladderName string, i int, r Rung, to messaging.Recipient) error {
	if i == 0 && w.round > 0 && ladderName == "timesheet" {
		r.Template = "timesheet_correction"
	}
	return w.sendRungKeyed(ctx, ladderName, fmt.Sprintf("%d:r%d", w.round, i), r, to, i > 0)
}

// weekParty is whom a ladder of the week asks.
func weekParty(ladderName string) Party {
	if ladderName == "timesheet_approval" {
		return PartyEmployer
	}
	return PartyStudent
}

// waitKey names one ladder's wait of this week for the send-time check.
func (w *week) waitKey(ladderName string) string {
	return fmt.Sprintf("%s:week:%s:%s", w.in.JourneyID, w.in.Week, ladderName)
}

// waits is what the week waits for once it is in status: the student's
// hours, the supervisor's approval, or nothing.
func (w *week) waits(status string, at time.Time) *facts.WaitSet {
	set := &facts.WaitSet{Owner: facts.WeekWaitOwner(w.in.Week), Waits: []facts.OpenWait{}}
	ladder := "timesheet"
	switch status {
	case "approved":
		return set
	case "submitted":
		ladder = "timesheet_approval"
	}
	set.Waits = append(set.Waits, facts.OpenWait{Key: w.waitKey(ladder), Party: string(weekParty(ladder)), AskedAt: at})
	return set
}

func (w *week) sendRungKeyed(ctx workflow.Context, ladderName, suffix string, r Rung, to messaging.Recipient, reminder bool) error {
	key := fmt.Sprintf("%s:week:%s:%s:%s", w.in.JourneyID, w.in.Week, ladderName, suffix)
	params := w.flagParams(map[string]string{"week": w.in.Week, "note": w.note})
	var link *messaging.LinkSpec
	action := map[string]string{"timesheet": "submit_timesheet", "timesheet_approval": "review_timesheet"}[ladderName]
	waitParty := weekParty(ladderName)
	if r.To == "" {
		link = &messaging.LinkSpec{Action: action, SubjectRef: w.in.Week}
	} else {
		to = messaging.Recipient{Kind: "coordinator", Ref: w.in.SchoolID}
		params = escalationParams("timesheet:"+w.in.Week, waitParty, w.asked)
		params["week"] = w.in.Week
		waitParty, reminder = "", false
	}
	msg := messaging.Request{IdemKey: key, DistrictID: w.in.DistrictID, SchoolID: w.in.SchoolID, JourneyID: w.in.JourneyID,
		To: to, Template: r.Template, Params: params, Link: link,
		Wait: w.waitKey(ladderName), WaitParty: string(waitParty), Reminder: reminder}
	if r.Escalate && !w.overdue {
		w.overdue = true
		w.tellParent(ctx, w.status(), systemActor)
	}
	return w.record(ctx, nil, []messaging.Request{msg}, w.waits(w.status(), w.asked))
}

func (w *week) status() string {
	switch {
	case w.approved:
		return "approved"
	case w.submitted:
		return "submitted"
	case w.round > 0:
		return "correction_requested"
	}
	return "due"
}

func (w *week) validateSubmit(ctx workflow.Context, in TimesheetInput) error {
	if w.approved {
		return reject(WeekAlreadyApproved, "")
	}
	if w.submitted || w.saving {
		return reject(WeekWithSupervisor, "")
	}
	if len(in.Entries) == 0 {
		return reject(WeekHoursRequired, "entries")
	}
	start, _ := time.Parse(time.DateOnly, w.in.Week)
	var seen []string
	for i, e := range in.Entries {
		field := fmt.Sprintf("entries[%d]", i)
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil {
			return reject(WeekDateFormat, field+".date")
		}
		if d.Before(start) || !d.Before(start.AddDate(0, 0, 7)) {
			return reject(WeekDateOutside, field+".date", e.Date, w.in.Week)
		}
		if w.inFuture(ctx, d) && e.Hours > 0 {
			return reject(WeekDateInFuture, field+".date", e.Date)
		}
		if slices.Contains(seen, e.Date) {
			return reject(WeekDateTwice, field+".date", e.Date)
		}
		seen = append(seen, e.Date)
		if e.Hours < 0 || e.Hours > 24 {
			return reject(WeekHoursRange, field+".hours")
		}
		if _, ok := hours.Minutes(e.End); e.End != "" && !ok {
			return reject(WeekEndFormat, field+".end")
		}
	}
	return nil
}

// inFuture reports whether a day has not begun yet anywhere in the US
// (its UTC date is after today's). Compressed time (load tests) has no
// calendar to check against.
func (w *week) inFuture(ctx workflow.Context, day time.Time) bool {
	if (Program{TimeScale: w.in.TimeScale}).scale() != 1 {
		return false
	}
	today := workflow.Now(ctx).UTC().Format(time.DateOnly)
	return day.Format(time.DateOnly) > today
}

// submit writes the timesheet before the week counts as submitted, so the
// supervisor's request never arrives before the hours it asks about.
func (w *week) submit(ctx workflow.Context, in TimesheetInput) error {
	w.saving, w.entries, w.hours = true, in.Entries, 0
	defer func() { w.saving = false }()
	for _, e := range in.Entries {
		w.hours += e.Hours
	}
	w.checkRules(ctx, in.Entries)
	err := w.record(ctx, &facts.TimesheetFact{Week: w.in.Week, Status: "submitted", Entries: toFacts(in.Entries),
		Hours: w.hours, Flags: w.flags, Breaches: w.breaches, Withheld: w.withheld, At: workflow.Now(ctx)},
		w.flagAlert(), w.waits("submitted", workflow.Now(ctx)))
	if err != nil {
		return err
	}
	w.submitted = true
	w.tellParent(ctx, "submitted", in.By)
	return nil
}

// Version change: a submitted week is held to the full rules (school days,
// the day before a day without school, the latest end), its breaches are
// kept as data every reader gets in their language, and the hours over
// the limits are withheld until staff decide. Weeks submitted before
// replay the old English flags.
const versionHourBreaches = "hour-breaches"

func (w *week) checkRules(ctx workflow.Context, entries []TimesheetEntry) {
	if workflow.GetVersion(ctx, versionHourBreaches, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		w.flags = checkHourRulesV0(w.in, entries)
		return
	}
	res := checkHourRules(w.in, entries)
	w.breaches, w.withheld = res.Breaches, res.Withheld
	// Flags stay for the journey's timeline and older readers: the
	// coordinator's English words.
	w.flags = hours.ExplainAll(res.Breaches, "en")
}

// flagParams adds the week's breaches to a message's params: "breaches"
// (data the templates word in the reader's language) and "flags" (the
// English sentences weeks checked before kept).
func (w *week) flagParams(params map[string]string) map[string]string {
	if len(w.breaches) > 0 {
		raw, _ := json.Marshal(w.breaches)
		params["breaches"] = string(raw)
		params["withheld"] = strconv.FormatFloat(w.withheld, 'f', -1, 64)
		return params
	}
	params["flags"] = strings.Join(w.flags, "; ")
	return params
}

func (w *week) validateReview(in TimesheetReviewInput) error {
	if w.approved || w.saving {
		return reject(WeekAlreadyApproved, "")
	}
	if !w.submitted {
		return reject(WeekNotSubmitted, "")
	}
	if !in.Approve && strings.TrimSpace(in.Note) == "" {
		return reject(WeekNoteRequired, "note")
	}
	return nil
}

func (w *week) review(ctx workflow.Context, in TimesheetReviewInput) error {
	w.saving = true
	defer func() { w.saving = false }()
	status := "approved"
	if !in.Approve {
		status = "correction_requested"
	}
	now := workflow.Now(ctx)
	err := w.record(ctx, &facts.TimesheetFact{Week: w.in.Week, Status: status, Hours: w.hours, ReviewerRef: in.By.Ref,
		Note: in.Note, At: now, ReviewedAt: &now}, nil, w.waits(status, now))
	if err != nil {
		return err
	}
	if in.Approve {
		w.approved, w.approvedBy = true, in.By
	} else {
		w.submitted, w.note = false, in.Note
	}
	w.overdue = false
	w.tellParent(ctx, status, in.By)
	return nil
}

// tellParent keeps the journey's read model current (it is the only
// writer of the journey row).
func (w *week) tellParent(ctx workflow.Context, status string, by Actor) {
	sig := WeekStatusSignal{Week: w.in.Week, Status: status, Hours: w.hours, Overdue: w.overdue, Flags: w.flags, By: by,
		Breaches: w.breaches, Withheld: w.withheld}
	if w.parent == "" {
		return
	}
	// Fire and forget: a journey that has moved on simply ignores it.
	workflow.SignalExternalWorkflow(ctx, w.parent, "", SignalWeekStatus, sig)
}

var weekRecordOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrInvalidInput}},
}

func (w *week) record(ctx workflow.Context, fact *facts.TimesheetFact, msgs []messaging.Request, waits *facts.WaitSet) error {
	in := activities.TimesheetRecord{JourneyID: w.in.JourneyID, Timesheet: fact, Messages: msgs, Waits: waits}
	return write(ctx, weekRecordOptions, a.RecordTimesheet, in).Get(ctx, nil)
}

func toFacts(es []TimesheetEntry) []facts.TimesheetEntryFact {
	out := make([]facts.TimesheetEntryFact, len(es))
	for i, e := range es {
		out[i] = facts.TimesheetEntryFact{Date: e.Date, Hours: e.Hours, Note: e.Note, End: e.End}
	}
	return out
}

// flagAlert tells the coordinator, before anyone approves, that the hours
// break a minor work-hour rule (the supervisor's request names it too).
func (w *week) flagAlert() []messaging.Request {
	if len(w.flags) == 0 {
		return nil
	}
	return []messaging.Request{{
		IdemKey:    fmt.Sprintf("%s:week:%s:flags:%d", w.in.JourneyID, w.in.Week, w.round),
		DistrictID: w.in.DistrictID, SchoolID: w.in.SchoolID, JourneyID: w.in.JourneyID,
		To: messaging.Recipient{Kind: "coordinator", Ref: w.in.SchoolID}, Template: "hours_flagged",
		Params: w.flagParams(map[string]string{"week": w.in.Week}),
	}}
}

// nudge resends the week's current request with a fresh link: a staff
// "nudge now", or the person asking for a new link.
func (w *week) nudge(ctx workflow.Context, n NudgeSignal) {
	party := PartyStudent
	if w.current == "timesheet_approval" {
		party = PartyEmployer
	}
	if w.approved || w.current == "" || (n.Party != "" && n.Party != party) {
		return
	}
	ladder := w.in.Ladders[w.current]
	if len(ladder) == 0 {
		return
	}
	rung := ladder[0]
	rung.To, rung.Escalate = "", false
	key := fmt.Sprintf("nudge:%s", n.RequestID)
	if err := w.sendRungKeyed(ctx, w.current, key, rung, w.currentTo, false); err != nil {
		workflow.GetLogger(ctx).Warn("week nudge not sent", "error", err)
	}
}
