package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// District is a school district: the tenant.
type District struct {
	ID         string
	Name       string
	Timezone   string
	QuietStart int
	QuietEnd   int
	// State is the US state whose hour rules for minors (with the federal
	// ones) its programs follow: "CA".
	State string
}

// CreateDistrict inserts a district and returns its id.
func (s *Store) CreateDistrict(ctx context.Context, d District) (string, error) {
	if d.Timezone == "" {
		d.Timezone = "America/Los_Angeles"
	}
	if d.State == "" {
		d.State = "CA"
	}
	var id string
	err := s.Pool.QueryRow(ctx, `INSERT INTO districts (name, timezone, state) VALUES ($1, $2, $3) RETURNING id`,
		d.Name, d.Timezone, d.State).Scan(&id)
	return id, err
}

// GetDistrict loads one district.
func (s *Store) GetDistrict(ctx context.Context, id string) (District, error) {
	d := District{ID: id}
	err := s.Pool.QueryRow(ctx, `SELECT name, timezone, quiet_start, quiet_end, state FROM districts WHERE id = $1`, id).
		Scan(&d.Name, &d.Timezone, &d.QuietStart, &d.QuietEnd, &d.State)
	return d, notFound(err)
}

// School belongs to one district.
type School struct {
	ID         string
	DistrictID string
	Name       string
	SourceID   string
}

// CreateSchool inserts a school and returns its id.
func (s *Store) CreateSchool(ctx context.Context, sc School) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, `INSERT INTO schools (district_id, name, source_id) VALUES ($1, $2, NULLIF($3, '')) RETURNING id`,
		sc.DistrictID, sc.Name, sc.SourceID).Scan(&id)
	return id, err
}

// Student is the person a journey is about. Contact fields are normalised
// before they reach the store (E.164 phones, lower-case emails).
type Student struct {
	ID            string
	DistrictID    string
	SchoolID      string
	SourceID      string
	FirstName     string
	LastName      string
	PreferredName string
	DateOfBirth   *time.Time
	Grade         int
	Phone         string
	Email         string
	Language      string
	Timezone      string
	AddressLine1  string
	City          string
	State         string
	PostalCode    string
}

// DisplayName is how messages and pages greet the student.
func (st Student) DisplayName() string {
	if st.PreferredName != "" {
		return st.PreferredName
	}
	return st.FirstName
}

// CreateStudent inserts a student and returns its id (a second student
// with the same source id is refused: use UpsertStudent to match by it).
func (s *Store) CreateStudent(ctx context.Context, st Student) (string, error) {
	return s.insertStudent(ctx, st, "")
}

// insertStudent is the one INSERT for students; onConflict turns it into
// an upsert by source id.
func (s *Store) insertStudent(ctx context.Context, st Student, onConflict string) (string, error) {
	if st.Language == "" {
		st.Language = "en"
	}
	var id string
	err := s.Pool.QueryRow(ctx, `
		INSERT INTO students (district_id, school_id, source_id, first_name, last_name, preferred_name, date_of_birth,
			grade, phone, email, language, timezone, address_line1, city, state, postal_code)
		VALUES ($1, $2, NULLIF($3,''), $4, $5, NULLIF($6,''), $7, NULLIF($8, 0), NULLIF($9,''), NULLIF($10,''), $11,
			NULLIF($12,''), NULLIF($13,''), NULLIF($14,''), NULLIF($15,''), NULLIF($16,''))
		`+onConflict+` RETURNING id`,
		st.DistrictID, st.SchoolID, st.SourceID, st.FirstName, st.LastName, st.PreferredName, st.DateOfBirth,
		st.Grade, st.Phone, st.Email, st.Language, st.Timezone, st.AddressLine1, st.City, st.State, st.PostalCode).Scan(&id)
	return id, err
}

// GetStudent loads one student.
func (s *Store) GetStudent(ctx context.Context, id string) (Student, error) {
	st, err := scanStudent(s.Pool.QueryRow(ctx, studentSelect+` WHERE id = $1`, id))
	return st, notFound(err)
}

// StudentsByID loads the students of a district among ids (others are
// left out), for work on many students at once.
func (s *Store) StudentsByID(ctx context.Context, districtID string, ids []string) ([]Student, error) {
	rows, err := s.Pool.Query(ctx, studentSelect+` WHERE id = ANY($1::uuid[]) AND district_id = $2`, ids, districtID)
	if err != nil {
		return nil, fmt.Errorf("students by id: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Student, error) { return scanStudent(r) })
}

const studentSelect = `SELECT id, district_id, school_id, COALESCE(source_id,''), first_name, last_name, COALESCE(preferred_name,''),
	date_of_birth, grade, COALESCE(phone,''), COALESCE(email,''), language, COALESCE(timezone,''),
	COALESCE(address_line1,''), COALESCE(city,''), COALESCE(state,''), COALESCE(postal_code,'') FROM students`

func scanStudent(row pgx.Row) (Student, error) {
	var st Student
	var grade *int16
	err := row.Scan(&st.ID, &st.DistrictID, &st.SchoolID, &st.SourceID, &st.FirstName, &st.LastName, &st.PreferredName,
		&st.DateOfBirth, &grade, &st.Phone, &st.Email, &st.Language, &st.Timezone,
		&st.AddressLine1, &st.City, &st.State, &st.PostalCode)
	if grade != nil {
		st.Grade = int(*grade)
	}
	return st, err
}

// Program is a kind of work-based learning experience a district runs.
type Program struct {
	ID          string
	DistrictID  string
	Name        string
	Kind        string
	ProgramYear int
	Version     int
	Definition  []byte // JSON; the journey package owns its shape
	// State is the program's district's state (its hour rules for minors).
	State string
}

// CreateProgram inserts a program and returns its id.
func (s *Store) CreateProgram(ctx context.Context, p Program) (string, error) {
	if len(p.Definition) == 0 {
		p.Definition = []byte(`{}`)
	}
	var id string
	err := s.Pool.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year, definition) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
		p.DistrictID, p.Name, p.Kind, p.ProgramYear, p.Definition).Scan(&id)
	return id, err
}

// GetProgram loads one program with its current definition.
func (s *Store) GetProgram(ctx context.Context, id string) (Program, error) {
	p := Program{ID: id}
	err := s.Pool.QueryRow(ctx, `SELECT p.district_id, p.name, p.kind, p.program_year, p.version, p.definition, d.state
		FROM programs p JOIN districts d ON d.id = p.district_id WHERE p.id = $1`, id).
		Scan(&p.DistrictID, &p.Name, &p.Kind, &p.ProgramYear, &p.Version, &p.Definition, &p.State)
	return p, notFound(err)
}

// EnsureSchool returns the school with sc's source id in its district,
// creating it if missing.
func (s *Store) EnsureSchool(ctx context.Context, sc School) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, `
		INSERT INTO schools (district_id, name, source_id) VALUES ($1, $2, $3)
		ON CONFLICT (district_id, source_id) DO UPDATE SET name = EXCLUDED.name
		RETURNING id`, sc.DistrictID, sc.Name, sc.SourceID).Scan(&id)
	return id, err
}

// UpsertStudent inserts or updates a student matched by source id in the
// district and returns its id.
func (s *Store) UpsertStudent(ctx context.Context, st Student) (string, error) {
	return s.insertStudent(ctx, st, `ON CONFLICT (district_id, source_id) DO UPDATE SET school_id = EXCLUDED.school_id,
		first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, preferred_name = EXCLUDED.preferred_name,
		date_of_birth = EXCLUDED.date_of_birth, grade = EXCLUDED.grade, phone = EXCLUDED.phone, email = EXCLUDED.email,
		language = EXCLUDED.language, timezone = EXCLUDED.timezone, address_line1 = EXCLUDED.address_line1,
		city = EXCLUDED.city, state = EXCLUDED.state, postal_code = EXCLUDED.postal_code,
		missing_from_roster_at = NULL, updated_at = now()`)
}

// UpdateProgramDefinition stores a new definition as the next version.
// Running journeys keep theirs until migrated.
func (s *Store) UpdateProgramDefinition(ctx context.Context, id string, definition []byte) (int, error) {
	var v int
	err := s.Pool.QueryRow(ctx, `UPDATE programs SET definition = $2, version = version + 1, updated_at = now()
		WHERE id = $1 RETURNING version`, id, definition).Scan(&v)
	return v, notFound(err)
}

// JourneysBehind lists open journeys of a program on an older version.
func (s *Store) JourneysBehind(ctx context.Context, programID string, version int) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id FROM journeys WHERE program_id = $1 AND status = 'open' AND program_version < $2 ORDER BY id`, programID, version)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
