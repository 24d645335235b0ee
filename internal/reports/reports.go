// Package reports answers the questions district staff report on: the
// funnel by school and pathway, placements by funding source, approved
// hours, completion, where journeys are stuck, messages and opt-outs, and
// Perkins-style work-based learning counts. Every query is scoped to a
// district and, for coordinators, to their schools; each report renders
// as a page table and as CSV.
package reports

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
)

// Filter narrows a report within the scope.
type Filter struct {
	// ProgramYear keeps journeys (and their messages) of one program year;
	// 0 means every year.
	ProgramYear int
}

// Queries runs the reports.
type Queries struct {
	pool *pgxpool.Pool
	// Now is the clock for "days stuck".
	Now func() time.Time
}

// New returns Queries on pool.
func New(pool *pgxpool.Pool) *Queries { return &Queries{pool: pool, Now: time.Now} }

// scoped opens every report's SQL: the journeys in scope ($1 district, $2
// all schools, $3 school ids, $4 program year or 0) and their approved
// timesheet hours. Reports add their SELECT after it.
const scoped = `
WITH scoped AS (
    SELECT jv.*, p.program_year FROM journey_view jv JOIN programs p ON p.id = jv.program_id
    WHERE jv.district_id = $1 AND ($2::boolean OR jv.school_id = ANY($3::uuid[]))
      AND ($4::int = 0 OR p.program_year = $4::int)
), approved AS (
    SELECT t.journey_id, sum(t.hours_total) AS hours FROM timesheets t JOIN scoped s ON s.journey_id = t.journey_id
    WHERE t.status = 'approved' GROUP BY t.journey_id
)`

// query runs a report's SQL (after the scoped CTE) with the scope's
// arguments and then extra ones ($5, ...), collecting rows with scan.
func query[T any](ctx context.Context, q *Queries, s store.Scope, f Filter, sql string, scan func(pgx.CollectableRow) (T, error), extra ...any) ([]T, error) {
	if err := s.Check(); err != nil {
		return nil, err
	}
	schools := s.SchoolIDs
	if schools == nil {
		schools = []string{}
	}
	args := append([]any{s.DistrictID, s.SchoolIDs == nil, schools, f.ProgramYear}, extra...)
	rows, err := q.pool.Query(ctx, scoped+sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scan)
}

// ratio is part/whole, 0 when there is no whole.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}
