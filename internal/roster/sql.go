package roster

// The SQL of a student batch. Each statement reads the staging tables a
// batch fills; $1 is always the district. Fields listed in $2 (absent from
// the files) keep the stored value.

var stagedStudentColumns = []string{"source_id", "school_id", "first_name", "last_name", "preferred_name",
	"date_of_birth", "grade", "phone", "email", "language", "timezone", "address_line1", "city", "state", "postal_code",
	"guardians_known", "student_number", "state_id", "modified_at"}

var stagedGuardianColumns = []string{"student_source_id", "position", "source_id", "name", "relationship",
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
