package messaging

import (
	"strings"
	"testing"
)

// A week of 6 hours on a school Tuesday at 17 and 30 in the week, as the
// timesheet week sends it.
const breachesJSON = `[{"kind":"day","laws":["CA"],"min_age":16,"max_age":17,"date":"2027-03-02","worked":6,"limit":4,"when":"school_day"},` +
	`{"kind":"week","laws":["CA"],"min_age":16,"max_age":17,"date":"2027-03-01","worked":30,"limit":28,"when":"school_week"}]`

// TestHourBreaches_CoordinatorAndSupervisorReadTheRuleInTheirLanguage:
// the coordinator's alert and the supervisor's approval request say which
// rule the hours break and why, with dates as people write them, in
// English and in Spanish, and how many hours wait for a decision.
func TestHourBreaches_CoordinatorAndSupervisorReadTheRuleInTheirLanguage(t *testing.T) {
	tpl := DefaultTemplates()
	params := map[string]string{"student_first_name": "Jade", "week": "2027-03-01", "breaches": breachesJSON, "withheld": "4"}
	cases := []struct {
		template, lang, kind, channel string
		want                          []string
	}{
		{"hours_flagged", "en", "staff", ChannelEmail, []string{
			"Tuesday, March 2: 6 hours worked; the limit for ages 16-17 on a school day is 4 hours (California law).",
			"This week: 30 hours worked; the limit for ages 16-17 in a school week is 28 hours (California law).",
			"4 hours over the limits are recorded but not counted toward the required hours until you decide"}},
		{"hours_flagged", "es", "staff", ChannelEmail, []string{
			"Martes 2 de marzo: 6 horas trabajadas; el límite para jóvenes de 16 a 17 años en un día de clases es de 4 horas (ley de California).",
			"Esta semana: 30 horas trabajadas; el límite para jóvenes de 16 a 17 años en una semana de clases es de 28 horas (ley de California).",
			"4 horas por encima de los límites quedan registradas, pero no cuentan"}},
		{"hours_flagged", "en", "staff", ChannelSMS, []string{"Jade's timesheet for the week of March 1, 2027 breaks a work-hour rule for minors (4 hours held until you decide)."}},
		{"hours_flagged", "es", "staff", ChannelSMS, []string{"no cumple una regla de horas para menores (4 horas retenidas hasta que usted decida)."}},
		{"timesheet_approval_request", "en", "supervisor", ChannelEmail, []string{
			"Before you approve, these hours break the work-hour rules for minors:",
			"Tuesday, March 2: 6 hours worked; the limit for ages 16-17 on a school day is 4 hours (California law)."}},
		{"timesheet_approval_request", "es", "supervisor", ChannelEmail, []string{
			"Antes de aprobar: estas horas no cumplen las reglas de horas para menores:",
			"Martes 2 de marzo: 6 horas trabajadas"}},
	}
	for _, c := range cases {
		r, err := tpl.Render(RenderInput{Template: c.template, Language: c.lang, Channel: c.channel, RecipientKind: c.kind,
			Params: params, Program: "Bay Unified Internships", Contact: "Ms. Rivera", Link: "https://intern.example.org/l/T"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range c.want {
			if !strings.Contains(r.Text, want) {
				t.Errorf("%s %s %s lacks %q:\n%s", c.template, c.lang, c.channel, want, r.Text)
			}
		}
		if d := Defects(c.template, r, c.channel, "https://intern.example.org/l/T"); len(d) > 0 {
			t.Errorf("%s %s %s: %v", c.template, c.lang, c.channel, d)
		}
	}
}
