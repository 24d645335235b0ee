package roster

import (
	"context"

	"github.com/internflow/internflow/internal/store"
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
	b := store.RosterBatch{DistrictID: w.district, Students: make([]store.RosterStudent, len(students)),
		Absent: w.roster.Absent, AbsentGuardian: w.roster.AbsentGuardian, HasGuardians: w.roster.HasGuardians}
	for i, st := range students {
		b.Students[i] = stagedStudent(st)
	}
	wrote, err := store.WriteRosterBatch(ctx, tx, b)
	if err != nil {
		return c, err
	}
	c.students = Counts{Created: wrote.StudentsCreated, Updated: wrote.StudentsUpdated, Stale: wrote.Stale,
		Unchanged: len(students) - wrote.Stale - wrote.StudentsCreated - wrote.StudentsUpdated}
	c.guardians = Counts{Created: wrote.GuardiansCreated, Updated: wrote.GuardiansUpdated, Removed: wrote.GuardiansRemoved,
		Unchanged: wrote.GuardiansStaged - wrote.GuardiansCreated - wrote.GuardiansUpdated}
	c.reappeared = wrote.Reappeared
	return c, tx.Commit(ctx)
}

// stagedStudent is the row the store stages for a student.
func stagedStudent(st Student) store.RosterStudent {
	s := store.RosterStudent{SourceID: st.SourceID, SchoolID: st.SchoolRef, FirstName: st.FirstName, LastName: st.LastName,
		PreferredName: st.PreferredName, DateOfBirth: st.DateOfBirth, Grade: st.Grade, Phone: st.Phone, Email: st.Email,
		Language: st.Language, Timezone: st.Timezone, AddressLine1: st.AddressLine1, City: st.City, State: st.State,
		PostalCode: st.PostalCode, GuardiansKnown: st.GuardiansKnown, StudentNumber: st.StudentNumber, StateID: st.StateID,
		Modified: st.Modified}
	for _, g := range st.Guardians {
		s.Guardians = append(s.Guardians, store.RosterGuardian{Position: g.Position, SourceID: g.SourceID, Name: g.Name,
			Relationship: g.Relationship, Phone: g.Phone, Email: g.Email, Language: g.Language})
	}
	return s
}
