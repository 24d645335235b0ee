package records

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/internflow/internflow/internal/store"
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
	if _, err := s.Store.StudentDistrict(ctx, studentID); err != nil {
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
	after := func(journeys int, rows map[string]int) ([]byte, error) {
		return json.Marshal(map[string]any{"journeys": journeys, "workflows": res.Workflows, "rows": rows})
	}
	journeys, rows, err := s.Store.PurgeStudentRows(ctx, store.StudentPurge{StudentID: studentID, ActorKind: by.Kind,
		ActorRef: by.Ref, IP: by.IP, Reason: reason, After: after})
	res.Journeys, res.Rows = journeys, rows
	return err
}
