package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// StudentHours is one student's approved hours against what their
// placements require.
type StudentHours struct {
	StudentID     string
	SourceID      string
	FirstName     string
	LastName      string
	School        string
	HoursApproved float64
	HoursRequired float64
	Completed     bool
}

// HoursPerStudent lists every student with a journey in scope and the
// timesheet hours approved for them. Required hours come from the
// placement, else from the journey's program.
func (q *Queries) HoursPerStudent(ctx context.Context, s store.Scope, f Filter) ([]StudentHours, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT st.id::text, COALESCE(st.source_id, ''), st.first_name, st.last_name, sc.name,
			COALESCE(sum(a.hours), 0)::float8, COALESCE(sum(COALESCE(pl.hours_required, s.hours_required)), 0)::float8,
			bool_or(s.completed_at IS NOT NULL)
		FROM scoped s JOIN students st ON st.id = s.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN approved a ON a.journey_id = s.journey_id
		LEFT JOIN placements pl ON pl.journey_id = s.journey_id
		GROUP BY st.id, sc.name ORDER BY sc.name, st.last_name, st.first_name, st.id`,
		func(r pgx.CollectableRow) (StudentHours, error) {
			var h StudentHours
			err := r.Scan(&h.StudentID, &h.SourceID, &h.FirstName, &h.LastName, &h.School,
				&h.HoursApproved, &h.HoursRequired, &h.Completed)
			return h, err
		})
	if err != nil {
		return nil, fmt.Errorf("hours per student: %w", err)
	}
	return rows, nil
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
