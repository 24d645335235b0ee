package workflows

import (
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"
)

// Working: a timesheet week opens every week (a child workflow each) until
// approved hours reach the program's minimum.

type workState struct {
	approved float64
	weeks    []*weekRef
}

type weekRef struct {
	Week    string
	DueAt   time.Time // when the student is first asked for the week's hours
	Status  string
	Hours   float64
	Overdue bool
	Flags   []string
	// Breaches and Withheld: the hour rules broken and the hours over them,
	// kept out of the approved total until staff decide (Decision "count"
	// or "dont_count").
	Breaches []HourBreach
	Withheld float64
	Decision string
	Counted  bool
	Done     bool
	cancel   workflow.CancelFunc
	wait     *wait
}

// WeekStatus is a timesheet week in the status query.
type WeekStatus struct {
	Week     string       `json:"week"`
	Status   string       `json:"status"`
	Hours    float64      `json:"hours"`
	Overdue  bool         `json:"overdue"`
	Flags    []string     `json:"flags,omitempty"`
	Breaches []HourBreach `json:"breaches,omitempty"`
	// Withheld hours wait for a staff decision (HoursDecision "" while
	// they wait, then "count" or "dont_count").
	Withheld      float64 `json:"withheld,omitempty"`
	HoursDecision string  `json:"hours_decision,omitempty"`
}

func (j *journey) hoursRequired() float64 {
	if j.placement != nil && j.placement.HoursRequired > 0 {
		return j.placement.HoursRequired
	}
	return j.in.Program.RequiredHours
}

func (j *journey) hoursDone() bool {
	return j.work.approved >= j.hoursRequired() || j.isWaived(string(StageWorking))
}

// Version change: the first timesheet week opens on the program's start
// date, not the day the student finished trainings. Journeys that began
// working under the old code replay the old way (see the replay test).
const versionWorkStartsOnProgramStart = "work-starts-on-program-start"

func (j *journey) runWorking(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, versionWorkStartsOnProgramStart, workflow.DefaultVersion, 1) == 1 {
		if err := j.waitForProgramStart(ctx); err != nil {
			return err
		}
	}
	start := workflow.Now(ctx)
	j.ms.Working = &start
	if err := j.begin(ctx); err != nil {
		return err
	}
	weekLen := Days(7).Duration(j.in.Program.scale())
	firstMonday := mondayOf(start)
	opened := 0
	for !j.hoursDone() {
		if j.withdrawn != nil {
			return errWithdrawn
		}
		if opened < j.in.Program.MaxWeeks && !workflow.Now(ctx).Before(start.Add(time.Duration(opened)*weekLen)) {
			j.openWeek(ctx, firstMonday.AddDate(0, 0, 7*opened), start.Add(time.Duration(opened+1)*weekLen))
			opened++
			continue
		}
		cond := func() bool { return j.hoursDone() || j.withdrawn != nil }
		if opened < j.in.Program.MaxWeeks {
			if _, err := workflow.AwaitWithTimeout(ctx, start.Add(time.Duration(opened)*weekLen).Sub(workflow.Now(ctx)), cond); err != nil {
				return err
			}
			continue
		}
		// Every week the program allows has opened and hours are short:
		// the coordinator must decide (waive the rest, or withdraw).
		short := j.newWait(ctx, "hours_short", "hours_short", PartyCoordinator, j.hoursDone)
		if err := j.stepThrough(ctx, short, "coordinator_stuck"); err != nil {
			return err
		}
	}
	j.closeUnsubmittedWeeks()
	return nil
}

// openWeek starts the week's child workflow and shows it as a wait.
func (j *journey) openWeek(ctx workflow.Context, monday time.Time, dueAt time.Time) {
	week := monday.Format(time.DateOnly)
	ref := &weekRef{Week: week, Status: "due", DueAt: dueAt}
	ref.wait = &wait{step: "timesheet:" + week, party: PartyStudent, since: workflow.Now(ctx),
		done: func() bool { return ref.Done || ref.Status == "approved" }}
	j.work.weeks = append(j.work.weeks, ref)
	j.waits = append(j.waits, ref.wait)
	j.note(ctx, "week_opened", systemActor, map[string]string{"week": week})

	// Named from the journey id, not this execution, so replays (which run under
	// another id) produce the same command.
	id := WeekWorkflowID(JourneyWorkflowID(j.in.JourneyID), week)
	cctx, cancel := workflow.WithCancel(ctx)
	ref.cancel = cancel
	cctx = workflow.WithChildOptions(cctx, workflow.ChildWorkflowOptions{
		WorkflowID: id, ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_REQUEST_CANCEL,
	})
	in := WeekInput{
		JourneyID: j.in.JourneyID, StudentID: j.in.StudentID, SchoolID: j.in.SchoolID, DistrictID: j.in.DistrictID,
		Week: week, Index: len(j.work.weeks) - 1, Supervisor: j.recipient(PartyEmployer), DueAt: dueAt,
		Ladders:   map[string]Ladder{"timesheet": j.ladder("timesheet"), "timesheet_approval": j.ladder("timesheet_approval")},
		TimeScale: j.in.Program.TimeScale, HourRules: j.hourRules(ctx), StudentAge: j.ageOn(monday),
		BreakWeek: j.in.Program.breakWeek(monday), SchoolDays: j.in.Program.schoolDays(monday),
	}
	fut := workflow.ExecuteChildWorkflow(cctx, TimesheetWorkflow, in)
	workflow.Go(ctx, func(ctx workflow.Context) {
		var res WeekResult
		err := fut.Get(ctx, &res)
		ref.Done = true
		if err == nil && !ref.Counted {
			by := res.ApprovedBy
			if by.Kind == "" {
				by = systemActor
			}
			ref.Withheld = res.HoursWithheld
			j.countWeek(ctx, ref, res.HoursApproved, by)
		}
		j.dirty++
	})
}

// Version change: a week's wait counts from when the party now asked was
// asked (the supervisor: from the submission), which can change the party
// the journey shows first.
const versionSinceAsked = "since-asked"

// onWeekStatus applies a child's report (from the week_status signal).
func (j *journey) onWeekStatus(ctx workflow.Context, s WeekStatusSignal) {
	for _, ref := range j.work.weeks {
		if ref.Week != s.Week || ref.Done {
			continue
		}
		ref.Status, ref.Hours, ref.Overdue, ref.Flags = s.Status, s.Hours, s.Overdue, s.Flags
		ref.Breaches, ref.Withheld = s.Breaches, s.Withheld
		ref.wait.overdue = s.Overdue
		party := PartyStudent
		if s.Status == "submitted" {
			party = PartyEmployer
		}
		if party != ref.wait.party && workflow.GetVersion(ctx, versionSinceAsked, workflow.DefaultVersion, 1) == 1 {
			// "since" is since this party was asked, not since the week opened.
			ref.wait.since = workflow.Now(ctx)
		}
		ref.wait.party = party
		if s.Status == "approved" && !ref.Counted {
			j.countWeek(ctx, ref, s.Hours, s.By)
		} else if s.By.Kind != "system" {
			j.note(ctx, "timesheet_"+s.Status, s.By, map[string]any{"week": s.Week, "hours": s.Hours, "flags": s.Flags})
		}
		j.dirty++
	}
}

// countWeek adds a week's approved hours to the total, less the hours
// that broke an hour rule: those wait for staff (decideHours). Weeks
// checked before the hour-breaches change carry nothing withheld, so
// their replays count as they did.
func (j *journey) countWeek(ctx workflow.Context, ref *weekRef, hours float64, by Actor) {
	ref.Counted, ref.Status = true, "approved"
	withheld := min(ref.Withheld, hours)
	j.work.approved += hours - withheld
	detail := map[string]any{"week": ref.Week, "hours": hours, "total": j.work.approved}
	if withheld > 0 {
		detail["withheld"] = withheld
	}
	j.note(ctx, "timesheet_approved", by, detail)
}

// closeUnsubmittedWeeks cancels weeks nobody needs once hours are met;
// weeks already submitted run on to their approval.
func (j *journey) closeUnsubmittedWeeks() {
	for _, ref := range j.work.weeks {
		if !ref.Done && ref.Status != "submitted" && ref.Status != "approved" {
			ref.cancel()
			ref.Done = true
		}
	}
}

func (j *journey) weekStatus() []WeekStatus {
	out := []WeekStatus{}
	for _, w := range j.work.weeks {
		out = append(out, WeekStatus{Week: w.Week, Status: w.Status, Hours: w.Hours, Overdue: w.Overdue, Flags: w.Flags,
			Breaches: w.Breaches, Withheld: w.Withheld, HoursDecision: w.Decision})
	}
	return out
}

// mondayOf is the Monday of t's week (UTC calendar date).
func mondayOf(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	offset := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -offset)
}

// breakWeek reports whether a week falls in a school break; a summer
// program without a calendar is all vacation weeks.
func (p Program) breakWeek(monday time.Time) bool {
	day := monday.Format(time.DateOnly)
	for _, b := range p.Calendar.Breaks {
		if day >= b.From && day <= b.To {
			return true
		}
	}
	return len(p.Calendar.Breaks) == 0 && p.Kind == "summer_paid"
}

// waitForProgramStart sleeps until the program calendar's start date when
// the student is placed early (compressed by the time scale in load tests).
func (j *journey) waitForProgramStart(ctx workflow.Context) error {
	begins, err := time.Parse(time.DateOnly, j.in.Program.Calendar.Start)
	if err != nil {
		return nil // no calendar: work starts now
	}
	wait := time.Duration(float64(begins.Sub(workflow.Now(ctx))) / j.in.Program.scale())
	if wait <= 0 {
		return nil
	}
	j.note(ctx, "waiting_for_program_start", systemActor, map[string]string{"start": j.in.Program.Calendar.Start})
	if err := j.flush(ctx, nil); err != nil {
		return err
	}
	if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return j.withdrawn != nil || j.hoursDone() }); err != nil {
		return err
	}
	if j.withdrawn != nil {
		return errWithdrawn
	}
	return nil
}
