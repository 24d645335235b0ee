package reports_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
)

func TestPhasesBySchool_CountsEachJourneyOnceAtTheFurthestStepReached(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.PhasesBySchool(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	// Adams: j4, j5 getting ready; j3 placed (in trainings); j1, j2 completed.
	// Brown: j9 getting ready; j7 applied then withdrew; j6 working.
	want := map[string][]int{"Adams High": {2, 0, 1, 0, 2}, "Brown Academy": {1, 1, 0, 1, 0}}
	if len(rows) != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	for _, r := range rows {
		if !slices.Equal(r.Counts, want[r.Label]) {
			t.Errorf("%s = %v, want %v", r.Label, r.Counts, want[r.Label])
		}
	}
}

func TestStuckByStage_SpreadsOpenJourneysOverDayRanges(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.StuckByStage(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]int{"survey": {2, 0, 0, 0}, "intern_ready": {1, 0, 0, 0}, "trainings": {0, 1, 0, 0}, "working": {0, 0, 1, 0}}
	for _, r := range rows {
		if !slices.Equal(r.Spread, want[r.Stage]) {
			t.Errorf("%s spread = %v, want %v", r.Stage, r.Spread, want[r.Stage])
		}
	}
}

func TestHoursBySchool_AddsApprovedAndRequiredPerSchool(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.HoursPerStudent(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	got := reports.HoursBySchool(rows)
	want := []reports.SchoolHours{
		{School: "Adams High", HoursTotals: reports.HoursTotals{Students: 5, HoursApproved: 150, HoursRequired: 300, MetRequired: 1}},
		{School: "Brown Academy", HoursTotals: reports.HoursTotals{Students: 3, HoursApproved: 30, HoursRequired: 80}},
	}
	if !slices.Equal(got, want) {
		t.Errorf("hours by school = %+v, want %+v", got, want)
	}
}

// The page draws the funnel by school, placements by funding, days in
// stage and hours as charts, each followed by its table, and a
// coordinator's charts hold only their school.
func TestReportsPage_ChartsEachWithItsTable(t *testing.T) {
	f := newFixture(t)
	f.standard()
	scope := f.wholeDistrict()
	page := f.get("/reports?year=2027", &scope).Body.String()
	for _, name := range []string{"phases-by-school", "placements-by-funding", "stuck-by-stage", "hours-by-school"} {
		section := sectionOf(t, page, name)
		svg := strings.Index(section, `<svg`)
		table := strings.Index(section, `<table`)
		if svg < 0 || table < svg || !strings.Contains(section, `role="img" aria-labelledby="chart-`+name+`-title chart-`+name+`-desc"`) {
			t.Errorf("%s: no accessible chart followed by its table:\n%s", name, section)
		}
	}
	if s := sectionOf(t, page, "phases-by-school"); !strings.Contains(s, ">Brown Academy</text>") || !strings.Contains(s, "completed: 2") {
		t.Errorf("funnel chart lacks Brown Academy or Adams's 2 completed:\n%s", s)
	}

	coach := store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolA}}
	page = f.get("/reports?year=2027", &coach).Body.String()
	if strings.Contains(page, "Brown Academy") {
		t.Error("a coordinator of Adams sees Brown Academy on the reports page")
	}
	if s := sectionOf(t, page, "hours-by-school"); !strings.Contains(s, "approved hours: 150") || strings.Contains(s, "approved hours: 180") {
		t.Errorf("coordinator's hours chart:\n%s", s)
	}
}

// sectionOf is one report's section of the page.
func sectionOf(t *testing.T, page, name string) string {
	t.Helper()
	start := strings.Index(page, `<section id="`+name+`"`)
	if start < 0 {
		t.Fatalf("page has no section %s", name)
	}
	end := strings.Index(page[start:], `</section>`)
	return page[start : start+end]
}
