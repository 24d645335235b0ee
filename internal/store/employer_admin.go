package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Staff manage employers, worksites, supervisors and postings of their
// own district. Every save checks the input (Normalize), refuses rows of
// another district as ErrNotFound, and writes the change and its audit
// entry (before and after) in one transaction.

// Editor is the staff member making a change: their district scopes it,
// and they are named in the audit log.
type Editor struct {
	DistrictID string
	StaffID    string
	IP         string
}

// audit records a created or updated row with its before and after.
func (by Editor) audit(ctx context.Context, tx pgx.Tx, kind, id string, before, after any) error {
	action := kind + "_updated"
	var b []byte
	if before == nil {
		action = kind + "_created"
	} else if raw, err := json.Marshal(before); err == nil {
		b = raw
	}
	a, err := json.Marshal(after)
	if err != nil {
		return fmt.Errorf("audit %s: %w", kind, err)
	}
	return by.write(ctx, tx, AuditEntry{Action: action, EntityKind: kind, EntityID: id, Before: b, After: a})
}

func (by Editor) write(ctx context.Context, tx pgx.Tx, e AuditEntry) error {
	e.DistrictID, e.ActorKind, e.ActorRef, e.IP = by.DistrictID, "staff", by.StaffID, by.IP
	return writeAudit(ctx, tx, []AuditEntry{e})
}

// isID reports whether s is a UUID, so a malformed id is "not found"
// rather than a query error.
func isID(s string) bool { return uuid.Validate(s) == nil && len(s) == 36 }

// inTx runs fn in a transaction and turns a schema CHECK it hit into a
// FieldError.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return constraintError(pgx.BeginFunc(ctx, s.Pool, fn))
}

// SaveEmployer creates the employer (no ID) or updates it.
func (s *Store) SaveEmployer(ctx context.Context, by Editor, e Employer) (Employer, error) {
	if err := e.Normalize(); err != nil {
		return e, err
	}
	e.DistrictID = by.DistrictID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if e.ID == "" {
			id, err := insertEmployer(ctx, tx, e)
			e.ID = id
			if err != nil {
				return err
			}
			return by.audit(ctx, tx, "employer", e.ID, nil, e)
		}
		before, err := employerIn(ctx, tx, by.DistrictID, e.ID, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE employers SET name = $2, is_district = $3, contact_name = NULLIF($4,''),
			contact_email = NULLIF($5,''), contact_phone = NULLIF($6,''), timezone = NULLIF($7,'') WHERE id = $1`,
			e.ID, e.Name, e.IsDistrict, e.ContactName, e.ContactEmail, e.ContactPhone, e.Timezone); err != nil {
			return err
		}
		return by.audit(ctx, tx, "employer", e.ID, before, e)
	})
	return e, err
}

// DistrictEmployer loads an employer of the district (ErrNotFound for
// any other).
func (s *Store) DistrictEmployer(ctx context.Context, districtID, id string) (Employer, error) {
	return employerIn(ctx, s.Pool, districtID, id, false)
}

func employerIn(ctx context.Context, db rowQuerier, districtID, id string, lock bool) (Employer, error) {
	e := Employer{ID: id, DistrictID: districtID}
	if !isID(id) || !isID(districtID) {
		return e, ErrNotFound
	}
	q := `SELECT name, is_district, COALESCE(contact_name,''), COALESCE(contact_email,''), COALESCE(contact_phone,''),
		COALESCE(timezone,'') FROM employers WHERE id = $1 AND district_id = $2`
	if lock {
		q += ` FOR UPDATE`
	}
	err := db.QueryRow(ctx, q, id, districtID).
		Scan(&e.Name, &e.IsDistrict, &e.ContactName, &e.ContactEmail, &e.ContactPhone, &e.Timezone)
	return e, notFound(err)
}

// SaveWorksite creates or updates one of the employer's worksites.
func (s *Store) SaveWorksite(ctx context.Context, by Editor, w Worksite) (Worksite, error) {
	if err := w.Normalize(); err != nil {
		return w, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := employerIn(ctx, tx, by.DistrictID, w.EmployerID, false); err != nil {
			return err
		}
		if w.ID == "" {
			id, err := insertWorksite(ctx, tx, w)
			w.ID = id
			if err != nil {
				return err
			}
			return by.audit(ctx, tx, "worksite", w.ID, nil, w)
		}
		before, err := worksiteOf(ctx, tx, w.EmployerID, w.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE worksites SET name = $2, remote = $3, address_line1 = NULLIF($4,''), city = NULLIF($5,''),
			state = NULLIF($6,''), postal_code = NULLIF($7,''), safety_notes = NULLIF($8,''), timezone = NULLIF($9,'') WHERE id = $1`,
			w.ID, w.Name, w.Remote, w.AddressLine1, w.City, w.State, w.PostalCode, w.SafetyNotes, w.Timezone); err != nil {
			return err
		}
		return by.audit(ctx, tx, "worksite", w.ID, before, w)
	})
	return w, err
}

const worksiteCols = `id::text, employer_id::text, name, remote, COALESCE(address_line1,''), COALESCE(city,''), COALESCE(state,''),
	COALESCE(postal_code,''), COALESCE(safety_notes,''), COALESCE(timezone,'')`

func worksiteOf(ctx context.Context, db rowQuerier, employerID, id string) (Worksite, error) {
	var w Worksite
	if !isID(id) {
		return w, ErrNotFound
	}
	err := db.QueryRow(ctx, `SELECT `+worksiteCols+` FROM worksites WHERE id = $1 AND employer_id = $2`, id, employerID).
		Scan(&w.ID, &w.EmployerID, &w.Name, &w.Remote, &w.AddressLine1, &w.City, &w.State, &w.PostalCode, &w.SafetyNotes, &w.Timezone)
	return w, notFound(err)
}

// SaveSupervisor creates or updates one of the employer's supervisors. A
// staff member named as the supervisor (in-district placements) must be
// of the district; their email is used when none is given.
func (s *Store) SaveSupervisor(ctx context.Context, by Editor, sv Supervisor) (Supervisor, error) {
	if err := sv.Normalize(); err != nil {
		return sv, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := employerIn(ctx, tx, by.DistrictID, sv.EmployerID, false); err != nil {
			return err
		}
		if err := staffContact(ctx, tx, by.DistrictID, &sv); err != nil {
			return err
		}
		if sv.ID == "" {
			id, err := insertSupervisor(ctx, tx, sv)
			sv.ID = id
			if err != nil {
				return err
			}
			return by.audit(ctx, tx, "supervisor", sv.ID, nil, sv)
		}
		before, err := supervisorOf(ctx, tx, sv.EmployerID, sv.ID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE supervisors SET name = $2, email = NULLIF($3,''), phone = NULLIF($4,''),
			timezone = NULLIF($5,''), language = $6, staff_id = NULLIF($7,'')::uuid WHERE id = $1`,
			sv.ID, sv.Name, sv.Email, sv.Phone, sv.Timezone, sv.Language, sv.StaffID); err != nil {
			return err
		}
		return by.audit(ctx, tx, "supervisor", sv.ID, before, sv)
	})
	return sv, err
}

// staffContact checks the supervisor's staff member and borrows their
// email when the supervisor has no contact of their own.
func staffContact(ctx context.Context, tx pgx.Tx, districtID string, sv *Supervisor) error {
	if sv.StaffID == "" {
		return nil
	}
	if !isID(sv.StaffID) {
		return fieldErr("staff_id", "choose a staff member of your district")
	}
	var email string
	err := tx.QueryRow(ctx, `SELECT email FROM staff WHERE id = $1 AND district_id = $2 AND active`,
		sv.StaffID, districtID).Scan(&email)
	if errors.Is(err, pgx.ErrNoRows) {
		return fieldErr("staff_id", "choose a staff member of your district")
	}
	if err == nil && sv.Email == "" && sv.Phone == "" {
		sv.Email = email
	}
	return err
}

const supervisorCols = `id::text, employer_id::text, name, COALESCE(email,''), COALESCE(phone,''), COALESCE(timezone,''), language,
	COALESCE(staff_id::text,'')`

func supervisorOf(ctx context.Context, db rowQuerier, employerID, id string) (Supervisor, error) {
	var sv Supervisor
	if !isID(id) {
		return sv, ErrNotFound
	}
	err := db.QueryRow(ctx, `SELECT `+supervisorCols+` FROM supervisors WHERE id = $1 AND employer_id = $2`, id, employerID).
		Scan(&sv.ID, &sv.EmployerID, &sv.Name, &sv.Email, &sv.Phone, &sv.Timezone, &sv.Language, &sv.StaffID)
	return sv, notFound(err)
}

// DistrictWorksite loads a worksite of one of the district's employers.
func (s *Store) DistrictWorksite(ctx context.Context, districtID, employerID, id string) (Worksite, error) {
	if _, err := s.DistrictEmployer(ctx, districtID, employerID); err != nil {
		return Worksite{}, err
	}
	return worksiteOf(ctx, s.Pool, employerID, id)
}

// DistrictSupervisor loads a supervisor of one of the district's employers.
func (s *Store) DistrictSupervisor(ctx context.Context, districtID, employerID, id string) (Supervisor, error) {
	if _, err := s.DistrictEmployer(ctx, districtID, employerID); err != nil {
		return Supervisor{}, err
	}
	return supervisorOf(ctx, s.Pool, employerID, id)
}
