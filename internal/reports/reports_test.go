package reports_test

import (
	"context"
	"math"
	"testing"

	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
)

func TestFunnelBySchool_CountsEachMilestonePerSchool(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.FunnelBySchool(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.FunnelRow{
		{Key: f.schoolA, Label: "Adams High", Funnel: store.Funnel{SignedUp: 5, SurveyDone: 4, InternReady: 3, Applied: 3, Placed: 3, PermitDone: 3, TrainingsDone: 2, Working: 2, Completed: 2}},
		{Key: f.schoolB, Label: "Brown Academy", Funnel: store.Funnel{SignedUp: 3, SurveyDone: 2, InternReady: 2, Applied: 2, Placed: 1, PermitDone: 1, TrainingsDone: 1, Working: 1}},
	}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("funnel = %+v\nwant   %+v", rows, want)
	}
	if tot := reports.FunnelTotal(rows); tot.SignedUp != 8 || tot.Completed != 2 {
		t.Fatalf("total = %+v", tot)
	}
}

func TestFunnelByPathway_GroupsBySurveyPathway(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.FunnelByPathway(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]reports.FunnelRow{}
	for _, r := range rows {
		got[r.Label] = r
	}
	if h := got["Health"]; h.SignedUp != 3 || h.Placed != 3 || h.Working != 3 || h.Completed != 2 {
		t.Errorf("Health = %+v", h)
	}
	if tech := got["Tech"]; tech.SignedUp != 3 || tech.Applied != 2 || tech.Placed != 1 || tech.Completed != 0 {
		t.Errorf("Tech = %+v", tech)
	}
	if none := got[reports.NoPathway]; none.SignedUp != 2 || none.SurveyDone != 0 {
		t.Errorf("no survey = %+v", none)
	}
	if len(rows) != 3 || rows[2].Label != reports.NoPathway {
		t.Errorf("rows = %+v, want Health, Tech, then no survey", rows)
	}
}

func TestPlacementsByFunding_SplitsBySourceWithApprovedHoursOnly(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.PlacementsByFunding(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.FundingRow{
		{Source: "employer_paid", Label: "Employer-paid", Placements: 2, Working: 2, Completed: 1, HoursApproved: 130},
		{Source: "district_cte", Label: "CTE-funded", Placements: 1, Working: 1, Completed: 1, HoursApproved: 50},
		{Source: "city_program", Label: "City program", Placements: 1},
	}
	if len(rows) != 3 || rows[0] != want[0] || rows[1] != want[1] || rows[2] != want[2] {
		t.Fatalf("placements = %+v\nwant %+v", rows, want)
	}
	all, _ := f.q.PlacementsByFunding(context.Background(), f.wholeDistrict(), allYears)
	if all[0].Placements != 3 || all[0].HoursApproved != 140 {
		t.Fatalf("all years employer-paid = %+v, want 2027 and 2026 placements", all[0])
	}
}

func TestPlacementsBySource_PostingsAndStudentFound(t *testing.T) {
	f := newFixture(t)
	f.standard()
	f.exec(`UPDATE placements SET source = 'student_found' WHERE funding_source = 'district_cte'`)
	rows, err := f.q.PlacementsBySource(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.FundingRow{
		{Source: "posting", Label: "Through a posting", Placements: 3, Working: 2, Completed: 1, HoursApproved: 130},
		{Source: "student_found", Label: "Found by the student", Placements: 1, Working: 1, Completed: 1, HoursApproved: 50},
	}
	if len(rows) != 2 || rows[0] != want[0] || rows[1] != want[1] {
		t.Fatalf("placements by source = %+v\nwant %+v", rows, want)
	}
}

func TestHoursPerStudent_SumsApprovedTimesheetsAndTotals(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.HoursPerStudent(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	byStudent := map[string]reports.StudentHours{}
	for _, r := range rows {
		byStudent[r.StudentID] = r
	}
	if h := byStudent[f.students["j1"]]; h.HoursApproved != 100 || h.HoursRequired != 100 || !h.Completed || h.School != "Adams High" {
		t.Errorf("j1 = %+v", h)
	}
	if h := byStudent[f.students["j6"]]; h.HoursApproved != 30 || h.HoursRequired != 80 || h.Completed {
		t.Errorf("j6 = %+v (submitted hours must not count)", h)
	}
	tot := reports.TotalHours(rows)
	if tot != (reports.HoursTotals{Students: 8, HoursApproved: 180, HoursRequired: 380, MetRequired: 1}) {
		t.Fatalf("totals = %+v", tot)
	}
}

func TestCompletionBySchool_RateIsCompletedOverPlaced(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.CompletionBySchool(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	a, b := rows[0], rows[1]
	if a.Journeys != 5 || a.Placed != 3 || a.Completed != 2 || a.Open != 3 || math.Abs(a.Rate()-2.0/3) > 1e-9 {
		t.Errorf("Adams = %+v rate %v", a, a.Rate())
	}
	if b.Journeys != 3 || b.Withdrawn != 1 || b.Open != 2 || b.Rate() != 0 {
		t.Errorf("Brown = %+v", b)
	}
	if tot := reports.CompletionTotal(rows); tot.Rate() != 0.5 || tot.RateOfAll() != 0.25 {
		t.Errorf("total = %+v rate %v of all %v", tot, tot.Rate(), tot.RateOfAll())
	}
}

func TestStuckByStage_MedianDaysPerOpenStage(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.StuckByStage(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.StageRow{
		{Stage: "survey", Open: 2, MedianDays: 4, MaxDays: 6},
		{Stage: "intern_ready", Open: 1, MedianDays: 4, MaxDays: 4},
		{Stage: "trainings", Open: 1, Overdue: 1, MedianDays: 10, MaxDays: 10},
		{Stage: "working", Open: 1, MedianDays: 20, MaxDays: 20},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %+v", rows)
	}
	for i := range want {
		got := rows[i]
		if got.Stage != want[i].Stage || got.Open != want[i].Open || got.Overdue != want[i].Overdue ||
			math.Abs(got.MedianDays-want[i].MedianDays) > 1e-6 || math.Abs(got.MaxDays-want[i].MaxDays) > 1e-6 {
			t.Errorf("row %d = %+v, want %+v", i, got, want[i])
		}
	}
}

func TestPerkins_CountsStudentsOnceAndOnlyWithRequiredHours(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, err := f.q.Perkins(context.Background(), f.wholeDistrict(), year2027)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.PerkinsRow{{School: "Adams High", Participants: 5, Completed: 1},
		{School: "Brown Academy", Participants: 3}, {School: "", Participants: 8, Completed: 1}}
	if len(rows) != 3 || rows[0] != want[0] || rows[1] != want[1] || rows[2] != want[2] {
		t.Fatalf("perkins 2027 = %+v, want %+v", rows, want)
	}
	// Across years j1's student completed twice; still one student.
	all, _ := f.q.Perkins(context.Background(), f.wholeDistrict(), allYears)
	if total := all[len(all)-1]; total.Participants != 8 || total.Completed != 1 {
		t.Fatalf("perkins all years total = %+v", total)
	}
}

func TestScope_CoordinatorSeesOnlyTheirSchools(t *testing.T) {
	f := newFixture(t)
	f.standard()
	ctx := context.Background()
	coordinator := store.Scope{DistrictID: f.district, SchoolIDs: []string{f.schoolB}}
	rows, err := f.q.FunnelBySchool(ctx, coordinator, year2027)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Label != "Brown Academy" {
		t.Fatalf("coordinator of Brown sees %+v", rows)
	}
	hours, _ := f.q.HoursPerStudent(ctx, coordinator, year2027)
	for _, h := range hours {
		if h.School != "Brown Academy" {
			t.Fatalf("coordinator of Brown sees a student of %s", h.School)
		}
	}
	none := store.Scope{DistrictID: f.district, SchoolIDs: []string{}}
	if rows, _ := f.q.FunnelBySchool(ctx, none, year2027); len(rows) != 0 {
		t.Fatalf("a coordinator of no school sees %+v", rows)
	}
	if _, err := f.q.FunnelBySchool(ctx, store.Scope{DistrictID: f.district, SchoolIDs: []string{"B'; --"}}, year2027); err == nil {
		t.Fatal("a malformed school id was accepted")
	}
}

func TestScope_AnotherDistrictNeverShows(t *testing.T) {
	f := newFixture(t)
	f.standard()
	rows, _ := f.q.FunnelBySchool(context.Background(), f.wholeDistrict(), allYears)
	for _, r := range rows {
		if r.Label == "Other High" {
			t.Fatal("another district's school shows")
		}
	}
	if tot := reports.FunnelTotal(rows); tot.SignedUp != 9 {
		t.Fatalf("signed up across years = %d, want 9 (8 in 2027 + 1 in 2026)", tot.SignedUp)
	}
}
