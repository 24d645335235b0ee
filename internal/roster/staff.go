package roster

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// staff upserts staff in one transaction, each row in a savepoint: a staff
// email is unique across districts, and a clash rejects only that row.
func (w *writer) staff(ctx context.Context, schools map[string]string, roles map[string]string) error {
	if len(w.roster.Staff) == 0 {
		return nil
	}
	tx, err := w.db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	for _, st := range w.roster.Staff {
		if err := w.oneStaff(ctx, tx, st, schools, roles[st.Role]); err != nil {
			return fmt.Errorf("staff %s (line %d): %w", st.SourceID, st.Line, err)
		}
	}
	return tx.Commit(ctx)
}

func (w *writer) oneStaff(ctx context.Context, tx pgx.Tx, st Staff, schools map[string]string, role string) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	defer sp.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // no-op after commit
	id, created, changed, err := store.UpsertRosterStaff(ctx, sp, w.district,
		store.RosterStaff{SourceID: st.SourceID, Name: st.Name, Email: st.Email, Phone: st.Phone, Active: st.Active})
	if store.IsUniqueViolation(err, "staff_email_key") {
		w.reject(staffFile(w.roster), st.Line, st.SourceID, "email: already used by another staff member")
		return nil
	}
	if err != nil {
		return err
	}
	switch {
	case created:
		w.rep.Staff.Created++
	case changed:
		w.rep.Staff.Updated++
	default:
		w.rep.Staff.Unchanged++
	}
	if err := w.grant(ctx, sp, id, st, schools, role); err != nil {
		return err
	}
	return sp.Commit(ctx)
}

// grant adds the configured internflow role; it never removes one, since
// staff roles are also granted by hand.
func (w *writer) grant(ctx context.Context, tx pgx.Tx, staffID string, st Staff, schools map[string]string, role string) error {
	if role == "" {
		return nil
	}
	var schoolIDs []any
	if role == "coordinator" {
		for _, ref := range st.SchoolIDs {
			if id, ok := schools[ref]; ok {
				schoolIDs = append(schoolIDs, id)
			}
		}
		if len(schoolIDs) == 0 {
			w.rep.Warnings = append(w.rep.Warnings, fmt.Sprintf("staff %s (line %d): no known school, so no coordinator role", st.SourceID, st.Line))
		}
	} else {
		schoolIDs = []any{nil}
	}
	for _, school := range schoolIDs {
		granted, err := store.GrantStaffRole(ctx, tx, staffID, role, school)
		if err != nil {
			return fmt.Errorf("grant %s: %w", role, err)
		}
		w.rep.StaffRolesGranted += granted
	}
	return nil
}

func staffFile(r *Roster) string {
	if r.Format == FormatOneRoster {
		return "users.csv"
	}
	return "staff.csv"
}
