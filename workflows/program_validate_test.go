package workflows_test

import (
	"errors"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// A definition is refused with the field it is wrong in, so the programs
// page shows the message next to that field and the CLI prints it.
func TestProgramValidate_RefusesWithTheField(t *testing.T) {
	cases := []struct {
		name, field string
		edit        func(p *workflows.Program)
	}{
		{"end before start", "calendar.end", func(p *workflows.Program) { p.Calendar.Start, p.Calendar.End = "2027-08-01", "2027-06-01" }},
		{"not a date", "calendar.start", func(p *workflows.Program) { p.Calendar.Start = "June 1" }},
		{"applications close before they open", "calendar.applications_close", func(p *workflows.Program) {
			p.Calendar.ApplicationsOpen, p.Calendar.ApplicationsClose = "2027-04-01", "2027-03-01"
		}},
		{"applications open after the end", "calendar.applications_open", func(p *workflows.Program) {
			p.Calendar.ApplicationsOpen, p.Calendar.End = "2027-09-01", "2027-08-15"
		}},
		{"negative hours", "required_hours", func(p *workflows.Program) { p.RequiredHours = -5 }},
		{"unknown kind", "kind", func(p *workflows.Program) { p.Kind = "winter" }},
		{"trainings open at another time", "trainings_open", func(p *workflows.Program) { p.TrainingsOpen = "placement" }},
		{"a stage that always applies", "stages", func(p *workflows.Program) { p.Stages = append(p.Stages, workflows.StageSurvey) }},
		{"a rung before the one before", "ladders.survey", func(p *workflows.Program) {
			p.Ladders["survey"] = workflows.Ladder{{After: 3, Template: "survey_nudge"}, {After: 1, Template: "survey_nudge"}}
		}},
		{"a rung with no template", "ladders.offer", func(p *workflows.Program) { p.Ladders["offer"] = workflows.Ladder{{After: 1}} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := workflows.DefaultProgram()
			c.edit(&p)
			var pe *workflows.ProgramError
			if err := p.Validate(); !errors.As(err, &pe) || pe.Field != c.field {
				t.Fatalf("got %v, want a refusal of %s", err, c.field)
			}
		})
	}
	for _, kind := range workflows.ProgramKinds {
		if err := workflows.DefaultProgramFor(kind).Validate(); err != nil {
			t.Errorf("the default %s program is refused: %v", kind, err)
		}
	}
}
