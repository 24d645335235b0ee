package workflows

import "fmt"

// HourRule is one limit on minors' working hours, e.g. California's for
// 16-17 year olds in a school week. A timesheet that breaks it is flagged
// to the supervisor and coordinator before approval, naming the rule.
type HourRule struct {
	Name       string  `json:"name"`
	MinAge     int     `json:"min_age"`
	MaxAge     int     `json:"max_age"`
	Weeks      string  `json:"weeks"` // "school", "break" or "any"
	MaxPerDay  float64 `json:"max_per_day,omitempty"`
	MaxPerWeek float64 `json:"max_per_week,omitempty"`
}

// CaliforniaHourRules are California's limits for minors (Labor Code
// §1391 and the DLSE summary): school weeks vs vacation weeks.
var CaliforniaHourRules = []HourRule{
	{Name: "CA ages 16-17, school week", MinAge: 16, MaxAge: 17, Weeks: "school", MaxPerDay: 8, MaxPerWeek: 28},
	{Name: "CA ages 16-17, vacation week", MinAge: 16, MaxAge: 17, Weeks: "break", MaxPerDay: 8, MaxPerWeek: 48},
	{Name: "CA ages 14-15, school week", MinAge: 14, MaxAge: 15, Weeks: "school", MaxPerDay: 3, MaxPerWeek: 18},
	{Name: "CA ages 14-15, vacation week", MinAge: 14, MaxAge: 15, Weeks: "break", MaxPerDay: 8, MaxPerWeek: 40},
}

// checkHourRules returns one finding per broken rule and day or week.
func checkHourRules(in WeekInput, entries []TimesheetEntry) []string {
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
