package workflows_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/workflows"
)

// plan reads the status query's checklist as "stage:state", leaving out
// stages that do not apply.
func plan(st workflows.JourneyStatus) string {
	var out []string
	for _, s := range st.Plan {
		if s.State != "skipped" {
			out = append(out, fmt.Sprintf("%s:%s", s.Stage, s.State))
		}
	}
	return strings.Join(out, " ")
}

// The status query tells a student's page where the journey stands (each
// stage done, now or later) and, for each open wait, which link does it:
// the survey at first; the apply page once Intern Ready; the three
// signatures, each with the permit version's link bound to its hash; the
// week's timesheet while working. The employer's MOU and the permit show
// only once the placement needs them, and the whole plan reads done at
// the end.
func TestStatus_PlanAndWaitActions_FollowTheJourney(t *testing.T) {
	w := newWorld(t)
	working := w.happyUntilWorking()
	done := w.workWeeks(working, 10, 2)
	w.finish(done)
	check := func(at time.Duration, wantPlan string, wantActions ...string) {
		w.at(at, func() {
			st := w.status()
			if got := plan(st); got != wantPlan {
				t.Errorf("at %v the plan is\n  %s\nwant\n  %s", at, got, wantPlan)
			}
			var actions []string
			for _, ws := range st.Waits {
				if ws.Action != "" {
					actions = append(actions, string(ws.WaitingOn)+":"+ws.Action)
				}
			}
			if strings.Join(actions, " ") != strings.Join(wantActions, " ") {
				t.Errorf("at %v the waits' actions are %v, want %v", at, actions, wantActions)
			}
		})
	}
	check(30*time.Minute, "survey:now intern_ready:later applying:later work_permit:later trainings:later working:later completing:later",
		"student:survey")
	check(3*day-time.Hour, "survey:done intern_ready:done applying:now work_permit:later trainings:later working:later completing:later",
		"student:apply")
	check(8*day-time.Hour, "survey:done intern_ready:done applying:done work_permit:now trainings:later working:later completing:later",
		"student:sign_permit guardian:sign_permit employer:sign_permit")
	w.at(8*day-time.Hour, func() {
		st := w.status()
		for _, ws := range st.Waits {
			if ws.Action == "sign_permit" && (ws.DocumentSHA256 != st.Permit.DocumentSHA256 || !strings.HasSuffix(ws.Subject, ":v1")) {
				t.Errorf("%s's signing link is for %s/%s, the permit is v%d %s", ws.WaitingOn, ws.Subject, ws.DocumentSHA256, st.Permit.Version, st.Permit.DocumentSHA256)
			}
		}
		if strings.Join(st.TrainingsRequired, ",") != "hipaa" {
			t.Errorf("trainings required: %v", st.TrainingsRequired)
		}
	})
	check(working+7*day-4*time.Hour, "survey:done intern_ready:done applying:done work_permit:done trainings:done working:now completing:later",
		"student:submit_timesheet")
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	if got := plan(w.status()); strings.Contains(got, ":now") || strings.Contains(got, ":later") {
		t.Errorf("completed, the plan is %s", got)
	}
}
