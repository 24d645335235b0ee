package roster

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// batch writes students and their guardians in one transaction. If the
// database refuses a row the validation let through, the batch is retried
// row by row so only that student is rejected.
func (w *writer) batch(ctx context.Context, students []Student) error {
	c, err := w.tryBatch(ctx, students)
	if err == nil {
		w.add(c)
		return nil
	}
	if _, ok := isRowError(err); !ok || len(students) == 1 {
		return err
	}
	for _, st := range students {
		c, err := w.tryBatch(ctx, []Student{st})
		if pgErr, ok := isRowError(err); ok {
			w.reject(st.File, st.Line, st.SourceID, "the database refused the row: "+refusal(pgErr.ConstraintName, pgErr.Message))
			continue
		}
		if err != nil {
			return err
		}
		w.add(c)
	}
	return nil
}

// refusal names the rule a row broke; the message never holds values
// (they are in the error's Detail, which we do not show).
func refusal(constraint, message string) string {
	if constraint != "" {
		return constraint
	}
	return message
}

// batchCounts is what one batch changed.
type batchCounts struct {
	students, guardians Counts
	reappeared          int
}

func (w *writer) add(c batchCounts) {
	add := func(to *Counts, c Counts) {
		to.Created += c.Created
		to.Updated += c.Updated
		to.Unchanged += c.Unchanged
		to.Removed += c.Removed
		to.Stale += c.Stale
	}
	add(&w.rep.Students, c.students)
	add(&w.rep.Guardians, c.guardians)
	w.rep.Reappeared += c.reappeared
}

func (w *writer) tryBatch(ctx context.Context, students []Student) (batchCounts, error) {
	var c batchCounts
	tx, err := w.db.Begin(ctx)
	if err != nil {
		return c, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	nGuardians, err := stage(ctx, tx, students)
	if err != nil {
		return c, err
	}
	if err := tx.QueryRow(ctx, dropStale, w.district).Scan(&c.students.Stale); err != nil {
		return c, fmt.Errorf("keep newer records: %w", err)
	}
	if err := tx.QueryRow(ctx, countReappeared, w.district).Scan(&c.reappeared); err != nil {
		return c, fmt.Errorf("count reappeared: %w", err)
	}
	stale := c.students.Stale
	if c.students, err = upsertCounts(ctx, tx, upsertStudents, len(students)-stale, w.district, w.roster.Absent); err != nil {
		return c, fmt.Errorf("upsert students: %w", err)
	}
	c.students.Stale = stale
	if _, err := tx.Exec(ctx, markModified, w.district); err != nil {
		return c, fmt.Errorf("record dateLastModified: %w", err)
	}
	if c.guardians, err = upsertCounts(ctx, tx, upsertGuardians, nGuardians, w.district, w.roster.AbsentGuardian); err != nil {
		return c, fmt.Errorf("upsert guardians: %w", err)
	}
	if w.roster.HasGuardians {
		tag, err := tx.Exec(ctx, deleteUnlistedGuardians, w.district)
		if err != nil {
			return c, fmt.Errorf("remove unlisted guardians: %w", err)
		}
		c.guardians.Removed = int(tag.RowsAffected())
	}
	return c, tx.Commit(ctx)
}

// stage copies the batch into temporary tables, which the set-based
// upserts read: one round trip per table instead of one per row.
func stage(ctx context.Context, tx pgx.Tx, students []Student) (guardians int, err error) {
	if _, err := tx.Exec(ctx, createStaging); err != nil {
		return 0, fmt.Errorf("create staging tables: %w", err)
	}
	srows := make([][]any, 0, len(students))
	var grows [][]any
	for _, st := range students {
		srows = append(srows, []any{st.SourceID, st.SchoolRef, st.FirstName, st.LastName, null(st.PreferredName),
			st.DateOfBirth, nullInt(st.Grade), null(st.Phone), null(st.Email), null(st.Language), null(st.Timezone),
			null(st.AddressLine1), null(st.City), null(st.State), null(st.PostalCode), st.GuardiansKnown,
			null(st.StudentNumber), null(st.StateID), st.Modified})
		if !st.GuardiansKnown {
			continue
		}
		for _, g := range st.Guardians {
			grows = append(grows, []any{st.SourceID, int16(g.Position), null(g.SourceID), g.Name, null(g.Relationship),
				null(g.Phone), null(g.Email), null(g.Language)})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"roster_students"}, stagedStudentColumns, pgx.CopyFromRows(srows)); err != nil {
		return 0, fmt.Errorf("copy students: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"roster_guardians"}, stagedGuardianColumns, pgx.CopyFromRows(grows)); err != nil {
		return 0, fmt.Errorf("copy guardians: %w", err)
	}
	// Fresh temp tables have no statistics; without them the planner
	// misjudges the joins against 50,000 students.
	_, err = tx.Exec(ctx, `ANALYZE roster_students; ANALYZE roster_guardians`)
	return len(grows), err
}

// upsertCounts runs an upsert that returns (xmax = 0) for each row it
// inserted or changed; rows it did not return were unchanged.
func upsertCounts(ctx context.Context, tx pgx.Tx, sql string, total int, args ...any) (Counts, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return Counts{}, err
	}
	var c Counts
	var created bool
	_, err = pgx.ForEachRow(rows, []any{&created}, func() error {
		if created {
			c.Created++
		} else {
			c.Updated++
		}
		return nil
	})
	c.Unchanged = total - c.Created - c.Updated
	return c, err
}

// null stores "" as NULL, as the tables' CHECKs expect.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return int16(n)
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }
