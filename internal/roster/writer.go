package roster

import (
	"context"
	"fmt"
	"time"
)

// writer writes one roster into one district.
type writer struct {
	db       dbtx
	district string
	roster   *Roster
	rep      *Report
}

func (w *writer) reject(file string, line int, sourceID, reason string) {
	w.rep.Rejected = append(w.rep.Rejected, Rejection{File: file, Line: line, SourceID: sourceID, Reason: reason})
}

// schools upserts the roster's schools in one transaction.
func (w *writer) schools(ctx context.Context) error {
	if len(w.roster.Schools) == 0 {
		return nil
	}
	tx, err := w.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	for _, sc := range w.roster.Schools {
		var created bool
		err := tx.QueryRow(ctx, `
			INSERT INTO schools AS s (district_id, name, source_id, timezone) VALUES ($1, $2, $3, NULLIF($4, ''))
			ON CONFLICT (district_id, source_id) DO UPDATE SET name = EXCLUDED.name,
				timezone = COALESCE(EXCLUDED.timezone, s.timezone)
			WHERE s.name <> EXCLUDED.name OR s.timezone IS DISTINCT FROM COALESCE(EXCLUDED.timezone, s.timezone)
			RETURNING xmax = 0`, w.district, sc.Name, sc.SourceID, sc.Timezone).Scan(&created)
		switch {
		case isNoRows(err):
			w.rep.Schools.Unchanged++
		case err != nil:
			return fmt.Errorf("school %s (line %d): %w", sc.SourceID, sc.Line, err)
		case created:
			w.rep.Schools.Created++
		default:
			w.rep.Schools.Updated++
		}
	}
	return tx.Commit(ctx)
}

// schoolIDs maps every school of the district by source id and by its own
// id, so a plain CSV may name a school either way.
func (w *writer) schoolIDs(ctx context.Context) (map[string]string, error) {
	rows, err := w.db.Query(ctx, `SELECT id::text, COALESCE(source_id, '') FROM schools WHERE district_id = $1`, w.district)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]string{}
	for rows.Next() {
		var id, source string
		if err := rows.Scan(&id, &source); err != nil {
			return nil, err
		}
		ids[id] = id
		if source != "" {
			ids[source] = id
		}
	}
	return ids, rows.Err()
}

// resolveSchools replaces school references by ids and rejects students
// of unknown schools.
func (w *writer) resolveSchools(schools map[string]string) []Student {
	out := make([]Student, 0, len(w.roster.Students))
	for _, st := range w.roster.Students {
		id, ok := schools[st.SchoolRef]
		if !ok {
			w.reject(st.File, st.Line, st.SourceID, fmt.Sprintf("school_id: unknown school %q", st.SchoolRef))
			continue
		}
		st.SchoolRef = id
		out = append(out, st)
	}
	return out
}

// flagMissing marks the district's roster students this import does not
// list — never deletes them: their journeys and records stay. A student
// the SIS marks tobedeleted is flagged even by a partial import.
func (w *writer) flagMissing(ctx context.Context, partial bool, now time.Time) error {
	r := w.roster
	if !partial && !r.Delta && len(r.Seen) == 0 {
		w.rep.Warnings = append(w.rep.Warnings, "the files list no students, so none were flagged missing")
		partial = true
	}
	tag, err := w.db.Exec(ctx, `
		UPDATE students SET missing_from_roster_at = $4, updated_at = now()
		WHERE district_id = $1 AND source_id IS NOT NULL AND missing_from_roster_at IS NULL
		  AND NOT (source_id = ANY($2))
		  AND ($3 OR source_id = ANY($5))`,
		w.district, r.Seen, !partial && !r.Delta, now, r.Departed)
	if err != nil {
		return err
	}
	w.rep.FlaggedMissing = int(tag.RowsAffected())
	return nil
}
