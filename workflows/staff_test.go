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
		if v.Stage != "intern_ready" || v.SurveyDoneAt == nil {
			t.Errorf("after waiving the survey: %s survey done %v", v.Stage, v.SurveyDoneAt)
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
