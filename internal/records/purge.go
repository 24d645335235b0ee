package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Journeys int
	// Workflows counts the workflow executions deleted (every run of the
	// journeys and of their timesheet weeks).
	Workflows int
	// Rows counts the rows deleted by table (cascades included).
	Rows map[string]int
}

// Purge deletes a student's record: first every workflow of theirs (the
// journeys and their timesheet weeks, running or closed, whose inputs hold
// the student's id and age and whose histories hold what they typed), then
// every row Tables derives from the student, including the audit entries
// about them. What remains is the purge's own audit entry: who asked, why,
// and how many rows and workflows went. A purge that fails partway can be
// run again: workflows go first, so a rerun finds the rows still there.
func (s *Service) Purge(ctx context.Context, studentID, staffID, reason string) (PurgeResult, error) {
	return s.PurgeBy(ctx, studentID, Requester{Kind: "staff", Ref: staffID}, reason)
}

// PurgeBy is Purge with the requester's address in the audit entry.
func (s *Service) PurgeBy(ctx context.Context, studentID string, by Requester, reason string) (PurgeResult, error) {
	res := PurgeResult{Rows: map[string]int{}}
	if reason == "" {
		return res, errors.New("a purge needs the reason (the record request)")
	}
	if by.Ref == "" {
		return res, errors.New("a purge needs the staff member carrying it out")
	}
	if _, err := studentDistrict(ctx, s.Pool, studentID, false); err != nil {
		return res, err
	}
	n, err := s.deleteWorkflows(ctx, studentID)
	res.Workflows = n
	if err != nil {
		return res, err
	}
	// A writer still finishing for a workflow just deleted (a worker learns
	// of the deletion only when its task completes) can meet the purge in
	// another lock order; PostgreSQL then cancels one side. The purge is
	// all or nothing, so it simply runs again.
	for attempt := 1; ; attempt++ {
		res.Rows = map[string]int{}
		err = s.purgeRows(ctx, studentID, by, reason, &res)
		if !isDeadlock(err) || attempt == 3 {
			return res, err
		}
	}
}

// isDeadlock: PostgreSQL cancelled the transaction to break a deadlock.
func isDeadlock(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "40P01"
}

// purgeRows deletes the student's rows and writes the purge's audit entry
// in one transaction.
func (s *Service) purgeRows(ctx context.Context, studentID string, by Requester, reason string, res *PurgeResult) error {
	return pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		district, err := studentDistrict(ctx, tx, studentID, true)
		if err != nil {
			return err
		}
		// Lock the journeys before deleting anything: an activity still
		// writing a journey's record takes its journey row before the read
		// model's (whose Unreachable flag triggers read), so taking the
		// journeys first keeps both in one order (no deadlock).
		if _, err := tx.Exec(ctx, `SELECT 1 FROM journeys WHERE student_id = $1 FOR UPDATE`, studentID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM journeys WHERE student_id = $1`, studentID).Scan(&res.Journeys); err != nil {
			return err
		}
		if err := countCascades(ctx, tx, studentID, res.Rows); err != nil {
			return err
		}
		for _, t := range exported() {
			if t.Purge == "" {
				continue
			}
			tag, err := tx.Exec(ctx, t.Purge, studentID)
			if err != nil {
				return fmt.Errorf("purge %s: %w", t.Name, err)
			}
			res.Rows[t.Name] = int(tag.RowsAffected())
		}
		after, err := json.Marshal(map[string]any{"journeys": res.Journeys, "workflows": res.Workflows, "rows": res.Rows})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_log (district_id, actor_kind, actor_ref, action, entity_kind, entity_id, reason, after, ip)
			VALUES ($1, $2, $3, 'student_purged', 'student', $4, $5, $6, NULLIF($7, ''))`, district, by.Kind, by.Ref, studentID, reason, after, by.IP)
		return err
	})
}

// countCascades counts the rows foreign keys will delete with their
// parents, for the purge's audit entry.
func countCascades(ctx context.Context, tx pgx.Tx, studentID string, into map[string]int) error {
	for _, t := range exported() {
		if t.Purge != "" {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM (`+t.Export+`) x`, studentID).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t.Name, err)
		}
		into[t.Name] = n
	}
	return nil
}
