package store

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Staff administration: a district's first admin, its schools, inviting
// staff and granting roles. Every change writes its audit entry in the
// same transaction; bad input is a *FieldError naming the form field.

// ErrDistrictExists refuses a second district of the same name: running
// `district create` twice must not make two tenants.
var ErrDistrictExists = errors.New("a district with this name already exists")

// ErrLastAdmin refuses to revoke the district's last admin: nobody could
// grant roles after that.
var ErrLastAdmin = errors.New("this is the district's last admin: name another admin first")

// Roles staff can hold, and where (one list for the staff page and the store).
var (
	// SchoolRoles are granted for one school.
	SchoolRoles = []string{"coordinator", "permit_issuer", "mou_approver"}
	// DistrictRoles are granted district-wide only.
	DistrictRoles = []string{"district_ops", "district_admin"}
)

// roleNeedsSchool: a coordinator always serves one school.
func roleNeedsSchool(role string) bool { return role == "coordinator" }

func validUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil
}

// Admin is who runs a change: the audit log's actor.
type Admin struct {
	// StaffID is empty for the command line (actor "system").
	StaffID string
	IP      string
}

func (a Admin) entry(district, action, kind, id string) AuditEntry {
	e := AuditEntry{DistrictID: district, ActorKind: "staff", ActorRef: a.StaffID, Action: action,
		EntityKind: kind, EntityID: id, IP: a.IP}
	if a.StaffID == "" {
		e.ActorKind, e.ActorRef = "system", "cli"
	}
	return e
}

// NormalizeEmail checks a staff email and returns it lower-case.
func NormalizeEmail(field, raw string) (string, error) {
	addr, err := mail.ParseAddress(strings.TrimSpace(raw))
	if err != nil || addr.Address != strings.TrimSpace(raw) || !strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@"):], ".") {
		return "", fieldErr(field, "Enter an email address like name@district.org.")
	}
	return strings.ToLower(addr.Address), nil
}

// nameFromEmail is a readable name when none is given ("maria.lopez" → "maria.lopez").
func nameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	return local
}

// CreateDistrictWithAdmin starts a district: the district, its first
// admin (a district-wide district_admin) and their audit entries, in one
// transaction. A district of the same name (ignoring case and spaces) is
// ErrDistrictExists, as a FieldError on "name".
func (s *Store) CreateDistrictWithAdmin(ctx context.Context, d District, admin Staff) (districtID, staffID string, err error) {
	d.Name = strings.Join(strings.Fields(d.Name), " ")
	if d.Name == "" {
		return "", "", fieldErr("name", "Give the district's name.")
	}
	if admin.Email, err = NormalizeEmail("admin_email", admin.Email); err != nil {
		return "", "", err
	}
	if admin.Name = strings.TrimSpace(admin.Name); admin.Name == "" {
		admin.Name = nameFromEmail(admin.Email)
	}
	if d.Timezone == "" {
		d.Timezone = "America/Los_Angeles"
	}
	if _, err := time.LoadLocation(d.Timezone); err != nil {
		return "", "", fieldErr("timezone", "Unknown time zone: use a name like America/Chicago.")
	}
	if d.State == "" {
		d.State = "CA"
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		// Two runs at once must not both see "no such district": the name
		// is locked for the transaction (no unique index: districts made
		// before this command may share a name).
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('district_name:' || lower($1)))`, d.Name); err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM districts WHERE lower(btrim(name)) = lower($1))`, d.Name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return &FieldError{Field: "name", Message: fmt.Sprintf("A district named %q already exists; nothing was created.", d.Name), Err: ErrDistrictExists}
		}
		if err := emailFree(ctx, tx, admin.Email, "admin_email"); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO districts (name, timezone, state) VALUES ($1, $2, $3) RETURNING id`,
			d.Name, d.Timezone, d.State).Scan(&districtID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO staff (district_id, name, email) VALUES ($1, $2, $3) RETURNING id`,
			districtID, admin.Name, admin.Email).Scan(&staffID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO staff_roles (staff_id, role) VALUES ($1, 'district_admin')`, staffID); err != nil {
			return err
		}
		cli := Admin{}
		created := cli.entry(districtID, "district_created", "district", districtID)
		created.After = mustJSON(map[string]string{"name": d.Name, "timezone": d.Timezone, "state": d.State})
		granted := cli.entry(districtID, "role_granted", "staff", staffID)
		granted.After = mustJSON(StaffRole{Role: "district_admin"})
		return writeAudit(ctx, tx, []AuditEntry{created, granted})
	})
	return districtID, staffID, err
}

// emailFree refuses an address another staff member signs in with
// (emails are unique across districts: the sign-in form finds people by it).
func emailFree(ctx context.Context, tx pgx.Tx, email, field string) error {
	var taken bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff WHERE email = $1)`, email).Scan(&taken); err != nil {
		return err
	}
	if taken {
		return fieldErr(field, "Someone already signs in to internflow with this email.")
	}
	return nil
}

// NewSchool is a school a district admin adds by hand.
type NewSchool struct {
	DistrictID string
	Name       string
	// Timezone is an IANA name, or "" for the district's.
	Timezone string
	// SourceID is the school's id in the student information system, so a
	// plain CSV roster can name it.
	SourceID string
}

// AddSchool adds a school to the district (audited). A name or SIS id the
// district already has is a FieldError.
func (s *Store) AddSchool(ctx context.Context, in NewSchool, by Admin) (string, error) {
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Timezone, in.SourceID = strings.TrimSpace(in.Timezone), strings.TrimSpace(in.SourceID)
	switch {
	case in.Name == "":
		return "", fieldErr("name", "Give the school's name.")
	case len(in.Name) > 200:
		return "", fieldErr("name", "Keep the name under 200 characters.")
	case len(in.SourceID) > 100:
		return "", fieldErr("source_id", "Keep the SIS id under 100 characters.")
	}
	if in.Timezone != "" {
		if _, err := time.LoadLocation(in.Timezone); err != nil || !strings.Contains(in.Timezone, "/") {
			return "", fieldErr("timezone", "Unknown time zone: use a name like America/Chicago, or leave it blank for the district's.")
		}
	}
	var id string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var clash string
		err := tx.QueryRow(ctx, `SELECT CASE WHEN lower(name) = lower($2) THEN 'name' ELSE 'source_id' END FROM schools
			WHERE district_id = $1 AND (lower(name) = lower($2) OR source_id = NULLIF($3, '')) LIMIT 1`,
			in.DistrictID, in.Name, in.SourceID).Scan(&clash)
		switch {
		case err == nil && clash == "name":
			return fieldErr("name", "The district already has a school with this name.")
		case err == nil:
			return fieldErr("source_id", "Another school of the district has this SIS id.")
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO schools (district_id, name, timezone, source_id) VALUES ($1, $2, NULLIF($3, ''), NULLIF($4, ''))
			RETURNING id`, in.DistrictID, in.Name, in.Timezone, in.SourceID).Scan(&id); err != nil {
			return err
		}
		e := by.entry(in.DistrictID, "school_added", "school", id)
		e.SchoolID = id
		e.After = mustJSON(map[string]string{"name": in.Name, "timezone": in.Timezone, "source_id": in.SourceID})
		return writeAudit(ctx, tx, []AuditEntry{e})
	})
	return id, err
}

// StaffMember is one row of the district's staff page.
type StaffMember struct {
	Staff
	// FromRoster: the roster import created them (they have an SIS id).
	FromRoster bool
}

// StaffWithRoles lists the district's staff, roster teachers included,
// with their roles, by name.
func (s *Store) StaffWithRoles(ctx context.Context, districtID string) ([]StaffMember, error) {
	rows, err := s.Pool.Query(ctx, `SELECT st.id::text, st.name, st.email, st.active, st.source_id IS NOT NULL,
			COALESCE(array_agg(r.role || ':' || COALESCE(r.school_id::text, '')) FILTER (WHERE r.id IS NOT NULL), '{}')
		FROM staff st LEFT JOIN staff_roles r ON r.staff_id = st.id
		WHERE st.district_id = $1 GROUP BY st.id ORDER BY lower(st.name), st.email`, districtID)
	if err != nil {
		return nil, fmt.Errorf("district staff: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StaffMember, error) {
		m := StaffMember{Staff: Staff{DistrictID: districtID}}
		var roles []string
		if err := r.Scan(&m.ID, &m.Name, &m.Email, &m.Active, &m.FromRoster, &roles); err != nil {
			return m, err
		}
		slices.Sort(roles)
		for _, x := range roles {
			role, school, _ := strings.Cut(x, ":")
			m.Roles = append(m.Roles, StaffRole{Role: role, SchoolID: school})
		}
		return m, nil
	})
}

// RoleChange grants or revokes one role of one staff member.
type RoleChange struct {
	DistrictID string
	StaffID    string
	Role       string
	// SchoolID is "" for a district-wide grant.
	SchoolID string
}

func (c RoleChange) check() error {
	switch {
	case slices.Contains(DistrictRoles, c.Role):
		if c.SchoolID != "" {
			return fieldErr("school_id", "This role is district-wide: choose \"Whole district\".")
		}
	case slices.Contains(SchoolRoles, c.Role):
		if c.SchoolID == "" && roleNeedsSchool(c.Role) {
			return fieldErr("school_id", "Choose the school this coordinator serves.")
		}
	default:
		return fieldErr("role", "Choose a role.")
	}
	return nil
}

// lockRoles serialises role changes of one district, so two admins
// revoking each other cannot both pass the last-admin check.
func lockRoles(ctx context.Context, tx pgx.Tx, districtID string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('staff_roles:' || $1))`, districtID)
	return err
}

// inDistrict checks the staff member (and school) belong to the district:
// an admin's form can name only their own district's people and schools.
func inDistrict(ctx context.Context, tx pgx.Tx, c RoleChange) error {
	var ok bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM staff WHERE id = $1 AND district_id = $2)`,
		c.StaffID, c.DistrictID).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return ErrNotFound
	}
	if c.SchoolID == "" {
		return nil
	}
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schools WHERE id = $1 AND district_id = $2)`,
		c.SchoolID, c.DistrictID).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return fieldErr("school_id", "Choose one of the district's schools.")
	}
	return nil
}

// GrantRoleTx grants a role inside the caller's transaction (an invitation
// and its first role commit together). changed is false when the person
// already held it (nothing is written then).
func GrantRoleTx(ctx context.Context, tx pgx.Tx, c RoleChange, by Admin) (changed bool, err error) {
	if err := c.check(); err != nil {
		return false, err
	}
	if !validUUID(c.StaffID) || (c.SchoolID != "" && !validUUID(c.SchoolID)) {
		return false, fieldErr("school_id", "Choose one of the district's schools.")
	}
	if err := lockRoles(ctx, tx, c.DistrictID); err != nil {
		return false, err
	}
	if err := inDistrict(ctx, tx, c); err != nil {
		return false, err
	}
	tag, err := tx.Exec(ctx, `INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1, $2, NULLIF($3, '')::uuid) ON CONFLICT DO NOTHING`,
		c.StaffID, c.Role, c.SchoolID)
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	e := by.entry(c.DistrictID, "role_granted", "staff", c.StaffID)
	e.SchoolID, e.After = c.SchoolID, mustJSON(StaffRole{Role: c.Role, SchoolID: c.SchoolID})
	return true, writeAudit(ctx, tx, []AuditEntry{e})
}

// GrantRole grants a role (audited); see GrantRoleTx.
func (s *Store) GrantRole(ctx context.Context, c RoleChange, by Admin) (changed bool, err error) {
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		changed, err = GrantRoleTx(ctx, tx, c, by)
		return err
	})
	return changed, err
}

// RevokeRole takes a role away (audited). Revoking the district's last
// active admin is ErrLastAdmin; a role the person did not hold changes
// nothing.
func (s *Store) RevokeRole(ctx context.Context, c RoleChange, by Admin) (changed bool, err error) {
	if !slices.Contains(append(slices.Clone(SchoolRoles), DistrictRoles...), c.Role) || !validUUID(c.StaffID) ||
		(c.SchoolID != "" && !validUUID(c.SchoolID)) {
		return false, ErrNotFound
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := lockRoles(ctx, tx, c.DistrictID); err != nil {
			return err
		}
		if err := inDistrict(ctx, tx, c); err != nil {
			return err
		}
		if c.Role == "district_admin" {
			var others int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM staff_roles r JOIN staff st ON st.id = r.staff_id
				WHERE st.district_id = $1 AND st.active AND r.role = 'district_admin' AND r.school_id IS NULL AND st.id <> $2`,
				c.DistrictID, c.StaffID).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return ErrLastAdmin
			}
		}
		tag, err := tx.Exec(ctx, `DELETE FROM staff_roles WHERE staff_id = $1 AND role = $2 AND school_id IS NOT DISTINCT FROM NULLIF($3, '')::uuid`,
			c.StaffID, c.Role, c.SchoolID)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		changed = true
		e := by.entry(c.DistrictID, "role_revoked", "staff", c.StaffID)
		e.SchoolID, e.Before = c.SchoolID, mustJSON(StaffRole{Role: c.Role, SchoolID: c.SchoolID})
		return writeAudit(ctx, tx, []AuditEntry{e})
	})
	return changed, err
}

// Invitee is who an admin invites: an address, and a name when the
// district does not know them yet.
type Invitee struct {
	DistrictID string
	Email      string
	Name       string
}

// InviteStaffTx finds the district's staff member with this email (a
// roster teacher, say) or adds them, and audits the invitation, inside
// the caller's transaction (which also queues the email). An address used
// in another district, or by someone the roster marks inactive, is a
// FieldError on "email".
func InviteStaffTx(ctx context.Context, tx pgx.Tx, in Invitee, by Admin) (staffID string, created bool, err error) {
	email, err := NormalizeEmail("email", in.Email)
	if err != nil {
		return "", false, err
	}
	var district string
	var active bool
	err = tx.QueryRow(ctx, `SELECT id::text, district_id::text, active FROM staff WHERE email = $1`, email).Scan(&staffID, &district, &active)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		name := strings.Join(strings.Fields(in.Name), " ")
		if name == "" {
			return "", false, fieldErr("name", "Give the person's name: this email is new to the district.")
		}
		if len(name) > 200 {
			return "", false, fieldErr("name", "Keep the name under 200 characters.")
		}
		if err := tx.QueryRow(ctx, `INSERT INTO staff (district_id, name, email) VALUES ($1, $2, $3) RETURNING id`,
			in.DistrictID, name, email).Scan(&staffID); err != nil {
			return "", false, err
		}
		created = true
	case err != nil:
		return "", false, err
	case district != in.DistrictID:
		return "", false, fieldErr("email", "This email signs in for another district.")
	case !active:
		return "", false, fieldErr("email", "The roster marks this person inactive; they cannot sign in.")
	}
	e := by.entry(in.DistrictID, "staff_invited", "staff", staffID)
	if created {
		e.Reason = "new"
	} else {
		e.Reason = "existing"
	}
	return staffID, created, writeAudit(ctx, tx, []AuditEntry{e})
}

// SchoolsWithoutRole lists the district's schools where no active staff
// member holds role for that school (a district-wide grant of a school
// role does not count: messages to a school's coordinator reach only
// that school's).
func (s *Store) SchoolsWithoutRole(ctx context.Context, districtID, role string) ([]SchoolName, error) {
	rows, err := s.Pool.Query(ctx, `SELECT sc.id::text, sc.name, COALESCE(sc.timezone, '') FROM schools sc
		WHERE sc.district_id = $1 AND NOT EXISTS (SELECT 1 FROM staff_roles r JOIN staff st ON st.id = r.staff_id
			WHERE r.school_id = sc.id AND r.role = $2 AND st.active)
		ORDER BY sc.name, sc.id`, districtID, role)
	if err != nil {
		return nil, fmt.Errorf("schools without %s: %w", role, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[SchoolName])
}
