// Package records answers FERPA record requests: export everything the
// district holds about a student as one archive, and purge a student's
// record (every row derived from them and every workflow of theirs),
// keeping only the audit entry of the purge. Tables (tables.go) is the one
// list of how each table relates to a student.
package records

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Service exports and purges student records.
type Service struct {
	Pool *pgxpool.Pool
	// Temporal, when set, lets an export list and a purge end and delete
	// the student's workflows too: their histories hold what the student
	// typed and their inputs hold the student's id and age.
	Temporal  client.Client
	Namespace string
	// Render renders messages as the dispatcher sends them (the app's
	// DispatcherConfig); action-link tokens are withheld from the export.
	Render messaging.DispatcherConfig
	// Now stamps the manifest (default time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// studentDistrict is the district of a student on record, or ErrNotFound.
func studentDistrict(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, studentID string, lock bool) (string, error) {
	if err := uuid.Validate(studentID); err != nil {
		return "", fmt.Errorf("student id %q is not an id (a UUID): %w", studentID, store.ErrNotFound)
	}
	sql := `SELECT district_id::text FROM students WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	var district string
	err := q.QueryRow(ctx, sql, studentID).Scan(&district)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", store.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("load student: %w", err)
	}
	return district, nil
}

// exported lists the tables the export and purge cover.
func exported() []Table {
	var out []Table
	for _, t := range Tables {
		if t.NotStudentData == "" {
			out = append(out, t)
		}
	}
	return out
}

// Requester is who carried out a record request, for its audit entry.
type Requester struct {
	Kind string // staff, or system for an operator's command line
	Ref  string
	IP   string
}

// AuditExport records that an export was handed out: by whom, and which
// archive (its file count, time and schema), so the district can say who
// received a student's record.
func (s *Service) AuditExport(ctx context.Context, by Requester, m Manifest) error {
	district, err := studentDistrict(ctx, s.Pool, m.StudentID, false)
	if err != nil {
		return err
	}
	after, err := json.Marshal(map[string]any{"files": len(m.Files) + 1, "generated_at": m.GeneratedAt, "schema_version": m.SchemaVersion})
	if err != nil {
		return err
	}
	return store.New(s.Pool).Audit(ctx, store.AuditEntry{DistrictID: district, ActorKind: by.Kind, ActorRef: by.Ref,
		Action: "student_record_exported", EntityKind: "student", EntityID: m.StudentID, After: after, IP: by.IP})
}
