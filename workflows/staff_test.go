package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/workflows"
)

func TestJourney_StaffNudge_SendsTheOpenStepsReminderOnce(t *testing.T) {
	w := newWorld(t)
	w.at(day, func() {
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: coord, RequestID: "n1"})
	})
	w.stopAt(2*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	nudges := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":nudge:n1:") })
	if want := []string{"d1 survey_invite→student"}; !slices.Equal(nudges, want) {
		t.Fatalf("nudge messages = %v, want %v", nudges, want)
	}
	if m := w.sentTemplate("survey_invite"); m[len(m)-1].Link == nil {
		t.Fatal("a nudge must carry the action link")
	}
}

func TestJourney_WaiveStage_MovesOnAndIsAudited(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() {
		w.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "survey"})
		w.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "nonsense", Reason: "x"})
		w.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "survey", Reason: "Completed on paper at the career fair"})
	})
	w.stopAt(2*time.Hour, func() {
		v := w.view()
		// A waived survey is not done: the funnel counted waived students as "Survey done".
		if v.Stage != "intern_ready" || v.SurveyDoneAt != nil {
			t.Errorf("after waiving the survey: %s, survey done %v (want not done)", v.Stage, v.SurveyDoneAt)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	want := []string{"waive: give the reason for waiving", `waive: "nonsense" cannot be waived`}
	if !slices.Equal(w.rejected, want) {
		t.Errorf("rejections = %v, want %v", w.rejected, want)
	}
	var audited bool
	for _, r := range w.records {
		for _, a := range r.Record.Audit {
			audited = audited || (a.Action == "waived" && strings.Contains(string(a.After), "Completed on paper"))
		}
	}
	if !audited {
		t.Error("the waiver and its reason are not in the audit log")
	}
}

func TestJourney_UnreachableStudent_JourneyGoesOnCoordinatorToldOnce(t *testing.T) {
	w := newWorld(t)
	w.unreachable["student"] = "opted_out"
	w.stopAt(12*day, func() {
		v := w.view()
		if !v.Unreachable || v.Stage != "survey" {
			t.Errorf("view = %+v, want the survey stage flagged unreachable", v)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	alerts := w.sentTemplate("contact_unreachable")
	if len(alerts) != 1 || alerts[0].To.Kind != "coordinator" || alerts[0].Params["reason"] != "opted_out" {
		t.Fatalf("coordinator alerts = %+v, want exactly one", alerts)
	}
}

func TestJourney_UndeliverableSignal_FlagsContactAndAlerts(t *testing.T) {
	w := newWorld(t)
	w.at(day, func() {
		w.env.SignalWorkflow(workflows.SignalContactUnreachable, workflows.UnreachableSignal{RecipientKind: "student", Channel: "sms", Reason: "invalid"})
		w.env.SignalWorkflow(workflows.SignalContactUnreachable, workflows.UnreachableSignal{RecipientKind: "student", Channel: "sms", Reason: "invalid"})
	})
	w.stopAt(2*day, func() {
		if !w.view().Unreachable {
			t.Error("the read model does not show the unreachable contact")
		}
	})
	w.run(input(workflows.DefaultProgram()))
	if n := len(w.sentTemplate("contact_unreachable")); n != 1 {
		t.Fatalf("coordinator alerted %d times, want once", n)
	}
}

func TestJourney_ChangeSchedule_RunningLadderFollowsTheNewRungs(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() {
		w.update(workflows.UpdateChangeSchedule, workflows.ScheduleInput{By: coord, Ladder: "survey", Rungs: workflows.Ladder{
			{After: 0, Template: "survey_invite"}, {After: 1, Template: "survey_nudge"}, {After: 2, To: workflows.PartyCoordinator, Template: "coordinator_stuck", Escalate: true},
		}})
	})
	w.stopAt(5*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	got := w.keysFor("survey")
	want := []string{"d0 survey_invite→student", "d1 survey_nudge→student", "d2 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("ladder after the change = %v, want %v", got, want)
	}
}

func TestJourney_StatusQuery_SaysWhatItWaitsOnAndWhen(t *testing.T) {
	w := newWorld(t)
	w.stopAt(day, func() {
		st := w.status()
		if st.Stage != workflows.StageSurvey || st.WaitingOn != workflows.PartyStudent || len(st.Waits) != 1 {
			t.Fatalf("status = %+v", st)
		}
		if st.NextNudgeAt == nil || !st.NextNudgeAt.Equal(w.start.Add(3*day)) {
			t.Errorf("next nudge = %v, want day 3", st.NextNudgeAt)
		}
		if len(st.Steps) == 0 || st.Steps[0].Kind != "stage:survey" {
			t.Errorf("step history = %+v", st.Steps)
		}
	})
	w.run(input(workflows.DefaultProgram()))
}

func TestJourney_NewLinkRequest_OnlyThatPersonIsNudged(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.at(placed+day, func() {
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: guardian, RequestID: "relink-1", Party: workflows.PartyGuardian})
	})
	w.stopAt(placed+day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":nudge:relink-1:") })
	if len(got) != 1 || !strings.HasSuffix(got[0], "permit_sign_request→guardian") {
		t.Fatalf("new-link request sent %v, want one signing request to the guardian", got)
	}
}

func TestJourney_StepFailsForGood_StuckUntilStaffRetry(t *testing.T) {
	w := newWorld(t)
	w.failPrepare = 1
	placed := w.toPlaced(w.toApplying(), postingA)
	w.at(placed+day, func() {
		if st := w.status(); st.StuckReason != "failed:prepare_permit" {
			t.Errorf("stuck reason = %q", st.StuckReason)
		}
		w.env.SignalWorkflow(workflows.SignalRetry, workflows.RetrySignal{By: coord})
	})
	w.stopAt(placed+day+time.Hour, func() {
		st := w.status()
		if st.StuckReason != "" || st.Permit == nil {
			t.Errorf("after retry: stuck %q permit %+v", st.StuckReason, st.Permit)
		}
		if v := w.view(); v.StuckReason != "" {
			t.Errorf("read model still shows stuck: %q", v.StuckReason)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	if !slices.Equal(w.stuck, []string{"failed:prepare_permit"}) {
		t.Fatalf("ops console flagged %v", w.stuck)
	}
}

func TestJourney_WaiveStageMidWait_EndsItsWaits(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(day, func() {
		w.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "intern_ready", Reason: "Badge earned at the spring workshop"})
	})
	w.stopAt(day+time.Hour, func() {
		if v := w.view(); v.Stage != "applying" || v.InternReadyAt == nil {
			t.Errorf("after waiving Intern Ready mid-stage: %s, intern ready %v", v.Stage, v.InternReadyAt)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
}

func TestJourney_NudgeDuringWorking_WeekResendsItsRequest(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+8*day, func() {
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: student, RequestID: "relink-week", Party: workflows.PartyStudent})
	})
	w.stopAt(working+8*day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":week:"+week+":timesheet:nudge:relink-week") })
	if len(got) != 1 || !strings.HasSuffix(got[0], "timesheet_nudge→student") {
		t.Fatalf("new-link request during the week sent %v, want one timesheet nudge", got)
	}
	for _, m := range w.sentTemplate("timesheet_nudge") {
		if m.Link == nil || !strings.Contains(m.IdemKey, ":week:"+m.Link.SubjectRef+":") {
			t.Fatalf("timesheet nudge %s without its week's link: %+v", m.IdemKey, m.Link)
		}
	}
}

func TestJourney_NudgeNowWithTwoOpenWeeks_StudentTextedOnceAboutTheDueWeek(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	due := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+8*day, func() { // week 1 is overdue; week 2 opened yesterday
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: coord, RequestID: "now-1"})
	})
	w.stopAt(working+8*day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, "nudge:now-1") })
	if len(got) != 1 {
		t.Fatalf("Nudge now sent %v, want one text to the student", got)
	}
	for _, m := range w.sentTemplate("timesheet_nudge") {
		if strings.Contains(m.IdemKey, "nudge:now-1") && m.Link.SubjectRef != due {
			t.Fatalf("nudged about week %s, which has not ended; want the overdue week %s", m.Link.SubjectRef, due)
		}
	}
}

func TestJourney_NudgeNowBeforeAnyoneWasAsked_SendsNothing(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	w.at(working+time.Hour, func() { // the first week has only just opened
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: coord, RequestID: "early"})
	})
	w.stopAt(working+2*time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	if got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, "nudge:early") }); len(got) != 0 {
		t.Fatalf("Nudge now for a week not yet due sent %v", got)
	}
}

func TestJourney_Reminders_MarkedForTheDigestAndTiedToTheirWait(t *testing.T) {
	w := newWorld(t)
	w.stopAt(11*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	for _, m := range w.sentTemplate("survey_invite") {
		if m.Reminder || m.Wait == "" || m.WaitParty != "student" {
			t.Fatalf("first survey request %+v: want a first request tied to the survey wait on the student", m)
		}
	}
	nudges := w.sentTemplate("survey_nudge")
	if len(nudges) == 0 || !nudges[0].Reminder || nudges[0].Wait != w.sentTemplate("survey_invite")[0].Wait {
		t.Fatalf("survey reminders %+v: want reminders of the same wait", nudges)
	}
	esc := w.sentTemplate("coordinator_stuck")
	if len(esc) != 1 || esc[0].WaitParty != "" || esc[0].Wait == "" || esc[0].Params["waiting_on"] != "student" ||
		esc[0].Params["since"] != w.start.Format(time.DateOnly) {
		t.Fatalf("escalation %+v: want it tied to the wait, naming the student and the day they were asked", esc)
	}
}

func TestJourney_TimesheetWithHoursForTomorrow_Refused(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking() // a Thursday afternoon
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+time.Hour, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 4)) })
	w.stopAt(working+2*time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	if len(w.rejected) != 1 || !strings.Contains(w.rejected[0], "has not happened yet") {
		t.Fatalf("hours for Friday entered on Thursday: rejections %v, want one saying the day has not happened", w.rejected)
	}
}

func TestJourney_NudgeNowAfterReminders_RepeatsTheLatestReminderNotTheWelcome(t *testing.T) {
	w := newWorld(t)
	w.at(8*day, func() {
		w.env.SignalWorkflow(workflows.SignalNudge, workflows.NudgeSignal{By: coord, RequestID: "late"})
	})
	w.stopAt(8*day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":nudge:late:") })
	if want := []string{"d8 survey_nudge→student"}; !slices.Equal(got, want) {
		t.Fatalf("Nudge now on day 8 sent %v, want %v", got, want)
	}
}
