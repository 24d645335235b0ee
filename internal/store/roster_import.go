package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Roster imports: schools, staff and students written from a district's
// SIS files, the import's advisory lock, its background jobs and its runs.
//
// The SQL of a student batch reads the staging tables a batch fills; $1 is
// always the district. Fields listed in $2 (absent from the files) keep
// the stored value.

var rosterStudentColumns = []string{"source_id", "school_id", "first_name", "last_name", "preferred_name",
	"date_of_birth", "grade", "phone", "email", "language", "timezone", "address_line1", "city", "state", "postal_code",
	"guardians_known", "student_number", "state_id", "modified_at"}

var rosterGuardianColumns = []string{"student_source_id", "position", "source_id", "name", "relationship",
	"phone", "email", "language"}

// createStaging drops the tables first: in a dry run every batch is a
// savepoint of one transaction, so ON COMMIT has not dropped them yet.
const createStaging = `
DROP TABLE IF EXISTS pg_temp.roster_students, pg_temp.roster_guardians;
CREATE TEMP TABLE roster_students (
    source_id text NOT NULL, school_id uuid NOT NULL, first_name text NOT NULL, last_name text NOT NULL,
    preferred_name text, date_of_birth date, grade smallint, phone text, email text, language text,
    timezone text, address_line1 text, city text, state text, postal_code text, guardians_known boolean NOT NULL,
    student_number text, state_id text, modified_at timestamptz
) ON COMMIT DROP;
CREATE TEMP TABLE roster_guardians (
    student_source_id text NOT NULL, position smallint NOT NULL, source_id text, name text NOT NULL,
    relationship text, phone text, email text, language text
) ON COMMIT DROP;`

const countReappeared = `
SELECT count(*) FROM students s JOIN roster_students r ON s.source_id = r.source_id
WHERE s.district_id = $1 AND s.missing_from_roster_at IS NOT NULL`

// upsertStudents inserts new students and updates changed ones. Rows
// equal to what is stored are filtered out before the INSERT, so an
// unchanged student is neither locked nor rewritten (its updated_at
// stays); RETURNING lists exactly the rows created (true) or updated
// (false).
const upsertStudents = `
WITH merged AS (
    SELECT r.source_id, r.school_id, r.first_name, r.last_name, e.id AS existing,
        CASE WHEN 'preferred_name' = ANY($2) THEN e.preferred_name ELSE r.preferred_name END AS preferred_name,
        CASE WHEN 'date_of_birth' = ANY($2) THEN e.date_of_birth ELSE r.date_of_birth END AS date_of_birth,
        CASE WHEN 'grade' = ANY($2) THEN e.grade ELSE r.grade END AS grade,
        CASE WHEN 'phone' = ANY($2) THEN e.phone ELSE r.phone END AS phone,
        CASE WHEN 'email' = ANY($2) THEN e.email ELSE r.email END AS email,
        COALESCE(CASE WHEN 'language' = ANY($2) THEN e.language ELSE r.language END, 'en') AS language,
        CASE WHEN 'timezone' = ANY($2) THEN e.timezone ELSE r.timezone END AS timezone,
        CASE WHEN 'address_line1' = ANY($2) THEN e.address_line1 ELSE r.address_line1 END AS address_line1,
        CASE WHEN 'city' = ANY($2) THEN e.city ELSE r.city END AS city,
        CASE WHEN 'state' = ANY($2) THEN e.state ELSE r.state END AS state,
        CASE WHEN 'postal_code' = ANY($2) THEN e.postal_code ELSE r.postal_code END AS postal_code,
        CASE WHEN 'student_number' = ANY($2) THEN e.student_number ELSE r.student_number END AS student_number,
        CASE WHEN 'state_id' = ANY($2) THEN e.state_id ELSE r.state_id END AS state_id,
        r.modified_at
    FROM roster_students r
    LEFT JOIN students e ON e.district_id = $1 AND e.source_id = r.source_id
), changed AS (
    SELECT m.* FROM merged m LEFT JOIN students e ON e.id = m.existing
    WHERE e.id IS NULL OR e.missing_from_roster_at IS NOT NULL
       OR (e.school_id, e.first_name, e.last_name, e.preferred_name, e.date_of_birth, e.grade, e.phone, e.email,
           e.language, e.timezone, e.address_line1, e.city, e.state, e.postal_code, e.student_number, e.state_id)
          IS DISTINCT FROM
          (m.school_id, m.first_name, m.last_name, m.preferred_name, m.date_of_birth, m.grade, m.phone, m.email,
           m.language, m.timezone, m.address_line1, m.city, m.state, m.postal_code, m.student_number, m.state_id)
)
INSERT INTO students AS s (district_id, school_id, source_id, first_name, last_name, preferred_name, date_of_birth,
    grade, phone, email, language, timezone, address_line1, city, state, postal_code, student_number, state_id,
    roster_modified_at)
SELECT $1, school_id, source_id, first_name, last_name, preferred_name, date_of_birth,
    grade, phone, email, language, timezone, address_line1, city, state, postal_code, student_number, state_id,
    modified_at
FROM changed
ON CONFLICT (district_id, source_id) DO UPDATE SET
    school_id = EXCLUDED.school_id, first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
    preferred_name = EXCLUDED.preferred_name, date_of_birth = EXCLUDED.date_of_birth, grade = EXCLUDED.grade,
    phone = EXCLUDED.phone, email = EXCLUDED.email, language = EXCLUDED.language, timezone = EXCLUDED.timezone,
    address_line1 = EXCLUDED.address_line1, city = EXCLUDED.city, state = EXCLUDED.state,
    postal_code = EXCLUDED.postal_code, student_number = EXCLUDED.student_number, state_id = EXCLUDED.state_id,
    roster_modified_at = GREATEST(s.roster_modified_at, EXCLUDED.roster_modified_at),
    missing_from_roster_at = NULL, updated_at = now()
RETURNING xmax = 0`

// dropStale takes out of the batch the rows older than what is stored
// (dateLastModified before the stored one), guardians included, so an old
// export imported late never overwrites newer data; it returns how many.
const dropStale = `
WITH stale AS (
    DELETE FROM roster_students r USING students e
    WHERE e.district_id = $1 AND e.source_id = r.source_id AND r.modified_at < e.roster_modified_at
    RETURNING r.source_id
), guardians AS (
    DELETE FROM roster_guardians g USING stale WHERE g.student_source_id = stale.source_id
)
SELECT count(*) FROM stale`

// markModified records a newer dateLastModified on students whose data did
// not change, so a file dated between the two is still seen as older.
const markModified = `
UPDATE students e SET roster_modified_at = r.modified_at FROM roster_students r
WHERE e.district_id = $1 AND e.source_id = r.source_id AND r.modified_at > COALESCE(e.roster_modified_at, '-infinity')`

// upsertGuardians matches guardians by (student, position); like students,
// unchanged guardians are filtered out before the INSERT.
const upsertGuardians = `
WITH merged AS (
    SELECT s.id AS student_id, r.position, r.name, r.source_id, e.student_id AS existing,
        CASE WHEN 'relationship' = ANY($2) THEN e.relationship ELSE r.relationship END AS relationship,
        CASE WHEN 'phone' = ANY($2) THEN e.phone ELSE r.phone END AS phone,
        CASE WHEN 'email' = ANY($2) THEN e.email ELSE r.email END AS email,
        COALESCE(CASE WHEN 'language' = ANY($2) THEN e.language ELSE r.language END, 'en') AS language
    FROM roster_guardians r
    JOIN students s ON s.district_id = $1 AND s.source_id = r.student_source_id
    LEFT JOIN guardians e ON e.student_id = s.id AND e.position = r.position
), changed AS (
    SELECT m.* FROM merged m LEFT JOIN guardians e ON e.student_id = m.existing AND e.position = m.position
    WHERE e.student_id IS NULL
       OR (e.name, e.relationship, e.phone, e.email, e.language, e.source_id)
          IS DISTINCT FROM (m.name, m.relationship, m.phone, m.email, m.language, m.source_id)
)
INSERT INTO guardians AS g (student_id, position, name, relationship, phone, email, language, source_id)
SELECT student_id, position, name, relationship, phone, email, language, source_id FROM changed
ON CONFLICT (student_id, position) DO UPDATE SET
    name = EXCLUDED.name, relationship = EXCLUDED.relationship, phone = EXCLUDED.phone,
    email = EXCLUDED.email, language = EXCLUDED.language, source_id = EXCLUDED.source_id
RETURNING xmax = 0`

// deleteUnlistedGuardians removes a batch student's guardians the roster
// no longer lists: after a custody change the school's record is the
// authority on who may be contacted about a minor.
const deleteUnlistedGuardians = `
DELETE FROM guardians g USING students s, roster_students r
WHERE s.district_id = $1 AND s.source_id = r.source_id AND g.student_id = s.id AND r.guardians_known
  AND NOT EXISTS (SELECT 1 FROM roster_guardians rg WHERE rg.student_source_id = r.source_id AND rg.position = g.position)`

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

const (
	qDistrictExists    = `SELECT EXISTS (SELECT 1 FROM districts WHERE id = $1)`
	qTryImportLock     = `SELECT pg_try_advisory_lock($1, hashtext($2))`
	qReleaseImportLock = `SELECT pg_advisory_unlock($1, hashtext($2))`
	analyzeStaging     = `ANALYZE roster_students; ANALYZE roster_guardians`

	upsertSchool = `
			INSERT INTO schools AS s (district_id, name, source_id, timezone) VALUES ($1, $2, $3, NULLIF($4, ''))
			ON CONFLICT (district_id, source_id) DO UPDATE SET name = EXCLUDED.name,
				timezone = COALESCE(EXCLUDED.timezone, s.timezone)
			WHERE s.name <> EXCLUDED.name OR s.timezone IS DISTINCT FROM COALESCE(EXCLUDED.timezone, s.timezone)
			RETURNING xmax = 0`
	qDistrictSchoolIDs  = `SELECT id::text, COALESCE(source_id, '') FROM schools WHERE district_id = $1`
	flagMissingStudents = `
		UPDATE students SET missing_from_roster_at = $4, updated_at = now()
		WHERE district_id = $1 AND source_id IS NOT NULL AND missing_from_roster_at IS NULL
		  AND NOT (source_id = ANY($2))
		  AND ($3 OR source_id = ANY($5))`
	grantStaffRole = `INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`

	insertImportJob   = `INSERT INTO import_jobs (district_id, actor_ref) VALUES ($1, $2) RETURNING id::text`
	progressImportJob = `UPDATE import_jobs SET done = $2, total = $3, heartbeat_at = now() WHERE id = $1`
	beatImportJob     = `UPDATE import_jobs SET heartbeat_at = now() WHERE id = $1`
	finishImportJob   = `UPDATE import_jobs SET finished_at = now(), heartbeat_at = now(),
		report = $2, error = $3, done = total WHERE id = $1`
	qImportJob = `SELECT id::text, started_at, heartbeat_at, done, total, finished_at, report, error
		FROM import_jobs WHERE id = $1 AND district_id = $2`

	qNewRunID       = `SELECT gen_random_uuid()`
	insertImportRun = `
			INSERT INTO import_runs (id, district_id, actor_kind, actor_ref, format, dry_run, started_at, finished_at, report)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`
	auditImportRun = `
		INSERT INTO audit_log (district_id, actor_kind, actor_ref, action, entity_kind, entity_id, after)
		VALUES ($1, $2, $3, 'roster.import', 'import_run', $4, $5)`
	qRecentImportRuns = `
		SELECT id::text, actor_kind, actor_ref, started_at, report FROM import_runs
		WHERE district_id = $1 ORDER BY started_at DESC LIMIT $2`
)

// importLock is the advisory lock class for roster imports.
const importLock = 7240150

// Beginner is the pool or a transaction a roster write begins its own
// transaction on: a dry run nests batches inside one transaction as
// savepoints.
type Beginner interface {
	DB
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Importing is what roster imports write on: the pool.
func (s *Store) Importing() Beginner { return s.Pool }

// InRolledBackTx runs fn in a transaction that is always rolled back: a
// dry run's report is exactly what the import would do, and nothing stays.
func (s *Store) InRolledBackTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // rolling back is the point
	return fn(tx)
}

// DistrictExists reports whether the district is there.
func (s *Store) DistrictExists(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := s.Pool.QueryRow(ctx, qDistrictExists, id).Scan(&ok)
	return ok, err
}

// WithImportLock runs fn holding the district's import lock, a session
// advisory lock on a connection kept for the purpose (batches commit
// separately). ran is false, and fn not run, when another import holds it.
func (s *Store) WithImportLock(ctx context.Context, districtID string, fn func() error) (ran bool, err error) {
	conn, err := s.Pool.Acquire(ctx)
	if err != nil {
		return false, fmt.Errorf("acquire lock connection: %w", err)
	}
	defer conn.Release()
	var got bool
	if err := conn.QueryRow(ctx, qTryImportLock, importLock, districtID).Scan(&got); err != nil {
		return false, fmt.Errorf("take import lock: %w", err)
	}
	if !got {
		return false, nil
	}
	defer conn.Exec(context.WithoutCancel(ctx), qReleaseImportLock, importLock, districtID) //nolint:errcheck // released with the session anyway
	return true, fn()
}

// UpsertRosterSchool writes one school of the district; created and
// changed say what happened (neither: it was already as written).
func UpsertRosterSchool(ctx context.Context, tx pgx.Tx, districtID, name, sourceID, timezone string) (created, changed bool, err error) {
	err = tx.QueryRow(ctx, upsertSchool, districtID, name, sourceID, timezone).Scan(&created)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, false, nil
	}
	return created, err == nil && !created, err
}

// DistrictSchoolIDs maps every school of the district by source id and by
// its own id, so a plain CSV may name a school either way.
func DistrictSchoolIDs(ctx context.Context, db DB, districtID string) (map[string]string, error) {
	rows, err := db.Query(ctx, qDistrictSchoolIDs, districtID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := map[string]string{}
	for rows.Next() {
		var id, source string
		if err := rows.Scan(&id, &source); err != nil {
			return nil, err
		}
		ids[id] = id
		if source != "" {
			ids[source] = id
		}
	}
	return ids, rows.Err()
}

// RosterStaff is a staff row of a roster.
type RosterStaff struct {
	SourceID, Name, Email, Phone string
	Active                       bool
}

// UpsertRosterStaff writes one staff member of the district and returns
// their id, whether the row was created and whether it changed.
func UpsertRosterStaff(ctx context.Context, tx pgx.Tx, districtID string, st RosterStaff) (id string, created, changed bool, err error) {
	err = tx.QueryRow(ctx, upsertStaff, districtID, st.Name, st.Email, nullText(st.Phone), st.SourceID, st.Active).
		Scan(&id, &created, &changed)
	return id, created, changed, err
}

// GrantStaffRole adds a role (school nil: all schools) unless the staff
// member has it; granted is 1 when it was added.
func GrantStaffRole(ctx context.Context, tx pgx.Tx, staffID, role string, school any) (granted int, err error) {
	tag, err := tx.Exec(ctx, grantStaffRole, staffID, role, school)
	return int(tag.RowsAffected()), err
}

// RosterStudent is a validated student row to stage, with its guardians.
type RosterStudent struct {
	SourceID, SchoolID                    string
	FirstName, LastName, PreferredName    string
	DateOfBirth                           *time.Time
	Grade                                 int // 0 when unknown
	Phone, Email, Language, Timezone      string
	AddressLine1, City, State, PostalCode string
	GuardiansKnown                        bool
	StudentNumber, StateID                string
	Modified                              *time.Time
	Guardians                             []RosterGuardian
}

// RosterGuardian is a guardian of a staged student.
type RosterGuardian struct {
	Position                                   int
	SourceID, Name, Relationship, Phone, Email string
	Language                                   string
}

// RosterBatch is a batch of students of one district, written in one
// transaction.
type RosterBatch struct {
	DistrictID string
	Students   []RosterStudent
	// Absent and AbsentGuardian list the fields the files lack: stored
	// values are kept.
	Absent, AbsentGuardian []string
	// HasGuardians: the files say who each student's guardians are, so
	// guardians they no longer list are removed.
	HasGuardians bool
}

// RosterBatchCounts is what a batch wrote: rows created and updated
// (the rest of the staged rows were unchanged or stale).
type RosterBatchCounts struct {
	StudentsCreated, StudentsUpdated   int
	GuardiansCreated, GuardiansUpdated int
	// Stale students were older than what is stored and not written.
	Stale int
	// Reappeared students had been flagged missing.
	Reappeared int
	// GuardiansStaged is how many guardian rows the batch held;
	// GuardiansRemoved how many unlisted ones it removed.
	GuardiansStaged, GuardiansRemoved int
}

// WriteRosterBatch stages the batch in temporary tables and writes it
// with set-based upserts, in the caller's transaction.
func WriteRosterBatch(ctx context.Context, tx pgx.Tx, b RosterBatch) (RosterBatchCounts, error) {
	var c RosterBatchCounts
	var err error
	if c.GuardiansStaged, err = stage(ctx, tx, b.Students); err != nil {
		return c, err
	}
	if err := tx.QueryRow(ctx, dropStale, b.DistrictID).Scan(&c.Stale); err != nil {
		return c, fmt.Errorf("keep newer records: %w", err)
	}
	if err := tx.QueryRow(ctx, countReappeared, b.DistrictID).Scan(&c.Reappeared); err != nil {
		return c, fmt.Errorf("count reappeared: %w", err)
	}
	if c.StudentsCreated, c.StudentsUpdated, err = upsertCounts(ctx, tx, upsertStudents, b.DistrictID, b.Absent); err != nil {
		return c, fmt.Errorf("upsert students: %w", err)
	}
	if _, err := tx.Exec(ctx, markModified, b.DistrictID); err != nil {
		return c, fmt.Errorf("record dateLastModified: %w", err)
	}
	if c.GuardiansCreated, c.GuardiansUpdated, err = upsertCounts(ctx, tx, upsertGuardians, b.DistrictID, b.AbsentGuardian); err != nil {
		return c, fmt.Errorf("upsert guardians: %w", err)
	}
	if b.HasGuardians {
		tag, err := tx.Exec(ctx, deleteUnlistedGuardians, b.DistrictID)
		if err != nil {
			return c, fmt.Errorf("remove unlisted guardians: %w", err)
		}
		c.GuardiansRemoved = int(tag.RowsAffected())
	}
	return c, nil
}

// stage copies the batch into temporary tables, which the set-based
// upserts read: one round trip per table instead of one per row.
func stage(ctx context.Context, tx pgx.Tx, students []RosterStudent) (guardians int, err error) {
	if _, err := tx.Exec(ctx, createStaging); err != nil {
		return 0, fmt.Errorf("create staging tables: %w", err)
	}
	srows := make([][]any, 0, len(students))
	var grows [][]any
	for _, st := range students {
		srows = append(srows, []any{st.SourceID, st.SchoolID, st.FirstName, st.LastName, nullText(st.PreferredName),
			st.DateOfBirth, nullSmallint(st.Grade), nullText(st.Phone), nullText(st.Email), nullText(st.Language), nullText(st.Timezone),
			nullText(st.AddressLine1), nullText(st.City), nullText(st.State), nullText(st.PostalCode), st.GuardiansKnown,
			nullText(st.StudentNumber), nullText(st.StateID), st.Modified})
		if !st.GuardiansKnown {
			continue
		}
		for _, g := range st.Guardians {
			grows = append(grows, []any{st.SourceID, int16(g.Position), nullText(g.SourceID), g.Name, nullText(g.Relationship),
				nullText(g.Phone), nullText(g.Email), nullText(g.Language)})
		}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"roster_students"}, rosterStudentColumns, pgx.CopyFromRows(srows)); err != nil {
		return 0, fmt.Errorf("copy students: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"roster_guardians"}, rosterGuardianColumns, pgx.CopyFromRows(grows)); err != nil {
		return 0, fmt.Errorf("copy guardians: %w", err)
	}
	// Fresh temp tables have no statistics; without them the planner
	// misjudges the joins against 50,000 students.
	_, err = tx.Exec(ctx, analyzeStaging)
	return len(grows), err
}

// upsertCounts runs an upsert that returns (xmax = 0) for each row it
// inserted or changed; rows it did not return were unchanged.
func upsertCounts(ctx context.Context, tx pgx.Tx, sql string, args ...any) (created, updated int, err error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return 0, 0, err
	}
	var isNew bool
	_, err = pgx.ForEachRow(rows, []any{&isNew}, func() error {
		if isNew {
			created++
		} else {
			updated++
		}
		return nil
	})
	return created, updated, err
}

// nullText stores "" as NULL, as the tables' CHECKs expect.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullSmallint(n int) any {
	if n == 0 {
		return nil
	}
	return int16(n)
}

// FlagMissingStudents marks the district's roster students not in seen
// (all of them when everyone is true, else only those in departed) as
// missing since now, and returns how many.
func FlagMissingStudents(ctx context.Context, db DB, districtID string, seen []string, everyone bool, now time.Time, departed []string) (int, error) {
	tag, err := db.Exec(ctx, flagMissingStudents, districtID, seen, everyone, now, departed)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}

// ImportJob is a stored background roster import.
type ImportJob struct {
	ID                   string
	StartedAt, Heartbeat time.Time
	Done, Total          int
	FinishedAt           *time.Time
	Report               []byte
	Error                *string
}

// StartImportJob records a background import and returns its id.
func (s *Store) StartImportJob(ctx context.Context, districtID, staffID string) (id string, err error) {
	err = s.Pool.QueryRow(ctx, insertImportJob, districtID, staffID).Scan(&id)
	return id, err
}

// ImportJobProgress records how many students of how many are written.
func (s *Store) ImportJobProgress(ctx context.Context, id string, done, total int) error {
	_, err := s.Pool.Exec(ctx, progressImportJob, id, done, total)
	return err
}

// ImportJobAlive records that the job's process is still working.
func (s *Store) ImportJobAlive(ctx context.Context, id string) error {
	_, err := s.Pool.Exec(ctx, beatImportJob, id)
	return err
}

// FinishImportJob records the job's report, or its error message.
func (s *Store) FinishImportJob(ctx context.Context, id string, report []byte, errMsg *string) error {
	_, err := s.Pool.Exec(ctx, finishImportJob, id, report, errMsg)
	return err
}

// ImportJob reads a job of the district (pgx.ErrNoRows when it is none).
func (s *Store) ImportJob(ctx context.Context, districtID, id string) (ImportJob, error) {
	var j ImportJob
	err := s.Pool.QueryRow(ctx, qImportJob, id, districtID).
		Scan(&j.ID, &j.StartedAt, &j.Heartbeat, &j.Done, &j.Total, &j.FinishedAt, &j.Report, &j.Error)
	return j, err
}

// ImportRun is an import's record: who ran it, when, and its report.
type ImportRun struct {
	DistrictID, ActorKind, ActorRef string
	Format                          string
	DryRun                          bool
	StartedAt, FinishedAt           time.Time
	Report                          []byte
}

// RecordImportRun stores the run under a new id, which it returns through
// report (called with the id, it gives the report to store) and, unless a
// dry run, its audit entry (after: the counts), in one transaction.
func (s *Store) RecordImportRun(ctx context.Context, run ImportRun, report func(runID string) ([]byte, error), after func() ([]byte, error)) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		var runID string
		if err := tx.QueryRow(ctx, qNewRunID).Scan(&runID); err != nil {
			return err
		}
		body, err := report(runID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertImportRun, runID, run.DistrictID, run.ActorKind, run.ActorRef, run.Format, run.DryRun,
			run.StartedAt, run.FinishedAt, body); err != nil {
			return err
		}
		if run.DryRun {
			return nil
		}
		counts, err := after()
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, auditImportRun, run.DistrictID, run.ActorKind, run.ActorRef, runID, counts)
		return err
	})
}

// StoredImportRun is a past import as the upload page lists it.
type StoredImportRun struct {
	ID, ActorKind, ActorRef string
	StartedAt               time.Time
	Report                  []byte
}

// RecentImportRuns lists a district's latest imports, newest first.
func (s *Store) RecentImportRuns(ctx context.Context, districtID string, limit int) ([]StoredImportRun, error) {
	rows, err := s.Pool.Query(ctx, qRecentImportRuns, districtID, limit)
	if err != nil {
		return nil, fmt.Errorf("list import runs: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[StoredImportRun])
}
