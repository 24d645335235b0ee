// Package hours is the law on minors' working hours: the federal rules
// and each state's, as data a program carries; the check of a timesheet
// week against them; and the words that explain a breach to the student,
// the supervisor and the coordinator in their language. Workflows call
// Check (it is pure and deterministic); pages and messages call Explain.
package hours

import "strings"

// Rule is one limit on minors' working hours for an age band and a kind
// of week. Zero limits do not apply. A program stores its rules as JSON,
// so fields are only ever added.
type Rule struct {
	Name string `json:"name"`
	// Law is who makes the rule: "US" (federal) or a state's code ("CA").
	Law string `json:"law,omitempty"`
	// Source cites the statute or published summary the numbers follow.
	Source string `json:"source,omitempty"`
	MinAge int    `json:"min_age"`
	MaxAge int    `json:"max_age"`
	// Weeks is "school" (school is in session some day of the week),
	// "break" (it is not) or "any".
	Weeks string `json:"weeks"`
	// MaxPerDay caps every day; MaxPerSchoolDay and MaxPerNonSchoolDay cap
	// school days and days without school (the lower cap wins).
	MaxPerDay          float64 `json:"max_per_day,omitempty"`
	MaxPerSchoolDay    float64 `json:"max_per_school_day,omitempty"`
	MaxPerNonSchoolDay float64 `json:"max_per_non_school_day,omitempty"`
	// DayBeforeNonSchoolDay: a school day followed by a day without school
	// (a Friday) has the non-school day's cap (California, ages 16-17).
	DayBeforeNonSchoolDay bool    `json:"day_before_non_school_day,omitempty"`
	MaxPerWeek            float64 `json:"max_per_week,omitempty"`
	// LatestEnd is when work must end ("19:00"); LatestEndSummer replaces
	// it from June 1 through Labor Day, LatestEndBeforeNonSchoolDay on an
	// evening before a day without school. Times before 05:00 mean after
	// midnight ("00:30").
	LatestEnd                   string `json:"latest_end,omitempty"`
	LatestEndSummer             string `json:"latest_end_summer,omitempty"`
	LatestEndBeforeNonSchoolDay string `json:"latest_end_before_non_school_day,omitempty"`
}

// Federal limits for 14- and 15-year-olds in non-agricultural work: the
// Fair Labor Standards Act's child labor rules, 29 CFR 570.35(a), as the
// US Department of Labor summarises them in Fact Sheet #43 ("Child Labor
// Provisions of the FLSA for Nonagricultural Occupations") and on
// YouthRules.gov: outside school hours; no more than 3 hours on a school
// day (Fridays included), 18 hours in a school week, 8 hours on a
// non-school day, 40 hours in a non-school week; between 7 a.m. and 7
// p.m., except June 1 through Labor Day, when evening hours extend to
// 9 p.m. Federal law sets no hour limits at 16 and 17.
var federal = []Rule{
	{Name: "US ages 14-15, school week", Law: "US", Source: federalSource, MinAge: 14, MaxAge: 15, Weeks: "school",
		MaxPerSchoolDay: 3, MaxPerNonSchoolDay: 8, MaxPerWeek: 18, LatestEnd: "19:00", LatestEndSummer: "21:00"},
	{Name: "US ages 14-15, non-school week", Law: "US", Source: federalSource, MinAge: 14, MaxAge: 15, Weeks: "break",
		MaxPerDay: 8, MaxPerWeek: 40, LatestEnd: "19:00", LatestEndSummer: "21:00"},
}

const federalSource = "29 CFR 570.35; US DOL WHD Fact Sheet #43"

// California's limits (Labor Code §1391 and §1391.1, Education Code
// §49112 and §49116), as the Labor Commissioner's summary "California
// Child Labor Laws" (DLSE, 2013) tabulates them:
//   - ages 16-17, school in session: 4 hours on a school day; 8 hours on a
//     non-school day or a day before a non-school day; 28 hours a week;
//   - ages 16-17, school not in session: 8 hours a day, 48 hours a week;
//   - ages 16-17: between 5 a.m. and 10 p.m., until 12:30 a.m. on an
//     evening before a non-school day;
//   - ages 14-15, school in session: 3 hours on a school day, 8 hours on a
//     non-school day, 18 hours a week; not in session: 8 hours a day, 40
//     hours a week; between 7 a.m. and 7 p.m., 9 p.m. from June 1 through
//     Labor Day.
var california = []Rule{
	{Name: "CA ages 16-17, school week", Law: "CA", Source: californiaSource, MinAge: 16, MaxAge: 17, Weeks: "school",
		MaxPerDay: 8, MaxPerSchoolDay: 4, MaxPerNonSchoolDay: 8, DayBeforeNonSchoolDay: true, MaxPerWeek: 28,
		LatestEnd: "22:00", LatestEndBeforeNonSchoolDay: "00:30"},
	{Name: "CA ages 16-17, vacation week", Law: "CA", Source: californiaSource, MinAge: 16, MaxAge: 17, Weeks: "break",
		MaxPerDay: 8, MaxPerWeek: 48, LatestEnd: "22:00", LatestEndBeforeNonSchoolDay: "00:30"},
	{Name: "CA ages 14-15, school week", Law: "CA", Source: californiaSource, MinAge: 14, MaxAge: 15, Weeks: "school",
		MaxPerSchoolDay: 3, MaxPerNonSchoolDay: 8, MaxPerWeek: 18, LatestEnd: "19:00", LatestEndSummer: "21:00"},
	{Name: "CA ages 14-15, vacation week", Law: "CA", Source: californiaSource, MinAge: 14, MaxAge: 15, Weeks: "break",
		MaxPerDay: 8, MaxPerWeek: 40, LatestEnd: "19:00", LatestEndSummer: "21:00"},
}

const californiaSource = "Cal. Labor Code §1391, §1391.1; Cal. Education Code §49112, §49116; DLSE Child Labor Laws (2013)"

// States are the states whose rules are written here; a district in
// another state gets the federal rules only.
var states = map[string][]Rule{"CA": california}

// California is California's rules alone (without the federal ones).
func California() []Rule { return append([]Rule(nil), california...) }

// For is the rules a program in a district of this state runs with: the
// federal rules and the state's. Both apply; a timesheet is held to the
// stricter wherever they differ.
func For(state string) []Rule {
	out := append([]Rule(nil), federal...)
	return append(out, states[strings.ToUpper(strings.TrimSpace(state))]...)
}

// Known reports whether a state's own rules are written here.
func Known(state string) bool {
	_, ok := states[strings.ToUpper(strings.TrimSpace(state))]
	return ok
}
