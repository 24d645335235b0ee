package hours

import (
	"strconv"
	"strings"
	"testing"
)

// A school week in the school year (no summer evening extension):
// Monday 2027-03-01 to Sunday 2027-03-07; the next Monday has school.
const schoolMonday = "2027-03-01"

// days puts hours on consecutive days from Monday.
func days(hours ...float64) []Day {
	out := make([]Day, 0, len(hours))
	for i, h := range hours {
		if h > 0 {
			out = append(out, Day{Date: dayOf(schoolMonday, i), Hours: h})
		}
	}
	return out
}

func dayOf(monday string, i int) string {
	d := monday
	for range i {
		d = next(d)
	}
	return d
}

func schoolWeek(age int) Week { return Week{Monday: schoolMonday, Age: age} }
func breakWeek(age int) Week  { return Week{Monday: schoolMonday, Age: age, Break: true} }

// TestCheck_Boundaries holds each rule exactly at its limit (no breach)
// and just over it (a breach naming the rule), for ages 15 to 18, in a
// school week and a week without school, under federal + California law.
func TestCheck_Boundaries(t *testing.T) {
	ca := For("CA")
	cases := []struct {
		name     string
		week     Week
		days     []Day
		want     string // the breach's kind:when:limit, "" none
		withheld float64
	}{
		// Ages 16-17, school week: 4 h on a school day, 8 on Friday (before a
		// day without school) and on weekends, 28 in the week.
		{"17 school day at 4", schoolWeek(17), days(4), "", 0},
		{"17 school day over 4", schoolWeek(17), days(4.25), "day:school_day:4", 0.25},
		{"16 school day over 4", schoolWeek(16), days(5), "day:school_day:4", 1},
		{"17 Friday at 8", schoolWeek(17), days(0, 0, 0, 0, 8), "", 0},
		{"17 Friday over 8", schoolWeek(17), days(0, 0, 0, 0, 8.5), "day:before_non_school_day:8", 0.5},
		{"17 Saturday over 8", schoolWeek(17), days(0, 0, 0, 0, 0, 9), "day:non_school_day:8", 1},
		{"17 school week at 28", schoolWeek(17), days(4, 4, 4, 4, 4, 8), "", 0},
		{"17 school week over 28", schoolWeek(17), days(4, 4, 4, 4, 4, 8, 0.5), "week:school_week:28", 0.5},
		// Ages 16-17, no school: 8 h a day, 48 in the week.
		{"17 break day at 8", breakWeek(17), days(8), "", 0},
		{"17 break day over 8", breakWeek(17), days(8.25), "day:non_school_day:8", 0.25},
		{"17 break week at 48", breakWeek(17), days(8, 8, 8, 8, 8, 8), "", 0},
		{"17 break week over 48", breakWeek(17), days(8, 8, 8, 8, 8, 8, 1), "week:non_school_week:48", 1},
		// The case: 40 hours in a school week at 17.
		{"17 forty in a school week", schoolWeek(17), days(8, 8, 8, 8, 8), "day:school_day:4", 16},
		// Ages 14-15: 3 h on a school day (Friday too), 8 on a day without
		// school, 18 in a school week, 40 in a week without.
		{"15 school day at 3", schoolWeek(15), days(3), "", 0},
		{"15 school day over 3", schoolWeek(15), days(3.25), "day:school_day:3", 0.25},
		{"15 Friday over 3", schoolWeek(15), days(0, 0, 0, 0, 4), "day:school_day:3", 1},
		{"15 Saturday at 8", schoolWeek(15), days(0, 0, 0, 0, 0, 8), "", 0},
		{"15 school week at 18", schoolWeek(15), days(2, 2, 2, 2, 2, 8), "", 0},
		{"15 school week over 18", schoolWeek(15), days(2, 2, 2, 2, 2, 8, 1), "week:school_week:18", 1},
		{"15 break day over 8", breakWeek(15), days(9), "day:non_school_day:8", 1},
		{"15 break week at 40", breakWeek(15), days(8, 8, 8, 8, 8), "", 0},
		{"15 break week over 40", breakWeek(15), days(8, 8, 8, 8, 8, 1), "week:non_school_week:40", 1},
		// Adults: no rules.
		{"18 forty in a school week", schoolWeek(18), days(8, 8, 8, 8, 8, 8, 8), "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Check(ca, c.week, c.days)
			got := ""
			if len(res.Breaches) > 0 {
				b := res.Breaches[0]
				if b.Kind == "day" && len(res.Breaches) > 1 && c.want != "" && strings.HasPrefix(c.want, "week") {
					b = res.Breaches[len(res.Breaches)-1]
				}
				got = b.Kind + ":" + b.When + ":" + strconv.FormatFloat(b.Limit, 'f', -1, 64)
			}
			if got != c.want {
				t.Errorf("breach %q, want %q (all: %+v)", got, c.want, res.Breaches)
			}
			if res.Withheld != c.withheld {
				t.Errorf("withheld %v hours, want %v", res.Withheld, c.withheld)
			}
		})
	}
}

// TestCheck_LatestEnd holds the end of a workday to the latest hour the
// law allows: 10 p.m. before a school day and 12:30 a.m. before a day
// without school at 16-17; 7 p.m. at 14-15, 9 p.m. from June 1 to Labor
// Day; nothing at 18.
func TestCheck_LatestEnd(t *testing.T) {
	ca := For("CA")
	summerMonday := "2027-06-07" // Labor Day 2027 is September 6
	cases := []struct {
		name  string
		week  Week
		day   Day
		want  string // when:latest, "" none
		after float64
	}{
		{"17 Monday at 22:00", schoolWeek(17), Day{Date: "2027-03-01", Hours: 3, End: "22:00"}, "", 0},
		{"17 Monday at 22:15", schoolWeek(17), Day{Date: "2027-03-01", Hours: 3, End: "22:15"}, "before_school_day:22:00", 0.25},
		{"17 Sunday at 22:30 (school Monday)", schoolWeek(17), Day{Date: "2027-03-07", Hours: 3, End: "22:30"}, "before_school_day:22:00", 0.5},
		{"17 Friday at 00:30", schoolWeek(17), Day{Date: "2027-03-05", Hours: 3, End: "00:30"}, "", 0},
		{"17 Friday at 00:45", schoolWeek(17), Day{Date: "2027-03-05", Hours: 3, End: "00:45"}, "before_non_school_day:00:30", 0.25},
		{"15 Monday at 19:00", schoolWeek(15), Day{Date: "2027-03-01", Hours: 3, End: "19:00"}, "", 0},
		{"15 Monday at 19:30", schoolWeek(15), Day{Date: "2027-03-01", Hours: 3, End: "19:30"}, ":19:00", 0.5},
		{"15 June at 21:00", Week{Monday: summerMonday, Age: 15, Break: true}, Day{Date: "2027-06-07", Hours: 3, End: "21:00"}, "", 0},
		{"15 June at 21:30", Week{Monday: summerMonday, Age: 15, Break: true}, Day{Date: "2027-06-07", Hours: 3, End: "21:30"}, "summer:21:00", 0.5},
		{"15 Labor Day at 21:00", Week{Monday: "2027-09-06", Age: 15, Break: true}, Day{Date: "2027-09-06", Hours: 3, End: "21:00"}, "", 0},
		{"15 day after Labor Day at 20:00", Week{Monday: "2027-09-06", Age: 15}, Day{Date: "2027-09-07", Hours: 3, End: "20:00"}, ":19:00", 1},
		{"18 at 01:00", schoolWeek(18), Day{Date: "2027-03-01", Hours: 3, End: "01:00"}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := Check(ca, c.week, []Day{c.day})
			got := ""
			for _, b := range res.Breaches {
				if b.Kind == "end" {
					got = b.When + ":" + b.LatestEnd
				}
			}
			if got != c.want {
				t.Errorf("end breach %q, want %q (all: %+v)", got, c.want, res.Breaches)
			}
			if res.Withheld != c.after {
				t.Errorf("withheld %v hours, want %v", res.Withheld, c.after)
			}
		})
	}
}

// TestCheck_SchoolDaysFromCalendar: a holiday inside a school week is a
// day without school (8 hours at 17), and so makes the day before it one
// "before a day without school".
func TestCheck_SchoolDaysFromCalendar(t *testing.T) {
	monday := mustDate(schoolMonday)
	w := Week{Monday: schoolMonday, Age: 17, SchoolDays: SchoolDays(monday, [][2]string{{"2027-03-03", "2027-03-03"}}, false)}
	res := Check(For("CA"), w, []Day{{Date: "2027-03-02", Hours: 8}, {Date: "2027-03-03", Hours: 8}})
	if len(res.Breaches) != 0 {
		t.Errorf("the day before a holiday and the holiday allow 8 hours at 17; got %+v", res.Breaches)
	}
	res = Check(For("CA"), w, []Day{{Date: "2027-03-04", Hours: 8}})
	if len(res.Breaches) != 1 || res.Breaches[0].When != "school_day" {
		t.Errorf("Thursday is a school day again; got %+v", res.Breaches)
	}
}

// TestCheck_FederalAndStateSameLimit: at 15 the federal and California
// limits are the same, so the student reads one breach naming both laws.
func TestCheck_FederalAndStateSameLimit(t *testing.T) {
	res := Check(For("CA"), schoolWeek(15), days(4))
	if len(res.Breaches) != 1 || strings.Join(res.Breaches[0].Laws, ",") != "US,CA" {
		t.Fatalf("breaches %+v, want one under US and CA law", res.Breaches)
	}
	if got := Check(For("TX"), schoolWeek(17), days(8, 8, 8, 8, 8)); len(got.Breaches) != 0 {
		t.Errorf("federal law sets no hour limits at 17: %+v", got.Breaches)
	}
}
