package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// StudentHours is one student's approved hours against what their
// placements require.
type StudentHours = store.StudentHours

// HoursPerStudent lists every student with a journey in scope and the
// timesheet hours approved for them. Required hours come from the
// placement, else from the journey's program.
func (q *Queries) HoursPerStudent(ctx context.Context, s store.Scope, f Filter) ([]StudentHours, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportHoursPerStudent(ctx, sc)
}

// HoursTotals sums HoursPerStudent.
type HoursTotals struct {
	Students      int
	HoursApproved float64
	HoursRequired float64
	// MetRequired counts students whose approved hours reach what is required
	// (and something is required).
	MetRequired int
}

// TotalHours adds up per-student hours.
func TotalHours(rows []StudentHours) HoursTotals {
	var t HoursTotals
	for _, r := range rows {
		t.Students++
		t.HoursApproved += r.HoursApproved
		t.HoursRequired += r.HoursRequired
		if r.HoursRequired > 0 && r.HoursApproved >= r.HoursRequired {
			t.MetRequired++
		}
	}
	return t
}

// SchoolHours is HoursTotals for one school.
type SchoolHours struct {
	School string
	HoursTotals
}

// HoursBySchool adds up per-student hours per school, in the rows' order
// (HoursPerStudent sorts by school).
func HoursBySchool(rows []StudentHours) []SchoolHours {
	var out []SchoolHours
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].School == rows[start].School {
			end++
		}
		out = append(out, SchoolHours{School: rows[start].School, HoursTotals: TotalHours(rows[start:end])})
		start = end
	}
	return out
}
