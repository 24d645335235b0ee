package roster

import (
	"context"
	"encoding/json"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// record stores the run and, for a real import, its audit entry (counts
// only) in one transaction.
func (im *Importer) record(ctx context.Context, opts Options, rep *Report) error {
	run := store.ImportRun{DistrictID: opts.DistrictID, ActorKind: opts.ActorKind, ActorRef: opts.ActorRef, Format: rep.Format,
		DryRun: rep.DryRun, StartedAt: rep.StartedAt, FinishedAt: rep.StartedAt.Add(time.Duration(rep.Seconds * float64(time.Second)))}
	body := func(runID string) ([]byte, error) {
		rep.RunID = runID
		return json.Marshal(rep)
	}
	return im.store.RecordImportRun(ctx, run, body, func() ([]byte, error) { return auditCounts(rep) })
}

// auditCounts is what the audit log keeps of an import: who imported
// what, never whom.
func auditCounts(rep *Report) ([]byte, error) {
	return json.Marshal(map[string]any{
		"format": rep.Format, "schools": rep.Schools, "staff": rep.Staff, "students": rep.Students,
		"guardians": rep.Guardians, "flagged_missing": rep.FlaggedMissing, "reappeared": rep.Reappeared,
		"rejected": len(rep.Rejected), "skipped": rep.Skipped, "staff_roles_granted": rep.StaffRolesGranted,
	})
}

// Run is a past import as the upload page lists it.
type Run struct {
	ID        string
	ActorKind string
	ActorRef  string
	StartedAt time.Time
	Report    Report
}

// RecentRuns lists a district's latest imports, newest first.
func (im *Importer) RecentRuns(ctx context.Context, districtID string, limit int) ([]Run, error) {
	stored, err := im.store.RecentImportRuns(ctx, districtID, limit)
	if err != nil {
		return nil, err
	}
	runs := make([]Run, 0, len(stored))
	for _, s := range stored {
		run := Run{ID: s.ID, ActorKind: s.ActorKind, ActorRef: s.ActorRef, StartedAt: s.StartedAt}
		if err := json.Unmarshal(s.Report, &run.Report); err != nil {
			return nil, err
		}
		runs = append(runs, run)
	}
	return runs, nil
}
