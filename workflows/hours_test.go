package workflows_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

// schoolYear keeps June weeks school weeks (a calendar with a break
// elsewhere): the 17-year-old worked during the school year.
func schoolYear(p workflows.Program) workflows.Program {
	p.Calendar.Breaks = []workflows.Period{{From: "2027-01-01", To: "2027-01-02"}}
	return p
}

// TestHours_OnByDefault_SeventeenYearOldFortyHoursInSchoolWeek is the
// issue's case: a default program states no hour rules, yet the journey
// checks the district's (federal and California), withholds the hours
// over the limits from the total and the coordinator's decision counts
// them, on the timeline and in the audit log.
func TestHours_OnByDefault_SeventeenYearOldFortyHoursInSchoolWeek(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+day, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 8)) })
	w.at(working+day+time.Hour, func() {
		// Staff cannot decide before the supervisor approves.
		w.update(workflows.UpdateDecideHours, workflows.HoursDecisionInput{By: coord, Week: week, Count: true, Reason: "worked"})
	})
	w.at(working+2*day, func() {
		w.updateWeek(week, workflows.UpdateReviewTimesheet, workflows.TimesheetReviewInput{By: employer, Approve: true})
	})
	w.at(working+2*day+time.Hour, func() {
		if st := w.status(); st.HoursApproved != 24 || st.Weeks[0].Withheld != 16 || st.Weeks[0].HoursDecision != "" {
			t.Errorf("after approval: %v hours approved, week %+v; want 24 counted and 16 withheld", st.HoursApproved, st.Weeks[0])
		}
		w.update(workflows.UpdateDecideHours, workflows.HoursDecisionInput{By: coord, Week: week, Count: true})
		w.update(workflows.UpdateDecideHours, workflows.HoursDecisionInput{By: coord, Week: week, Count: true,
			Reason: "The employer confirmed a school holiday."})
		w.update(workflows.UpdateDecideHours, workflows.HoursDecisionInput{By: coord, Week: week, Count: false, Reason: "again"})
	})
	w.stopAt(working+3*day, func() {
		st := w.status()
		if st.HoursApproved != 40 || st.Weeks[0].HoursDecision != workflows.HoursCount {
			t.Errorf("after counting: %v hours approved, week %+v; want 40", st.HoursApproved, st.Weeks[0])
		}
	})
	in := input(schoolYear(workflows.DefaultProgram()))
	in.StudentAge = 17
	w.run(in)
	if w.ruleLoads != 1 {
		t.Errorf("district hour rules loaded %d times, want once", w.ruleLoads)
	}
	wantRejected := []string{
		"decide_hours: the supervisor has not approved the week of " + week + " yet",
		"decide_hours: give the reason for your decision",
		"decide_hours: the held hours of the week of " + week + " are already decided",
	}
	if !slices.Equal(w.rejected, wantRejected) {
		t.Errorf("rejections %q, want %q", w.rejected, wantRejected)
	}
	var decided *facts.HoursDecisionFact
	var audited bool
	for _, r := range w.records {
		if r.Record.HoursDecision != nil {
			decided = r.Record.HoursDecision
		}
		for _, a := range r.Record.Audit {
			audited = audited || (a.Action == "hours_decided" && a.ActorRef == coord.Ref && strings.Contains(string(a.After), "school holiday"))
		}
	}
	if decided == nil || decided.Decision != "count" || decided.StaffID != coord.Ref || decided.Week != week {
		t.Errorf("decision written %+v", decided)
	}
	if !audited {
		t.Error("the decision is not in the audit log with its reason")
	}
}

// TestHours_DontCount_KeepsHoursOut: staff deciding not to count keeps
// the withheld hours out of the total for good.
func TestHours_DontCount_KeepsHoursOut(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+day, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 5)) })
	w.at(working+2*day, func() {
		w.updateWeek(week, workflows.UpdateReviewTimesheet, workflows.TimesheetReviewInput{By: employer, Approve: true})
	})
	w.at(working+3*day, func() {
		w.update(workflows.UpdateDecideHours, workflows.HoursDecisionInput{By: coord, Week: week, Reason: "Over the school-day limit."})
	})
	w.stopAt(working+4*day, func() {
		// 16: Mon-Thu 4 each, Friday (before the weekend) 5.
		if st := w.status(); st.HoursApproved != 21 || st.Weeks[0].HoursDecision != workflows.HoursDontCount {
			t.Errorf("%v hours approved, week %+v; want 21 and not counted", st.HoursApproved, st.Weeks[0])
		}
	})
	w.run(input(schoolYear(workflows.DefaultProgram())))
	w.noRejections()
}

// TestHours_Boundaries runs one timesheet week per case through the week
// workflow: each rule exactly at its limit (nothing withheld, no breach)
// and just over it, at ages 15, 16, 17 and 18, in a school week and a
// holiday week, and the latest end time.
func TestHours_Boundaries(t *testing.T) {
	const monday = "2027-05-24" // a school-year week before the test's start
	h := func(hours ...float64) []workflows.TimesheetEntry {
		var out []workflows.TimesheetEntry
		for i, x := range hours {
			if x > 0 {
				out = append(out, workflows.TimesheetEntry{Date: dateAfter(monday, i), Hours: x})
			}
		}
		return out
	}
	ended := func(dayIndex int, hours float64, end string) []workflows.TimesheetEntry {
		return []workflows.TimesheetEntry{{Date: dateAfter(monday, dayIndex), Hours: hours, End: end}}
	}
	cases := []struct {
		name     string
		age      int
		holiday  bool
		entries  []workflows.TimesheetEntry
		withheld float64
		breach   string // kind:when of the first breach, "" none
	}{
		{"15 school day at 3", 15, false, h(3), 0, ""},
		{"15 school day over 3", 15, false, h(3.5), 0.5, "day:school_day"},
		{"15 school week at 18", 15, false, h(3, 3, 3, 3, 3, 3), 0, ""},
		{"15 school week over 18", 15, false, h(3, 3, 3, 3, 3, 3, 1), 1, "week:school_week"},
		{"15 holiday week at 40", 15, true, h(8, 8, 8, 8, 8), 0, ""},
		{"15 holiday week over 40", 15, true, h(8, 8, 8, 8, 8, 1), 1, "week:non_school_week"},
		{"15 ends at 19:00", 15, false, ended(0, 3, "19:00"), 0, ""},
		{"15 ends at 19:30", 15, false, ended(0, 3, "19:30"), 0.5, "end:"},
		{"16 school day at 4", 16, false, h(4), 0, ""},
		{"16 school day over 4", 16, false, h(4.5), 0.5, "day:school_day"},
		{"16 holiday day at 8", 16, true, h(8), 0, ""},
		{"16 holiday day over 8", 16, true, h(8.5), 0.5, "day:non_school_day"},
		{"17 school week at 28", 17, false, h(4, 4, 4, 4, 8, 4), 0, ""},
		{"17 school week over 28", 17, false, h(4, 4, 4, 4, 8, 4.5), 0.5, "week:school_week"},
		{"17 Friday at 8", 17, false, h(0, 0, 0, 0, 8), 0, ""},
		{"17 holiday week at 48", 17, true, h(8, 8, 8, 8, 8, 8), 0, ""},
		{"17 holiday week over 48", 17, true, h(8, 8, 8, 8, 8, 8, 1), 1, "week:non_school_week"},
		{"17 ends at 22:00 before school", 17, false, ended(0, 4, "22:00"), 0, ""},
		{"17 ends at 22:30 before school", 17, false, ended(0, 4, "22:30"), 0.5, "end:before_school_day"},
		{"17 ends at 00:30 before Saturday", 17, false, ended(4, 4, "00:30"), 0, ""},
		{"18 school week of 60", 18, false, h(10, 10, 10, 10, 10, 10), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, sheet := runWeek(t, monday, c.age, c.holiday, c.entries)
			if res.HoursWithheld != c.withheld {
				t.Errorf("withheld %v, want %v", res.HoursWithheld, c.withheld)
			}
			got := ""
			if sheet != nil && len(sheet.Breaches) > 0 {
				b := sheet.Breaches[0]
				got = b.Kind + ":" + b.When
			}
			if got != c.breach {
				t.Errorf("breach %q, want %q (%+v)", got, c.breach, sheet)
			}
		})
	}
}

// runWeek submits entries to a lone timesheet week and approves them.
func runWeek(t *testing.T, monday string, age int, holiday bool, entries []workflows.TimesheetEntry) (workflows.WeekResult, *facts.TimesheetFact) {
	t.Helper()
	w := newWorld(t)
	in := workflows.WeekInput{JourneyID: journeyID, StudentID: studentID, SchoolID: schoolID, DistrictID: districtID,
		Week: monday, Supervisor: messaging.Recipient{Kind: "supervisor", Ref: supervisor}, DueAt: w.start, Ladders: map[string]workflows.Ladder{},
		HourRules: workflows.DefaultProgramIn("summer_paid", "CA").HourRules, StudentAge: age, BreakWeek: holiday}
	w.at(time.Hour, func() {
		w.updateID(workflows.UpdateSubmitTimesheet, "submit", workflows.TimesheetInput{By: student, Entries: entries})
	})
	w.at(2*time.Hour, func() {
		w.updateID(workflows.UpdateReviewTimesheet, "review", workflows.TimesheetReviewInput{By: employer, Approve: true})
	})
	w.env.ExecuteWorkflow(workflows.TimesheetWeekWorkflow, in)
	w.noRejections()
	var res workflows.WeekResult
	if err := w.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	var sheet *facts.TimesheetFact
	for _, s := range w.sheets {
		if s.Timesheet != nil && s.Timesheet.Status == "submitted" {
			sheet = s.Timesheet
		}
	}
	return res, sheet
}

func dateAfter(monday string, days int) string {
	d, err := time.Parse(time.DateOnly, monday)
	if err != nil {
		panic(fmt.Sprintf("date %q: %v", monday, err))
	}
	return d.AddDate(0, 0, days).Format(time.DateOnly)
}

// TestHours_AgeOnTheWeek: hour rules follow the age the student works
// at, not the age at enrolment: 17 when enrolled, 18 on the week's Monday,
// 40 hours count in full.
func TestHours_AgeOnTheWeek(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	monday := mondayOf(w.start.Add(working))
	week := monday.Format(time.DateOnly)
	w.at(working+day, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 8)) })
	w.at(working+2*day, func() {
		w.updateWeek(week, workflows.UpdateReviewTimesheet, workflows.TimesheetReviewInput{By: employer, Approve: true})
	})
	w.stopAt(working+3*day, func() {
		if st := w.status(); st.HoursApproved != 40 || len(st.Weeks[0].Breaches) != 0 {
			t.Errorf("%v hours approved, week %+v; want 40 and no breach at 18", st.HoursApproved, st.Weeks[0])
		}
	})
	in := input(schoolYear(workflows.DefaultProgram()))
	in.StudentAge, in.StudentBirthDate = 17, monday.AddDate(-18, 0, 0).Format(time.DateOnly)
	w.run(in)
	w.noRejections()
}
