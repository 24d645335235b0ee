package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// Staff is a district employee who signs in.
type Staff struct {
	ID         string      `json:"id"`
	DistrictID string      `json:"district_id"`
	Name       string      `json:"name"`
	Email      string      `json:"email"`
	Phone      string      `json:"phone,omitempty"`
	Active     bool        `json:"active"`
	Roles      []StaffRole `json:"roles"`
}

// StaffRole is one role, district-wide (SchoolID empty) or for a school.
type StaffRole struct {
	Role     string `json:"role"`
	SchoolID string `json:"school_id,omitempty"`
}

// CreateStaff inserts a staff member with roles and returns the id.
func (s *Store) CreateStaff(ctx context.Context, st Staff) (string, error) {
	var id string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO staff (district_id, name, email, phone) VALUES ($1,$2,$3,NULLIF($4,'')) RETURNING id`,
			st.DistrictID, st.Name, st.Email, st.Phone).Scan(&id); err != nil {
			return err
		}
		for _, r := range st.Roles {
			if _, err := tx.Exec(ctx, `INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1,$2,NULLIF($3,'')::uuid)`,
				id, r.Role, r.SchoolID); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// GetStaff loads a staff member with roles.
func (s *Store) GetStaff(ctx context.Context, id string) (Staff, error) {
	st := Staff{ID: id}
	if err := s.Pool.QueryRow(ctx, `SELECT district_id, name, email, COALESCE(phone,''), active FROM staff WHERE id = $1`, id).
		Scan(&st.DistrictID, &st.Name, &st.Email, &st.Phone, &st.Active); err != nil {
		return st, notFound(err)
	}
	rows, err := s.Pool.Query(ctx, `SELECT role, COALESCE(school_id::text,'') FROM staff_roles WHERE staff_id = $1 ORDER BY role, school_id`, id)
	if err != nil {
		return st, err
	}
	st.Roles, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (StaffRole, error) {
		var sr StaffRole
		err := r.Scan(&sr.Role, &sr.SchoolID)
		return sr, err
	})
	return st, err
}

// StaffByEmail finds an active staff member by sign-in email.
func (s *Store) StaffByEmail(ctx context.Context, email string) (Staff, error) {
	var id string
	if err := s.Pool.QueryRow(ctx, `SELECT id FROM staff WHERE email = $1 AND active`, email).Scan(&id); err != nil {
		return Staff{}, notFound(err)
	}
	return s.GetStaff(ctx, id)
}
