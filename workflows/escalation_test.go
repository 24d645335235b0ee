package workflows_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows"
)

// rawCode matches what only a program should read: step and party codes.
var rawCode = regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b|\b[a-z_]+:[a-z0-9:_-]+\b`)

// renderEscalations renders every coordinator alert the journey sent, as
// the coordinator reads it, in English and Spanish.
func renderEscalations(t *testing.T, w *world) []string {
	t.Helper()
	var out []string
	for _, m := range w.sentTemplate("coordinator_stuck") {
		for _, lang := range []string{"en", "es"} {
			r, err := messaging.DefaultTemplates().Render(messaging.RenderInput{Template: m.Template, Language: lang,
				Channel: messaging.ChannelEmail, RecipientKind: "staff", Params: withName(m.Params), Program: "Internships",
				Contact: "Ms. Lopez", StaffPage: "https://x.example/staff/journeys/1"})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r.Subject+"\n"+r.Text)
		}
	}
	return out
}

func withName(p map[string]string) map[string]string {
	out := map[string]string{"student_first_name": "Ana"}
	for k, v := range p {
		out[k] = v
	}
	return out
}

func TestJourney_SupervisorNeverApproves_CoordinatorToldTheSupervisorIsWaitedOnSinceSubmission(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	submitted := working + 6*day
	w.at(submitted, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 2)) })
	w.stopAt(working+13*day+12*time.Hour, func() {}) // off a week boundary (see the test above)
	w.run(input(workflows.DefaultProgram()))
	alerts := renderEscalations(t, w)
	if len(alerts) == 0 {
		t.Fatal("no coordinator alert after five days without approval")
	}
	asked := w.start.Add(submitted).Format("January 2, 2006")
	for _, a := range alerts[:1] {
		if !strings.Contains(a, "waiting on the supervisor since "+asked) {
			t.Errorf("alert does not say the supervisor has been asked since %s:\n%s", asked, a)
		}
		if strings.Contains(a, "waiting on the student") {
			t.Errorf("alert blames the student, who submitted:\n%s", a)
		}
	}
	for _, a := range alerts {
		if code := rawCode.FindString(a); code != "" {
			t.Errorf("alert shows the code %q:\n%s", code, a)
		}
	}
}

func TestJourney_GuardianNeverSigns_AlertNamesTheParentAndTheDayAsked(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.stopAt(placed+8*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	var found bool
	for _, a := range renderEscalations(t, w) {
		if strings.Contains(a, "work permit signature has been waiting on a parent or guardian since") ||
			strings.Contains(a, "firma del permiso de trabajo sigue pendiente de un padre, madre o tutor desde el") {
			found = true
		}
		if code := rawCode.FindString(a); code != "" {
			t.Errorf("alert shows the code %q:\n%s", code, a)
		}
	}
	if !found {
		t.Fatalf("no alert names the parent's signature as stuck: %q", renderEscalations(t, w))
	}
}
