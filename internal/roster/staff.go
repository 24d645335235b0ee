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
	var id string
	var created, changed bool
	err = sp.QueryRow(ctx, upsertStaff, w.district, st.Name, st.Email, null(st.Phone), st.SourceID, st.Active).
		Scan(&id, &created, &changed)
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

// upsertStaff returns the staff id, whether the row was created, and
// whether it changed; an unchanged row is read back, not rewritten.
const upsertStaff = `
WITH up AS (
    INSERT INTO staff AS s (district_id, name, email, phone, source_id, active) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (district_id, source_id) DO UPDATE SET
        name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone, active = EXCLUDED.active
    WHERE (s.name, s.email, s.phone, s.active) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.email, EXCLUDED.phone, EXCLUDED.active)
    RETURNING id, xmax = 0 AS created
)
SELECT id, created, true FROM up
UNION ALL
SELECT id, false, false FROM staff WHERE district_id = $1 AND source_id = $5 AND NOT EXISTS (SELECT 1 FROM up)`

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
		tag, err := tx.Exec(ctx, `INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
			staffID, role, school)
		if err != nil {
			return fmt.Errorf("grant %s: %w", role, err)
		}
		w.rep.StaffRolesGranted += int(tag.RowsAffected())
	}
	return nil
}

func staffFile(r *Roster) string {
	if r.Format == FormatOneRoster {
		return "users.csv"
	}
	return "staff.csv"
}
