package roster

import (
	"context"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// writer writes one roster into one district.
type writer struct {
	db       store.Beginner
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
		created, changed, err := store.UpsertRosterSchool(ctx, tx, w.district, sc.Name, sc.SourceID, sc.Timezone)
		switch {
		case err != nil:
			return fmt.Errorf("school %s (line %d): %w", sc.SourceID, sc.Line, err)
		case created:
			w.rep.Schools.Created++
		case changed:
			w.rep.Schools.Updated++
		default:
			w.rep.Schools.Unchanged++
		}
	}
	return tx.Commit(ctx)
}

// schoolIDs maps every school of the district by source id and by its own
// id, so a plain CSV may name a school either way.
func (w *writer) schoolIDs(ctx context.Context) (map[string]string, error) {
	return store.DistrictSchoolIDs(ctx, w.db, w.district)
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
	flagged, err := store.FlagMissingStudents(ctx, w.db, w.district, r.Seen, !partial && !r.Delta, now, r.Departed)
	if err != nil {
		return err
	}
	w.rep.FlaggedMissing = flagged
	return nil
}
