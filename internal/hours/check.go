package hours

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Week is what a check needs to know about a timesheet week besides the
// hours: the student's age and which days have school.
type Week struct {
	Monday string // 2006-01-02
	Age    int
	// SchoolDays lists the dates from Monday through the next Monday that
	// have school (the next Monday decides Sunday evening's latest end).
	// Nil: Monday to Friday have school unless Break.
	SchoolDays []string `json:"school_days,omitempty"`
	Break      bool     `json:"break,omitempty"`
}

// Day is one day's work as the student entered it. End is when work
// ended ("18:30"), empty when not given.
type Day struct {
	Date  string
	Hours float64
	End   string
}

// Breach is one broken rule: what was worked against what the law allows,
// and in which circumstance. It is data so every reader gets it in their
// own language (Explain).
type Breach struct {
	// Kind is "day" (hours in a day), "week" (hours in the week) or "end"
	// (work ended too late).
	Kind string `json:"kind"`
	// Laws are who make the rule ("US", "CA"): the same limit in federal
	// and state law is one breach.
	Laws   []string `json:"laws"`
	MinAge int      `json:"min_age"`
	MaxAge int      `json:"max_age"`
	Date   string   `json:"date,omitempty"`
	// Worked and Limit are hours (day, week); End and LatestEnd clock
	// times (end).
	Worked    float64 `json:"worked,omitempty"`
	Limit     float64 `json:"limit,omitempty"`
	End       string  `json:"end,omitempty"`
	LatestEnd string  `json:"latest_end,omitempty"`
	// When is the circumstance that sets the limit: school_day,
	// non_school_day, before_non_school_day, school_week, non_school_week;
	// for an end: before_school_day, before_non_school_day, summer.
	When string `json:"when"`
}

// Result is a week checked: its breaches and the hours over the limits,
// which are recorded but not counted until staff decide.
type Result struct {
	Breaches []Breach `json:"breaches,omitempty"`
	Withheld float64  `json:"withheld,omitempty"`
}

// Check holds a week's days to the rules for the student's age and the
// kind of week.
func Check(rules []Rule, w Week, days []Day) Result {
	cal := newCalendar(w)
	var res Result
	total := 0.0
	allowed := make([]float64, len(days)) // countable hours per day
	weekCap := math.Inf(1)
	for i, d := range days {
		total += d.Hours
		allowed[i] = d.Hours
	}
	for _, r := range rules {
		if !r.applies(w.Age, cal.schoolWeek()) {
			continue
		}
		for i, d := range days {
			if limit, when := r.dayLimit(cal, d.Date); limit > 0 && d.Hours > limit {
				res.add(Breach{Kind: "day", Laws: []string{r.law()}, MinAge: r.MinAge, MaxAge: r.MaxAge, Date: d.Date,
					Worked: d.Hours, Limit: limit, When: when})
				allowed[i] = min(allowed[i], limit)
			}
			latest, when := r.latestEnd(cal, d.Date)
			if late := minutesAfter(d.End, latest); late > 0 && d.Hours > 0 {
				res.add(Breach{Kind: "end", Laws: []string{r.law()}, MinAge: r.MinAge, MaxAge: r.MaxAge, Date: d.Date,
					End: d.End, LatestEnd: latest, When: when})
				allowed[i] = min(allowed[i], max(0, d.Hours-float64(late)/60))
			}
		}
		if r.MaxPerWeek > 0 && total > r.MaxPerWeek {
			when := map[bool]string{true: "school_week", false: "non_school_week"}[cal.schoolWeek()]
			res.add(Breach{Kind: "week", Laws: []string{r.law()}, MinAge: r.MinAge, MaxAge: r.MaxAge, Date: w.Monday,
				Worked: total, Limit: r.MaxPerWeek, When: when})
		}
		if r.MaxPerWeek > 0 {
			weekCap = min(weekCap, r.MaxPerWeek)
		}
	}
	countable := 0.0
	for _, a := range allowed {
		countable += a
	}
	res.Withheld = round2(total - min(countable, weekCap))
	// Days in order, the week after them.
	slices.SortStableFunc(res.Breaches, func(a, b Breach) int {
		if c := cmp.Compare(weekLast(a), weekLast(b)); c != 0 {
			return c
		}
		return strings.Compare(a.Date, b.Date)
	})
	return res
}

// add records a breach; the same limit broken under two laws (federal and
// California for 14-15 year olds) is one breach naming both.
func (res *Result) add(b Breach) {
	for i, o := range res.Breaches {
		if o.Kind == b.Kind && o.Date == b.Date && o.Limit == b.Limit && o.LatestEnd == b.LatestEnd && o.When == b.When {
			if !slices.Contains(o.Laws, b.Laws[0]) {
				res.Breaches[i].Laws = append(res.Breaches[i].Laws, b.Laws[0])
			}
			return
		}
	}
	res.Breaches = append(res.Breaches, b)
}

// law is who makes the rule; rules stored before Law existed start their
// name with it ("CA ages 16-17, school week").
func (r Rule) law() string {
	if r.Law != "" {
		return r.Law
	}
	code, _, _ := strings.Cut(r.Name, " ")
	if len(code) == 2 && strings.ToUpper(code) == code {
		return code
	}
	return "US"
}

func (r Rule) applies(age int, schoolWeek bool) bool {
	if age < r.MinAge || age > r.MaxAge {
		return false
	}
	switch r.Weeks {
	case "school":
		return schoolWeek
	case "break":
		return !schoolWeek
	}
	return true
}

// dayLimit is the rule's cap on a day's hours and the circumstance that
// sets it (0: no cap).
func (r Rule) dayLimit(cal calendar, date string) (float64, string) {
	limit, when := r.MaxPerNonSchoolDay, "non_school_day"
	if cal.school(date) {
		limit, when = r.MaxPerSchoolDay, "school_day"
		if r.DayBeforeNonSchoolDay && !cal.school(next(date)) {
			limit, when = r.MaxPerNonSchoolDay, "before_non_school_day"
		}
	}
	if r.MaxPerDay > 0 && (limit == 0 || r.MaxPerDay < limit) {
		limit = r.MaxPerDay
	}
	return limit, when
}

// latestEnd is when work must end that day under the rule ("" none).
func (r Rule) latestEnd(cal calendar, date string) (string, string) {
	switch {
	case r.LatestEndBeforeNonSchoolDay != "" && !cal.school(next(date)):
		return r.LatestEndBeforeNonSchoolDay, "before_non_school_day"
	case r.LatestEndSummer != "" && summer(date):
		return r.LatestEndSummer, "summer"
	case r.LatestEnd != "" && r.LatestEndBeforeNonSchoolDay != "":
		return r.LatestEnd, "before_school_day"
	}
	return r.LatestEnd, ""
}

// summer is June 1 through Labor Day (the first Monday of September),
// when the federal rules let 14- and 15-year-olds work until 9 p.m.
func summer(date string) bool {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil || d.Month() < time.June || d.Month() > time.September {
		return false
	}
	if d.Month() < time.September {
		return true
	}
	laborDay := 1 + (8-int(time.Date(d.Year(), time.September, 1, 0, 0, 0, 0, time.UTC).Weekday()))%7
	return d.Day() <= laborDay
}

// Minutes reads a clock time "HH:MM" as minutes after the day's midnight;
// times before 05:00 are after midnight (the work ran past it). ok is
// false for anything else.
func Minutes(clock string) (int, bool) {
	h, m, found := strings.Cut(strings.TrimSpace(clock), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !found || err1 != nil || err2 != nil || len(h) != 2 || len(m) != 2 || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	t := hh*60 + mm
	if t < 5*60 {
		t += 24 * 60
	}
	return t, true
}

// minutesAfter is how many minutes end is past latest (0 when either is
// missing or end is in time).
func minutesAfter(end, latest string) int {
	e, ok1 := Minutes(end)
	l, ok2 := Minutes(latest)
	if !ok1 || !ok2 || e <= l {
		return 0
	}
	return e - l
}

// AgeOn is the age in whole years on day of someone born on birth
// (2006-01-02); ok is false when birth is not a date.
func AgeOn(birth string, day time.Time) (int, bool) {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		return 0, false
	}
	age := day.Year() - b.Year()
	if day.Month() < b.Month() || (day.Month() == b.Month() && day.Day() < b.Day()) {
		age--
	}
	return age, true
}

func next(date string) string {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

func weekLast(b Breach) int {
	if b.Kind == "week" {
		return 1
	}
	return 0
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// calendar answers which days of the week (and the next Monday) have school.
type calendar struct{ w Week }

func newCalendar(w Week) calendar { return calendar{w: w} }

func (c calendar) school(date string) bool {
	if c.w.SchoolDays != nil {
		return slices.Contains(c.w.SchoolDays, date)
	}
	d, err := time.Parse(time.DateOnly, date)
	return err == nil && !c.w.Break && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// schoolWeek: school is in session on some day of the week (the federal
// definition of a school week).
func (c calendar) schoolWeek() bool {
	monday, err := time.Parse(time.DateOnly, c.w.Monday)
	if err != nil {
		return !c.w.Break
	}
	for i := range 7 {
		if c.school(monday.AddDate(0, 0, i).Format(time.DateOnly)) {
			return true
		}
	}
	return false
}

// SchoolDays lists the days from monday through the next Monday that have
// school: weekdays outside the breaks. noSchool: the whole program is
// without school (a summer program with no calendar).
func SchoolDays(monday time.Time, breaks [][2]string, noSchool bool) []string {
	out := []string{}
	if noSchool {
		return out
	}
	for i := range 8 {
		d := monday.AddDate(0, 0, i)
		day := d.Format(time.DateOnly)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		if slices.ContainsFunc(breaks, func(b [2]string) bool { return day >= b[0] && day <= b[1] }) {
			continue
		}
		out = append(out, day)
	}
	return out
}
