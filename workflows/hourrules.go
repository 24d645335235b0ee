package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/hours"
)

// HourRule is one limit on minors' working hours (internal/hours holds
// the rules themselves, the check and its words). A timesheet that breaks
// it is shown to the student, flagged to the supervisor and coordinator,
// and its hours over the limit wait for staff before they count.
type HourRule = hours.Rule

// HourBreach is one broken rule on a timesheet week.
type HourBreach = hours.Breach

// checkHourRulesV0 is the check as weeks submitted before the
// hour-breaches change ran it (their replays must produce the same flags):
// rules by age and week kind, English sentences, nothing withheld.
func checkHourRulesV0(in WeekInput, entries []TimesheetEntry) []string {
	var flags []string
	kind := "school"
	if in.BreakWeek {
		kind = "break"
	}
	for _, r := range in.HourRules {
		if in.StudentAge < r.MinAge || in.StudentAge > r.MaxAge || (r.Weeks != "any" && r.Weeks != kind) {
			continue
		}
		total := 0.0
		for _, e := range entries {
			total += e.Hours
			if r.MaxPerDay > 0 && e.Hours > r.MaxPerDay {
				flags = append(flags, fmt.Sprintf("%s: %.1f hours on %s (limit %.0f a day)", r.Name, e.Hours, e.Date, r.MaxPerDay))
			}
		}
		if r.MaxPerWeek > 0 && total > r.MaxPerWeek {
			flags = append(flags, fmt.Sprintf("%s: %.1f hours this week (limit %.0f)", r.Name, total, r.MaxPerWeek))
		}
	}
	return flags
}

// checkHourRules holds the week to every rule for the student's age: the
// day's kind (school day, day without school, the day before one), the
// week's, and when work ended.
func checkHourRules(in WeekInput, entries []TimesheetEntry) hours.Result {
	days := make([]hours.Day, len(entries))
	for i, e := range entries {
		days[i] = hours.Day{Date: e.Date, Hours: e.Hours, End: e.End}
	}
	return hours.Check(in.HourRules, hours.Week{Monday: in.Week, Age: in.StudentAge, SchoolDays: in.SchoolDays, Break: in.BreakWeek}, days)
}

// Version change: hour rules are on by default. A minor's journey whose
// program carries no rules (started before programs got their district's
// state's rules) loads them before its next week opens.
const versionHourRulesByDefault = "hour-rules-by-default"

// hourRules are the rules the journey's weeks check: the program's, or
// the district's state's when the program has none.
func (j *journey) hourRules(ctx workflow.Context) []HourRule {
	if len(j.in.Program.HourRules) > 0 || !j.in.StudentIsMinor {
		return j.in.Program.HourRules
	}
	if workflow.GetVersion(ctx, versionHourRulesByDefault, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second, Summary: "load the district's hour rules for minors",
		RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute, MaximumAttempts: 20},
	})
	var rules []HourRule
	if err := workflow.ExecuteActivity(actx, a.DistrictHourRules, j.in.DistrictID).Get(ctx, &rules); err != nil {
		// The federal rules hold everywhere: a week never opens unchecked.
		workflow.GetLogger(ctx).Warn("district hour rules not loaded; checking federal rules", "error", err)
		rules = hours.For("")
	}
	j.in.Program.HourRules = rules
	return rules
}

// ageOn is the student's age on a week's Monday (their age at enrolment
// when the birth date is unknown).
func (j *journey) ageOn(monday time.Time) int {
	if age, ok := hours.AgeOn(j.in.StudentBirthDate, monday); ok {
		return age
	}
	return j.in.StudentAge
}

// schoolDays are the days from monday through the next Monday with
// school, from the program calendar's breaks; a summer program without a
// calendar has none.
func (p Program) schoolDays(monday time.Time) []string {
	breaks := make([][2]string, len(p.Calendar.Breaks))
	for i, b := range p.Calendar.Breaks {
		breaks[i] = [2]string{b.From, b.To}
	}
	return hours.SchoolDays(monday, breaks, len(p.Calendar.Breaks) == 0 && p.Kind == "summer_paid")
}
