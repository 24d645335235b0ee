package web_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/workflows"
)

// toWorking takes the fixture's student (16, in a California district, a
// summer program: every week without school) to their first week.
func (e *env) toWorking() (week string, monday time.Time) {
	e.t.Helper()
	e.toTrainings()
	e.update(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student(e.f), Code: "hipaa", DocumentID: apptest.Document(e.t, e.Store, e.journey, "certificate"),
		CompletedOn: time.Now().Format(time.DateOnly)})
	e.waitStage("working")
	eventually(e.t, "the first week", func() bool {
		w := e.status().Weeks
		return len(w) > 0 && func() bool { week = w[0].Week; return true }()
	})
	monday, _ = time.Parse(time.DateOnly, week)
	return week, monday
}

// TestTimesheet_BreaksHourRule_StudentAndSupervisorToldWhy: a 16-year-old
// sends 9 hours ending at 1 a.m. on a summer day. The student reads, in
// their language, which rules the hours break and why and that the hours
// over the limits wait for the coordinator; the supervisor reads the same
// before approving, with the time work ended.
func TestTimesheet_BreaksHourRule_StudentAndSupervisorToldWhy(t *testing.T) {
	e := newEnv(t, `{"required_hours": 40}`)
	week, monday := e.toWorking()
	mon := monday.Format(time.DateOnly)
	dayName := monday.Format("Monday, January 2")
	sheet := e.mint("student", e.f.Student, "submit_timesheet", week, nil, false)
	get(t, sheet).has(t, "Ended at", `type="time"`, `name="e_`+mon+`"`)
	post(t, sheet, url.Values{"h_" + mon: {"9"}, "e_" + mon: {"7pm"}}).has(t, "Enter the time you finished, like 18:30.")
	post(t, sheet, url.Values{"h_" + mon: {"9"}, "e_" + mon: {"01:00"}}).has(t,
		"Done — your hours went to your supervisor",
		"These hours break the work-hour rules for minors",
		dayName+": 9 hours worked; the limit for ages 16-17 on a day without school is 8 hours (California law).",
		dayName+": work ended at 1:00 AM; ages 16-17 may not work after 12:30 AM before a day without school (California law).",
		"Hours over the limits (1 hour) are recorded, but they do not count toward your required hours unless your coordinator decides they do.")
	get(t, sheet).has(t, "You sent 9 hours for this week.", "These hours break the work-hour rules for minors")

	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	get(t, sheet).has(t, "Estas horas no cumplen las reglas de horas para menores",
		"9 horas trabajadas; el límite para jóvenes de 16 a 17 años en un día sin clases es de 8 horas (ley de California).",
		"terminó de trabajar a las 01:00; los jóvenes de 16 a 17 años no pueden trabajar después de las 00:30 antes de un día sin clases",
		"Las horas por encima de los límites (1 hora) quedan registradas")

	approve := e.mint("supervisor", e.f.Supervisor, "review_timesheet", week, nil, false)
	get(t, approve).has(t, "Timesheets to approve", "9 h · ended 1:00 AM",
		"These hours break the work-hour rules for minors",
		dayName+": 9 hours worked; the limit for ages 16-17 on a day without school is 8 hours (California law).",
		"Hours over the limits (1 hour) are recorded, but they count toward the internship only if the school decides so.")
	if n := e.count(`SELECT count(*) FROM timesheets t JOIN timesheet_entries te ON te.timesheet_id = t.id
		WHERE t.journey_id = $1 AND t.hours_withheld = 1 AND jsonb_array_length(t.breaches) = 2 AND te.end_time = '01:00'`, e.journey); n != 1 {
		t.Fatalf("stored timesheet with its breaches and end time: %d rows", n)
	}
}
