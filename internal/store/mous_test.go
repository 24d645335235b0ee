package store

import (
	"strings"
	"testing"
	"time"
)

// TestMOUTerm_CoversTheProgramYearBeingSignedFor would have caught an MOU
// drafted on 2026-11-30 for program year 2026 that "ends on August 31,
// 2026", three months before it was signed.
func TestMOUTerm_CoversTheProgramYearBeingSignedFor(t *testing.T) {
	nov30 := time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		year        int
		calendarEnd string
		today       time.Time
		want        string
	}{
		{2026, "", nov30, "2027-08-31"},
		{2027, "", nov30, "2027-08-31"},
		{2027, "2027-07-31", nov30, "2027-08-31"},
		{2027, "2027-09-15", nov30, "2028-08-31"}, // a program running into September
		{2027, "", time.Date(2027, 8, 31, 9, 0, 0, 0, time.UTC), "2027-08-31"},
	} {
		if got := MOUTermEnd(c.year, c.calendarEnd, c.today).Format(time.DateOnly); got != c.want {
			t.Errorf("MOUTermEnd(%d, %q, %s) = %s, want %s", c.year, c.calendarEnd, c.today.Format(time.DateOnly), got, c.want)
		}
	}
	text := mouText("Bay Unified", "City Parks", 2026, MOUTermEnd(2026, "", nov30))
	if !strings.Contains(text, "ends on August 31, 2027.") {
		t.Errorf("the MOU's text: %s", text)
	}
	if got := MOUPlannedStart("", nov30); got != "2027-06-01" {
		t.Errorf("planned start without a calendar = %s", got)
	}
	if got := MOUPlannedStart("2027-06-14", nov30); got != "2027-06-14" {
		t.Errorf("planned start from the calendar = %s", got)
	}
}
