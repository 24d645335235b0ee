package store

// The demo data's own statements (internal/demo): finding what an earlier
// seed left, the seed's marker, and the few rows the store has no general
// method for (demo staff, last year's MOUs, guardians).

import (
	"context"

	"github.com/jackc/pgx/v5"
)

const districtByNameSQL = `SELECT id FROM districts WHERE name = $1`

// DistrictByName finds a district by its name (ErrNotFound: none).
func (s *Store) DistrictByName(ctx context.Context, name string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, districtByNameSQL, name).Scan(&id)
	return id, notFound(err)
}

const (
	demoSeededSQL = `SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity_kind = 'district'
		AND entity_id = $1 AND action = 'demo_seeded')`
	markDemoSeededSQL = `INSERT INTO audit_log (district_id, actor_kind, action, entity_kind, entity_id)
		VALUES ($1, 'system', 'demo_seeded', 'district', $2)`
)

// DemoSeeded reports whether the demo seed finished for the district.
func (s *Store) DemoSeeded(ctx context.Context, districtID string) (bool, error) {
	var done bool
	err := s.Pool.QueryRow(ctx, demoSeededSQL, districtID).Scan(&done)
	return done, err
}

// MarkDemoSeeded leaves the marker of a finished demo seed.
func (s *Store) MarkDemoSeeded(ctx context.Context, districtID string) error {
	_, err := s.Pool.Exec(ctx, markDemoSeededSQL, districtID, districtID)
	return err
}

// DemoStaffRole is one demo staff member with one role (SchoolID "" for
// district-wide).
type DemoStaffRole struct{ Name, Email, Role, SchoolID string }

const seedDemoStaffSQL = `
				WITH who AS (
					INSERT INTO staff (district_id, name, email) VALUES ($1, $2, $3)
					ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id
				)
				INSERT INTO staff_roles (staff_id, role, school_id) SELECT id, $4, NULLIF($5, '')::uuid FROM who
				ON CONFLICT DO NOTHING`

// SeedDemoStaff creates the staff and their roles, all or none
// (idempotently: existing staff and roles stay).
func (s *Store) SeedDemoStaff(ctx context.Context, districtID string, staff []DemoStaffRole) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		for _, m := range staff {
			if _, err := tx.Exec(ctx, seedDemoStaffSQL, districtID, m.Name, m.Email, m.Role, m.SchoolID); err != nil {
				return err
			}
		}
		return nil
	})
}

const demoStaffRolesSQL = `SELECT r.role, COALESCE(r.school_id::text, ''), s.id FROM staff s JOIN staff_roles r ON r.staff_id = s.id
		WHERE s.district_id = $1`

// DemoStaffRoles are the district's staff ids by role ("role:school id"
// for a school's role).
func (s *Store) DemoStaffRoles(ctx context.Context, districtID string) (map[string]string, error) {
	rows, err := s.Pool.Query(ctx, demoStaffRolesSQL, districtID)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{}
	var role, school, id string
	_, err = pgx.ForEachRow(rows, []any{&role, &school, &id}, func() error {
		key := role
		if school != "" {
			key += ":" + school
		}
		ids[key] = id
		return nil
	})
	return ids, err
}

const demoClinicSQL = `SELECT id FROM employers WHERE district_id = $1 AND name = 'Valley Community Clinic'`

// DemoClinic finds the demo's clinic, the first employer the seed makes
// (ErrNotFound: not seeded yet).
func (s *Store) DemoClinic(ctx context.Context, districtID string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, demoClinicSQL, districtID).Scan(&id)
	return id, notFound(err)
}

const programByNameSQL = `SELECT id FROM programs WHERE district_id = $1 AND name = $2`

// ProgramByName finds a district's program by name (ErrNotFound: none).
func (s *Store) ProgramByName(ctx context.Context, districtID, name string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, programByNameSQL, districtID, name).Scan(&id)
	return id, notFound(err)
}

const postingByTitleSQL = `SELECT p.id, p.supervisor_id FROM postings p JOIN employers e ON e.id = p.employer_id
			WHERE e.district_id = $1 AND p.title = $2`

// PostingByTitle finds a district's posting by title, with its supervisor.
func (s *Store) PostingByTitle(ctx context.Context, districtID, title string) (id, supervisorID string, err error) {
	err = s.Pool.QueryRow(ctx, postingByTitleSQL, districtID, title).Scan(&id, &supervisorID)
	return id, supervisorID, err
}

const seedExpiredMOUSQL = `INSERT INTO mous (employer_id, program_year, workflow_id, status, terms,
				employer_signed_at, approved_at, implementation_date, expires_on)
			SELECT e.id, $3::int, 'demo-mou-' || e.id || '-' || $3::int, 'expired', $4,
				make_date($3::int, 3, 2), make_date($3::int, 3, 9), make_date($3::int, 6, 15), make_date($3::int, 8, 31)
			FROM employers e WHERE e.district_id = $1 AND e.name = $2
			ON CONFLICT (employer_id, program_year) DO NOTHING`

// SeedExpiredMOU gives the district's employer an MOU of that year,
// signed, approved and expired, with these terms (JSON); once.
func (s *Store) SeedExpiredMOU(ctx context.Context, districtID, employer string, year int, terms string) error {
	_, err := s.Pool.Exec(ctx, seedExpiredMOUSQL, districtID, employer, year, terms)
	return err
}

const upsertFirstGuardianSQL = `INSERT INTO guardians (student_id, position, name, relationship, phone, language)
			VALUES ($1, 1, $2, 'parent', $3, $4) ON CONFLICT (student_id, position) DO UPDATE SET name = EXCLUDED.name RETURNING id`

// UpsertFirstGuardian records a student's first guardian, a parent.
func (s *Store) UpsertFirstGuardian(ctx context.Context, studentID, name, phone, language string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, upsertFirstGuardianSQL, studentID, name, phone, language).Scan(&id)
	return id, err
}
