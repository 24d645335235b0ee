package roster

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// record stores the run and, for a real import, its audit entry (counts
// only) in one transaction.
func (im *Importer) record(ctx context.Context, opts Options, rep *Report) error {
	return pgx.BeginFunc(ctx, im.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT gen_random_uuid()`).Scan(&rep.RunID); err != nil {
			return err
		}
		body, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO import_runs (id, district_id, actor_kind, actor_ref, format, dry_run, started_at, finished_at, report)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			rep.RunID, opts.DistrictID, opts.ActorKind, opts.ActorRef, rep.Format, rep.DryRun, rep.StartedAt,
			rep.StartedAt.Add(time.Duration(rep.Seconds*float64(time.Second))), body); err != nil {
			return err
		}
		if rep.DryRun {
			return nil
		}
		return audit(ctx, tx, opts, rep)
	})
}

// audit logs the import's counts: who imported what, never whom.
func audit(ctx context.Context, tx pgx.Tx, opts Options, rep *Report) error {
	after, err := json.Marshal(map[string]any{
		"format": rep.Format, "schools": rep.Schools, "staff": rep.Staff, "students": rep.Students,
		"guardians": rep.Guardians, "flagged_missing": rep.FlaggedMissing, "reappeared": rep.Reappeared,
		"rejected": len(rep.Rejected), "skipped": rep.Skipped, "staff_roles_granted": rep.StaffRolesGranted,
	})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO audit_log (district_id, actor_kind, actor_ref, action, entity_kind, entity_id, after)
		VALUES ($1, $2, $3, 'roster.import', 'import_run', $4, $5)`,
		opts.DistrictID, opts.ActorKind, opts.ActorRef, rep.RunID, after)
	return err
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
	rows, err := im.pool.Query(ctx, `
		SELECT id::text, actor_kind, actor_ref, started_at, report FROM import_runs
		WHERE district_id = $1 ORDER BY started_at DESC LIMIT $2`, districtID, limit)
	if err != nil {
		return nil, fmt.Errorf("list import runs: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Run, error) {
		var run Run
		var body []byte
		if err := r.Scan(&run.ID, &run.ActorKind, &run.ActorRef, &run.StartedAt, &body); err != nil {
			return run, err
		}
		return run, json.Unmarshal(body, &run.Report)
	})
}
