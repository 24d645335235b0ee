// Package retention carries out the district's record-retention policy:
// a student whose every journey closed long enough ago (the policy's
// period, e.g. five years) is purged the same way a FERPA request purges
// one: only the audit entry of each purge remains.
package retention

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/store"
)

// Sweeper finds and purges students past the retention period.
type Sweeper struct {
	Pool    *pgxpool.Pool
	Records *records.Service
}

// Policy is one sweep's rule.
type Policy struct {
	// ClosedBefore: every journey of the student closed before it.
	ClosedBefore time.Time
	// Period is the policy as written ("5y"), kept in the audit reason.
	Period string
	// StaffID runs the sweep and is named in the audit log.
	StaffID string
	// Limit caps students purged per run (default 500), so a first sweep
	// over years of records does not hold Temporal and Postgres for long.
	Limit int
	// DryRun lists who would be purged and purges nobody.
	DryRun bool
}

// Result is what a sweep found and did.
type Result struct {
	// Due are the students past the period (all of them on a dry run;
	// at most Limit otherwise).
	Due       []string
	Purged    int
	Journeys  int
	Workflows int
}

// Due lists students with at least one journey whose journeys are all
// closed before the cutoff. Students still in a program, or closed more
// recently, are never listed.
func (s *Sweeper) Due(ctx context.Context, closedBefore time.Time, limit int) ([]string, error) {
	return store.New(s.Pool).StudentsPastRetention(ctx, closedBefore, limit)
}

// Sweep purges the students Due returns, one at a time through
// records.Service.Purge (which deletes their workflows and writes the
// audit log); it stops at the first failure, and a rerun resumes.
func (s *Sweeper) Sweep(ctx context.Context, p Policy) (Result, error) {
	if p.StaffID == "" {
		return Result{}, fmt.Errorf("a retention sweep needs the staff id of the person running it")
	}
	if p.Limit <= 0 {
		p.Limit = 500
	}
	due, err := s.Due(ctx, p.ClosedBefore, p.Limit)
	res := Result{Due: due}
	if err != nil || p.DryRun {
		return res, err
	}
	reason := fmt.Sprintf("retention policy: every journey closed more than %s ago (before %s)", p.Period, p.ClosedBefore.Format(time.DateOnly))
	for _, id := range due {
		pr, err := s.Records.Purge(ctx, id, p.StaffID, reason)
		if err != nil {
			return res, fmt.Errorf("purge student %s: %w", id, err)
		}
		res.Purged++
		res.Journeys += pr.Journeys
		res.Workflows += pr.Workflows
	}
	return res, nil
}

var periodRe = regexp.MustCompile(`^(\d+)(y|mo|d)$`)

// Cutoff turns a period like "5y", "18mo" or "90d" into the time that far
// before now.
func Cutoff(period string, now time.Time) (time.Time, error) {
	m := periodRe.FindStringSubmatch(period)
	if m == nil {
		return time.Time{}, fmt.Errorf("period must look like 5y, 18mo or 90d, got %q", period)
	}
	n, _ := strconv.Atoi(m[1])
	if n == 0 {
		return time.Time{}, fmt.Errorf("period must be longer than zero, got %q", period)
	}
	switch m[2] {
	case "y":
		return now.AddDate(-n, 0, 0), nil
	case "mo":
		return now.AddDate(0, -n, 0), nil
	}
	return now.AddDate(0, 0, -n), nil
}
