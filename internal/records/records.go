// Package records answers FERPA record requests: export everything the
// district holds about a student as one archive, and purge a student's
// record (every row derived from them and every workflow of theirs),
// keeping only the audit entry of the purge. Tables (tables.go) is the one
// list of how each table relates to a student.
package records

import (
	"context"
	"encoding/json"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Service exports and purges student records.
type Service struct {
	Store *store.Store
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
	district, err := s.Store.StudentDistrict(ctx, m.StudentID)
	if err != nil {
		return err
	}
	after, err := json.Marshal(map[string]any{"files": len(m.Files) + 1, "generated_at": m.GeneratedAt, "schema_version": m.SchemaVersion})
	if err != nil {
		return err
	}
	return s.Store.Audit(ctx, store.AuditEntry{DistrictID: district, ActorKind: by.Kind, ActorRef: by.Ref,
		Action: "student_record_exported", EntityKind: "student", EntityID: m.StudentID, After: after, IP: by.IP})
}
