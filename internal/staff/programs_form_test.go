package staff

import (
	"reflect"
	"testing"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

func TestProgramForm_MapsEveryFieldOntoTheDefinition_KeepingWhatItDoesNotShow(t *testing.T) {
	written := workflows.Program{HourRules: hours.For("CA"), TimeScale: 60,
		Calendar: workflows.Calendar{Breaks: []workflows.Period{{From: "2027-07-03", To: "2027-07-05"}}}}
	f := programForm{Name: "Summer 2027", Kind: "in_district", Year: "2027",
		AppsOpen: "2027-03-01", AppsClose: "2027-04-15", Start: "2027-06-15", End: "2027-08-15",
		Hours: "120.5", MaxWeeks: "10", MaxApps: "5", Trainings: "hipaa, osha10 hipaa", TrainingsOpen: "enrolment",
		Stages: []string{"working", "intern_ready", "trainings"}, MOUGate: false, WorkPermit: true,
		Ladders: `{"survey": [{"after_days": 0, "template": "survey_invite"}, {"after_days": 4, "to": "coordinator", "template": "coordinator_stuck", "escalate": true}]}`}
	def, year, errs := f.definition(written)
	if len(errs) != 0 {
		t.Fatalf("a well-filled form is refused: %v", errs)
	}
	want := workflows.Program{Kind: "in_district", RequiredHours: 120.5, MaxWeeks: 10, MaxApplications: 5,
		Stages:    []workflows.Stage{workflows.StageInternReady, workflows.StageTrainings, workflows.StageWorking},
		Trainings: []string{"hipaa", "osha10"}, TrainingsOpen: "enrolment", WorkPermit: true,
		Ladders: map[string]workflows.Ladder{"survey": {{After: 0, Template: "survey_invite"},
			{After: 4, To: workflows.PartyCoordinator, Template: "coordinator_stuck", Escalate: true}}},
		Calendar: workflows.Calendar{ApplicationsOpen: "2027-03-01", ApplicationsClose: "2027-04-15", Start: "2027-06-15",
			End: "2027-08-15", Breaks: written.Calendar.Breaks},
		HourRules: written.HourRules, TimeScale: 60}
	if year != 2027 || !reflect.DeepEqual(def, want) {
		t.Fatalf("year %d, definition\n%+v\nwant\n%+v", year, def, want)
	}
}

func TestProgramForm_ShownThenSavedUnchanged_IsTheSameDefinition(t *testing.T) {
	def := workflows.DefaultProgramFor("micro")
	def.Version = 0
	def.Calendar = workflows.Calendar{Start: "2027-01-10", End: "2027-05-30"}
	def.Trainings = []string{"hipaa"}
	got, year, errs := programFormOf("Micro", 2027, def).definition(workflows.Program{})
	if len(errs) != 0 || year != 2027 || !reflect.DeepEqual(got, def) {
		t.Fatalf("round trip: errors %v, year %d\n%+v\nwant\n%+v", errs, year, got, def)
	}
}

func TestProgramForm_UnreadableInput_NamesEachField(t *testing.T) {
	f := programFormOf("", 0, workflows.DefaultProgram())
	f.Kind, f.Year, f.Hours, f.MaxWeeks, f.MaxApps, f.Ladders = "summer", "27", "a hundred", "1.5", "", "{"
	_, _, errs := f.definition(workflows.Program{})
	for _, field := range []string{"name", "kind", "program_year", "required_hours", "max_weeks", "max_applications", "ladders"} {
		if errs[field] == "" {
			t.Errorf("no message next to %s (messages: %v)", field, errs)
		}
	}
}

func TestProgramPage_TimelineLines_SayDayWhomAndWhat(t *testing.T) {
	tl := workflows.DefaultProgram().ReminderTimeline()
	if tl[0].Wait != "survey" {
		t.Fatalf("first wait %q", tl[0].Wait)
	}
	var lines []string
	for _, r := range tl[0].Reminders {
		lines = append(lines, programPage{}.Line(r))
	}
	want := []string{"Day 0: reminder to the student (survey_invite)", "Day 3: reminder to the student (survey_nudge)",
		"Day 7: reminder to the student (survey_nudge)", "Day 10: escalation to the coordinator (coordinator_stuck)"}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("survey timeline\n%q\nwant\n%q", lines, want)
	}
}

func TestMigratePage_SaysHowManyJourneysMoveFromWhichVersions(t *testing.T) {
	d := migratePage{Count: 37, Behind: []store.ProgramVersion{{Version: 3}}}
	if got := "This moves " + d.Journeys() + " from " + d.From(); got != "This moves 37 running journeys from version 3" {
		t.Fatalf("%q", got)
	}
	d = migratePage{Count: 1, Behind: []store.ProgramVersion{{Version: 3}, {Version: 2}, {Version: 1}}}
	if got := d.Journeys() + " from " + d.From(); got != "1 running journey from versions 1, 2 and 3" {
		t.Fatalf("%q", got)
	}
}
