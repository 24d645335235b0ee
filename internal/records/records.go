// Package records answers FERPA record requests: export everything the
// district holds about a student, and purge a student's record (keeping the
// audit log, which holds ids and actions but no personal data).
package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/store"
)

// Service exports and purges student records.
type Service struct {
	Pool *pgxpool.Pool
	// Temporal, when set, lets a purge end and delete the student's
	// workflows too: their histories hold what the student typed.
	Temporal  client.Client
	Namespace string
}

// exports lists every table that holds a student's data, with the query
// returning its rows as JSON. Order matters only for readability.
var exports = []struct{ name, sql string }{
	{"student", `SELECT to_jsonb(s) FROM students s WHERE id = $1`},
	{"guardians", `SELECT to_jsonb(g) FROM guardians g WHERE student_id = $1`},
	{"journeys", `SELECT to_jsonb(j) FROM journeys j WHERE student_id = $1`},
	{"journey_view", `SELECT to_jsonb(v) FROM journey_view v WHERE student_id = $1`},
	{"timeline", `SELECT to_jsonb(e) FROM journey_events e JOIN journeys j ON j.id = e.journey_id WHERE j.student_id = $1 ORDER BY e.journey_id, e.seq`},
	{"survey_responses", `SELECT to_jsonb(x) FROM survey_responses x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"applications", `SELECT to_jsonb(x) FROM applications x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"placements", `SELECT to_jsonb(x) FROM placements x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"work_permits", `SELECT to_jsonb(x) FROM work_permits x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"signatures", `SELECT to_jsonb(x) - 'document_sha256' || jsonb_build_object('document_sha256', encode(x.document_sha256, 'hex'))
		FROM signatures x JOIN documents d ON d.id = x.document_id JOIN journeys j ON j.id = d.journey_id WHERE j.student_id = $1`},
	{"documents", `SELECT jsonb_build_object('id', d.id, 'kind', d.kind, 'filename', d.filename, 'content_type', d.content_type,
		'size_bytes', d.size_bytes, 'sha256', encode(d.sha256, 'hex'), 'created_at', d.created_at)
		FROM documents d JOIN journeys j ON j.id = d.journey_id WHERE j.student_id = $1`},
	{"training_completions", `SELECT to_jsonb(x) FROM training_completions x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"timesheets", `SELECT to_jsonb(t) || jsonb_build_object('entries', (SELECT coalesce(jsonb_agg(to_jsonb(e) ORDER BY e.work_date), '[]')
		FROM timesheet_entries e WHERE e.timesheet_id = t.id)) FROM timesheets t JOIN journeys j ON j.id = t.journey_id WHERE j.student_id = $1`},
	{"deliverables", `SELECT to_jsonb(x) FROM deliverables x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"reflections", `SELECT to_jsonb(x) FROM reflections x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"employer_feedback", `SELECT to_jsonb(x) FROM employer_feedback x JOIN journeys j ON j.id = x.journey_id WHERE j.student_id = $1`},
	{"messages", `SELECT jsonb_build_object('id', m.id, 'channel', m.channel, 'recipient_kind', m.recipient_kind, 'template', m.template,
		'status', m.status, 'created_at', m.created_at, 'sent_at', m.sent_at)
		FROM messages m JOIN journeys j ON j.id = m.journey_id WHERE j.student_id = $1 ORDER BY m.id`},
	{"replies", `SELECT to_jsonb(x) FROM inbound_messages x WHERE student_id = $1`},
}

// Export is everything held about one student, by table.
type Export struct {
	StudentID  string                       `json:"student_id"`
	ExportedAt time.Time                    `json:"exported_at"`
	Tables     map[string][]json.RawMessage `json:"tables"`
}

// Export gathers a student's record. The bytes of documents are not
// inlined; they are listed with their hashes and can be fetched by id.
func (s *Service) Export(ctx context.Context, studentID string) (Export, error) {
	out := Export{StudentID: studentID, ExportedAt: time.Now().UTC(), Tables: map[string][]json.RawMessage{}}
	err := pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		for _, e := range exports {
			rows, err := tx.Query(ctx, e.sql, studentID)
			if err != nil {
				return fmt.Errorf("export %s: %w", e.name, err)
			}
			list, err := pgx.CollectRows(rows, pgx.RowTo[json.RawMessage])
			if err != nil {
				return fmt.Errorf("export %s: %w", e.name, err)
			}
			out.Tables[e.name] = list
		}
		return nil
	})
	if err == nil && len(out.Tables["student"]) == 0 {
		return out, store.ErrNotFound
	}
	return out, err
}

// PurgeResult says what a purge removed.
type PurgeResult struct {
	Journeys  int
	Workflows int
}

// Purge deletes a student's record and everything that hangs off it, ends
// and deletes their journeys' workflows (whose histories hold what they
// typed), and records who asked and why in the audit log, which is kept.
func (s *Service) Purge(ctx context.Context, studentID, staffID, reason string) (PurgeResult, error) {
	var res PurgeResult
	if reason == "" {
		return res, errors.New("a purge needs the reason (the record request)")
	}
	var workflowIDs []string
	var district string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT district_id FROM students WHERE id = $1 FOR UPDATE`, studentID).Scan(&district); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return store.ErrNotFound
			}
			return err
		}
		// Lock the journeys before deleting anything: a journey's record
		// write (still running until its workflow is deleted below) takes
		// its journey row before the read model's, so taking the journeys
		// first keeps the two transactions in one order (no deadlock).
		if _, err := tx.Exec(ctx, `SELECT 1 FROM journeys WHERE student_id = $1 FOR UPDATE`, studentID); err != nil {
			return err
		}
		// The journeys and their timesheet weeks (child workflows).
		rows, err := tx.Query(ctx, `SELECT workflow_id FROM journeys WHERE student_id = $1
			UNION ALL SELECT j.workflow_id || '-week-' || t.week_start FROM timesheets t JOIN journeys j ON j.id = t.journey_id
			WHERE j.student_id = $1`, studentID)
		if err != nil {
			return err
		}
		if workflowIDs, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM journeys WHERE student_id = $1`, studentID).Scan(&res.Journeys); err != nil {
			return err
		}
		for _, q := range purges {
			if _, err := tx.Exec(ctx, q, studentID); err != nil {
				return fmt.Errorf("purge: %w", err)
			}
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit_log (district_id, actor_kind, actor_ref, action, entity_kind, entity_id, reason)
			VALUES ($1, 'staff', $2, 'student_purged', 'student', $3, $4)`, district, staffID, studentID, reason)
		return err
	})
	if err != nil {
		return res, err
	}
	res.Workflows, err = s.deleteWorkflows(ctx, workflowIDs)
	return res, err
}

// purges delete in dependency order; most journey tables cascade.
var purges = []string{
	`DELETE FROM journey_view WHERE student_id = $1`,
	`DELETE FROM action_links WHERE journey_id IN (SELECT id FROM journeys WHERE student_id = $1)
		OR (person_kind = 'student' AND person_ref = $1::text)`,
	`DELETE FROM inbound_messages WHERE student_id = $1`,
	`DELETE FROM journeys WHERE student_id = $1`,
	`DELETE FROM students WHERE id = $1`,
}

func (s *Service) deleteWorkflows(ctx context.Context, ids []string) (int, error) {
	if s.Temporal == nil {
		return 0, nil
	}
	n := 0
	for _, id := range ids {
		// Deleting a running execution terminates it first.
		_, err := s.Temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
			Namespace: s.Namespace, WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: id}})
		var nf *serviceerror.NotFound
		if err != nil && !errors.As(err, &nf) {
			return n, fmt.Errorf("delete workflow %s: %w", id, err)
		}
		n++
	}
	return n, nil
}
