package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Student records (FERPA record requests): how every table relates to a
// student, and the statements the export and the purge of a student's
// record run.

// RecordTable says how one database table relates to a student: either how the
// export selects the student's rows and how the purge removes them, or why
// the table holds no student's data. RecordTables is the one list of them; the
// schema test fails when a table in the database is missing from it, so a
// new table is either covered here or declared free of student data.
type RecordTable struct {
	Name string
	// About is how a row belongs to the student, for the reader of an
	// export's manifest and of this list.
	About string
	// Export selects the student's rows, one jsonb value per row ($1 is the
	// student id).
	Export string
	// Purge deletes the student's rows ($1 is the student id). Empty when a
	// foreign key cascades from the table named in CascadeFrom, which the
	// purge deletes.
	Purge       string
	CascadeFrom string
	// NotStudentData says why the table holds nothing about a student; such
	// a table is neither exported nor purged.
	NotStudentData string
}

// Student-scoped sets the queries below share ($1 is the student id).
const (
	// The student's journeys.
	journeysOf = `(SELECT id FROM journeys WHERE student_id = $1::uuid)`
	// How the student and their guardians are named as people on
	// messages, links, consents and audit entries: guardians as
	// "student:<id>" (one journey, up to two guardians).
	peopleOf = `($1::text, 'student:' || $1::text)`
	// The phones and emails of the student and their guardians.
	contactsOf = `(SELECT phone FROM students WHERE id = $1::uuid AND phone IS NOT NULL
		UNION SELECT email FROM students WHERE id = $1::uuid AND email IS NOT NULL
		UNION SELECT phone FROM guardians WHERE student_id = $1::uuid AND phone IS NOT NULL
		UNION SELECT email FROM guardians WHERE student_id = $1::uuid AND email IS NOT NULL)`
	// Messages to or about the student: their journeys' and any sent to
	// them or their guardians outside a journey.
	messagesOf = `(SELECT id FROM messages WHERE journey_id IN ` + journeysOf + `
		OR (recipient_kind IN ('student', 'guardian') AND recipient_ref IN ` + peopleOf + `))`
	// Action links the student's journeys minted or that name them.
	linksOf = `(SELECT id FROM action_links WHERE journey_id IN ` + journeysOf + ` OR person_ref IN ` + peopleOf + `)`
	// Every id an audit entry may name for the student's records.
	auditRefsOf = `(SELECT $1::text UNION ALL SELECT 'student:' || $1::text
		UNION ALL SELECT id::text FROM journeys WHERE student_id = $1::uuid
		UNION ALL SELECT workflow_id FROM journeys WHERE student_id = $1::uuid
		UNION ALL SELECT id::text FROM guardians WHERE student_id = $1::uuid
		UNION ALL SELECT id::text FROM documents WHERE journey_id IN ` + journeysOf + `
		UNION ALL SELECT id::text FROM applications WHERE journey_id IN ` + journeysOf + `
		UNION ALL SELECT id::text FROM placements WHERE journey_id IN ` + journeysOf + `
		UNION ALL SELECT id::text FROM work_permits WHERE journey_id IN ` + journeysOf + `
		UNION ALL SELECT id::text FROM timesheets WHERE journey_id IN ` + journeysOf + `
		UNION ALL SELECT id::text FROM ` + linksOf + ` l)`
	auditOf = `entity_id IN ` + auditRefsOf + ` OR actor_ref IN ` + peopleOf
	// Provider events of the student's messages: matched to the message,
	// or (an event that came before the send was recorded) by provider id.
	// An event matched to another student's row of a shared digest email
	// is theirs.
	eventsOf = `(x.message_id IN ` + messagesOf + ` OR (x.message_id IS NULL AND x.provider_id <> ''
		AND x.provider_id IN (SELECT provider_id FROM messages WHERE id IN ` + messagesOf + `)))`
)

// unsharedAddress holds when no one else on record uses the address in
// col: a guardian's phone shared with a sibling's record keeps its opt-out
// (their STOP still holds).
func unsharedAddress(col string) string {
	return strings.NewReplacer("ADDR", col).Replace(`NOT EXISTS (SELECT 1 FROM students o WHERE o.id <> $1::uuid AND ADDR IN (o.phone, o.email))
		AND NOT EXISTS (SELECT 1 FROM guardians o WHERE o.student_id <> $1::uuid AND ADDR IN (o.phone, o.email))
		AND NOT EXISTS (SELECT 1 FROM staff o WHERE ADDR IN (o.phone, o.email))
		AND NOT EXISTS (SELECT 1 FROM supervisors o WHERE ADDR IN (o.phone, o.email))
		AND NOT EXISTS (SELECT 1 FROM employers o WHERE ADDR IN (o.contact_phone, o.contact_email))`)
}

// rowsOf exports every row of a table whose journey is the student's.
func rowsOf(table string) string {
	return `SELECT to_jsonb(x) FROM ` + table + ` x WHERE x.journey_id IN ` + journeysOf
}

// RecordTables lists every table in the schema; a change that adds a table adds
// it here. Purges run in this order, so a table is listed before the
// tables its rows are found through (the export runs in reverse).
var RecordTables = []RecordTable{
	{Name: "audit_log", About: "entries about the student's records (their id, journeys, guardians, documents, applications, permits, timesheets, links) or made by the student or a guardian",
		Export: `SELECT to_jsonb(x) FROM audit_log x WHERE ` + auditOf + ` ORDER BY x.at, x.id`,
		Purge:  `DELETE FROM audit_log WHERE ` + auditOf},
	{Name: "message_events", About: "provider status events (delivered, bounced) of the student's messages",
		Export: `SELECT to_jsonb(x) FROM message_events x WHERE ` + eventsOf + ` ORDER BY x.received_at`,
		Purge:  `DELETE FROM message_events x WHERE ` + eventsOf},
	{Name: "message_digests", About: "the day's digest an employer email of the student's journey led (a supervisor's address and a day)",
		Export:      `SELECT to_jsonb(x) FROM message_digests x WHERE x.lead_id IN ` + messagesOf,
		CascadeFrom: "messages"},
	{Name: "messages", About: "every text and email sent to or about the student (their journeys', and any to them or a guardian), with the text as sent",
		Export: `SELECT to_jsonb(x) FROM messages x WHERE x.id IN ` + messagesOf + ` ORDER BY x.id`,
		Purge:  `DELETE FROM messages WHERE id IN ` + messagesOf},
	{Name: "esign_consents", About: "ESIGN consents given through the student's links (IP address, browser, disclosure hash)",
		Export: `SELECT to_jsonb(x) - 'document_sha256' || jsonb_build_object('document_sha256', encode(x.document_sha256, 'hex'))
			FROM esign_consents x WHERE x.link_id IN ` + linksOf + ` OR x.person_ref IN ` + peopleOf + ` ORDER BY x.consented_at`,
		Purge: `DELETE FROM esign_consents WHERE link_id IN ` + linksOf + ` OR person_ref IN ` + peopleOf},
	{Name: "action_links", About: "links sent to the student, guardians and supervisors for the student's journeys (tokens are never stored)",
		Export: `SELECT to_jsonb(x) - 'token_hash' - 'document_sha256' || jsonb_build_object('document_sha256', encode(x.document_sha256, 'hex'))
			FROM action_links x WHERE x.id IN ` + linksOf + ` ORDER BY x.created_at`,
		Purge: `DELETE FROM action_links WHERE id IN ` + linksOf},
	{Name: "inbound_messages", About: "texts and emails received from the student or a guardian",
		Export: `SELECT to_jsonb(x) FROM inbound_messages x WHERE x.student_id = $1::uuid OR x.journey_id IN ` + journeysOf + `
			OR (x.student_id IS NULL AND x.from_address IN ` + contactsOf + `) ORDER BY x.received_at`,
		Purge: `DELETE FROM inbound_messages WHERE student_id = $1::uuid OR journey_id IN ` + journeysOf + `
			OR (student_id IS NULL AND from_address IN ` + contactsOf + `)`},
	{Name: "contact_optouts", About: "opt-outs and bounces of the student's and guardians' phones and emails (kept when someone else on record shares the address)",
		Export: `SELECT to_jsonb(x) FROM contact_optouts x WHERE x.address IN ` + contactsOf,
		Purge:  `DELETE FROM contact_optouts x WHERE x.address IN ` + contactsOf + ` AND ` + unsharedAddress("x.address")},
	{Name: "open_waits", About: "what the student's journeys and timesheet weeks wait on now",
		Export: rowsOf("open_waits"), Purge: `DELETE FROM open_waits WHERE journey_id IN ` + journeysOf},
	{Name: "journey_view", About: "the dashboards' row per journey",
		Export: `SELECT to_jsonb(x) FROM journey_view x WHERE x.student_id = $1::uuid`,
		Purge:  `DELETE FROM journey_view WHERE student_id = $1::uuid`},
	{Name: "journey_events", About: "the journeys' timelines: every input and who gave it",
		Export: rowsOf("journey_events") + ` ORDER BY x.journey_id, x.seq`, CascadeFrom: "journeys"},
	{Name: "survey_responses", About: "the interest survey", Export: rowsOf("survey_responses"), CascadeFrom: "journeys"},
	{Name: "applications", About: "applications to postings", Export: rowsOf("applications"), CascadeFrom: "journeys"},
	{Name: "placements", About: "the placement", Export: rowsOf("placements"), CascadeFrom: "journeys"},
	{Name: "found_placements", About: "internships the student reported finding themselves, as they typed them", Export: rowsOf("found_placements"), CascadeFrom: "journeys"},
	{Name: "work_permits", About: "work permit versions and decisions", Export: rowsOf("work_permits"), CascadeFrom: "journeys"},
	{Name: "permit_corrections", About: "corrections to a rejected work permit before its next version",
		Export: rowsOf("permit_corrections"), CascadeFrom: "journeys"},
	{Name: "signatures", About: "signatures on the student's documents (typed name, IP address, browser, document hash)",
		Export: `SELECT to_jsonb(x) - 'document_sha256' || jsonb_build_object('document_sha256', encode(x.document_sha256, 'hex'))
			FROM signatures x JOIN documents d ON d.id = x.document_id WHERE d.journey_id IN ` + journeysOf + ` ORDER BY x.signed_at`,
		CascadeFrom: "documents"},
	{Name: "documents", About: "resumes, permits, certificates and deliverables; each file's bytes are in documents/ of the archive",
		Export: `SELECT to_jsonb(x) - 'bytes' - 'sha256' || jsonb_build_object('sha256', encode(x.sha256, 'hex'))
			FROM documents x WHERE x.journey_id IN ` + journeysOf + ` ORDER BY x.created_at`,
		CascadeFrom: "journeys"},
	{Name: "training_completions", About: "trainings completed or waived", Export: rowsOf("training_completions"), CascadeFrom: "journeys"},
	{Name: "timesheet_entries", About: "each day's hours on the student's timesheets",
		Export: `SELECT to_jsonb(x) FROM timesheet_entries x JOIN timesheets t ON t.id = x.timesheet_id
			WHERE t.journey_id IN ` + journeysOf + ` ORDER BY x.work_date`,
		CascadeFrom: "timesheets"},
	{Name: "timesheets", About: "weekly timesheets and their review", Export: rowsOf("timesheets") + ` ORDER BY x.week_start`, CascadeFrom: "journeys"},
	{Name: "deliverables", About: "micro-internship deliverables", Export: rowsOf("deliverables"), CascadeFrom: "journeys"},
	{Name: "reflections", About: "the student's reflection", Export: rowsOf("reflections"), CascadeFrom: "journeys"},
	{Name: "employer_feedback", About: "the supervisor's ratings and comment", Export: rowsOf("employer_feedback"), CascadeFrom: "journeys"},
	{Name: "certificates", About: "the certificate of completion as printed (code, hours, employer, dates)",
		Export: rowsOf("certificates"), CascadeFrom: "journeys"},
	{Name: "enrolment_items", About: "the enrolment requests that named the student (which batch, and whether it opened a journey)",
		Export: `SELECT to_jsonb(x) FROM enrolment_items x WHERE x.student_id = $1::uuid`,
		Purge:  `DELETE FROM enrolment_items WHERE student_id = $1::uuid`},
	{Name: "journeys", About: "one per program year the student joined",
		Export: `SELECT to_jsonb(x) FROM journeys x WHERE x.student_id = $1::uuid ORDER BY x.created_at`,
		Purge:  `DELETE FROM journeys WHERE student_id = $1::uuid`},
	{Name: "guardians", About: "the student's parents or guardians",
		Export: `SELECT to_jsonb(x) FROM guardians x WHERE x.student_id = $1::uuid ORDER BY x.position`,
		Purge:  `DELETE FROM guardians WHERE student_id = $1::uuid`},
	{Name: "students", About: "the student",
		Export: `SELECT to_jsonb(x) FROM students x WHERE x.id = $1::uuid`,
		Purge:  `DELETE FROM students WHERE id = $1::uuid`},

	{Name: "districts", NotStudentData: "the district's name, time zone and quiet hours"},
	{Name: "schools", NotStudentData: "schools of the district"},
	{Name: "programs", NotStudentData: "program definitions (stages, ladders, hours)"},
	{Name: "program_versions", NotStudentData: "every version of a program definition"},
	{Name: "staff", NotStudentData: "district staff accounts"},
	{Name: "staff_roles", NotStudentData: "staff members' roles"},
	{Name: "staff_login_tokens", NotStudentData: "staff sign-in tokens (hashes)"},
	{Name: "staff_sessions", NotStudentData: "staff sessions (hashes)"},
	{Name: "district_sso", NotStudentData: "the district's staff sign-in provider (client secret sealed)"},
	{Name: "district_sso_domains", NotStudentData: "email domains of the district's staff sign-in provider"},
	{Name: "oidc_sign_ins", NotStudentData: "staff sign-ins under way at a provider (state hash, nonce, PKCE verifier), minutes long"},
	{Name: "employers", NotStudentData: "employers and their contact"},
	{Name: "supervisors", NotStudentData: "employers' supervisors"},
	{Name: "worksites", NotStudentData: "employers' worksites"},
	{Name: "postings", NotStudentData: "internship postings"},
	{Name: "mous", NotStudentData: "employers' MOUs with the district"},
	{Name: "trainings", NotStudentData: "the catalogue of trainings"},
	{Name: "enrolment_batches", NotStudentData: "enrolment requests: program, who asked, when (the students are in enrolment_items)"},
	{Name: "api_tokens", NotStudentData: "district API tokens (hashes), who made and revoked them"},
	{Name: "import_jobs", NotStudentData: "roster uploads running in the background: counts and reports, never names or contacts"},
	{Name: "import_runs", NotStudentData: "roster import reports: counts, line numbers and reasons, never names or contacts"},
	{Name: "journey_funnel_counts", NotStudentData: "counts per school and program, no row names a student"},
	{Name: "schema_migrations", NotStudentData: "which migrations ran"},
}

// StudentRecordTables lists the tables the export and purge cover, in
// the purge's order.
func StudentRecordTables() []RecordTable {
	var out []RecordTable
	for _, t := range RecordTables {
		if t.NotStudentData == "" {
			out = append(out, t)
		}
	}
	return out
}

const (
	qStudentDistrict      = `SELECT district_id::text FROM students WHERE id = $1`
	lockStudentJourneys   = `SELECT 1 FROM journeys WHERE student_id = $1 FOR UPDATE`
	qCountStudentJourneys = `SELECT count(*) FROM journeys WHERE student_id = $1`
	auditStudentPurge     = `INSERT INTO audit_log (district_id, actor_kind, actor_ref, action, entity_kind, entity_id, reason, after, ip)
			VALUES ($1, $2, $3, 'student_purged', 'student', $4, $5, $6, NULLIF($7, ''))`
	qSchemaVersion        = `SELECT version, name FROM schema_migrations ORDER BY version DESC LIMIT 1`
	qStudentDocumentFiles = `SELECT id::text, filename, kind, bytes, blob_key FROM documents
		WHERE journey_id IN ` + journeysOf + ` ORDER BY created_at, id`
	qStudentWorkflowIDs = `SELECT j.workflow_id, coalesce(w.week, '') FROM journeys j
		LEFT JOIN (SELECT e.journey_id, e.detail->>'week' AS week FROM journey_events e WHERE e.kind = 'week_opened'
			UNION SELECT t.journey_id, t.week_start::text FROM timesheets t) w ON w.journey_id = j.id
		WHERE j.student_id = $1 ORDER BY 1, 2`
)

// StudentDistrict is the district of a student on record (locking the
// student's row when lock is set), or ErrNotFound.
func StudentDistrict(ctx context.Context, db DB, studentID string, lock bool) (string, error) {
	if err := uuid.Validate(studentID); err != nil {
		return "", fmt.Errorf("student id %q is not an id (a UUID): %w", studentID, ErrNotFound)
	}
	sql := qStudentDistrict
	if lock {
		sql += ` FOR UPDATE`
	}
	var district string
	err := db.QueryRow(ctx, sql, studentID).Scan(&district)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("load student: %w", err)
	}
	return district, nil
}

// StudentDistrict is the district of a student on record, or ErrNotFound.
func (s *Store) StudentDistrict(ctx context.Context, studentID string) (string, error) {
	return StudentDistrict(ctx, s.Pool, studentID, false)
}

// StudentPurge is who purges a student's record and why, for the purge's
// audit entry.
type StudentPurge struct {
	StudentID           string
	ActorKind, ActorRef string
	IP, Reason          string
	// After gives the audit entry's counts, from the journeys and the rows
	// deleted by table (cascades included).
	After func(journeys int, rows map[string]int) ([]byte, error)
}

// PurgeStudentRows deletes every row RecordTables derives from the
// student and writes the purge's audit entry, in one transaction. It
// returns how many journeys went and the rows deleted by table.
func (s *Store) PurgeStudentRows(ctx context.Context, p StudentPurge) (journeys int, rows map[string]int, err error) {
	rows = map[string]int{}
	err = s.InTx(ctx, func(tx pgx.Tx) error {
		district, err := StudentDistrict(ctx, tx, p.StudentID, true)
		if err != nil {
			return err
		}
		// Lock the journeys before deleting anything: an activity still
		// writing a journey's record takes its journey row before the read
		// model's (whose Unreachable flag triggers read), so taking the
		// journeys first keeps both in one order (no deadlock).
		if _, err := tx.Exec(ctx, lockStudentJourneys, p.StudentID); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, qCountStudentJourneys, p.StudentID).Scan(&journeys); err != nil {
			return err
		}
		if err := countCascades(ctx, tx, p.StudentID, rows); err != nil {
			return err
		}
		for _, t := range StudentRecordTables() {
			if t.Purge == "" {
				continue
			}
			tag, err := tx.Exec(ctx, t.Purge, p.StudentID)
			if err != nil {
				return fmt.Errorf("purge %s: %w", t.Name, err)
			}
			rows[t.Name] = int(tag.RowsAffected())
		}
		after, err := p.After(journeys, rows)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, auditStudentPurge, district, p.ActorKind, p.ActorRef, p.StudentID, p.Reason, after, p.IP)
		return err
	})
	return journeys, rows, err
}

// countCascades counts the rows foreign keys will delete with their
// parents, for the purge's audit entry.
func countCascades(ctx context.Context, tx pgx.Tx, studentID string, into map[string]int) error {
	for _, t := range StudentRecordTables() {
		if t.Purge != "" {
			continue
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM (`+t.Export+`) x`, studentID).Scan(&n); err != nil {
			return fmt.Errorf("count %s: %w", t.Name, err)
		}
		into[t.Name] = n
	}
	return nil
}

// SchemaVersion is the newest migration applied: its number and name.
func SchemaVersion(ctx context.Context, db DB) (version int, name string, err error) {
	err = db.QueryRow(ctx, qSchemaVersion).Scan(&version, &name)
	return version, name, err
}

// StudentTableRows are the student's rows of one table, one JSON object
// each, as the table's Export selects them.
func StudentTableRows(ctx context.Context, db DB, t RecordTable, studentID string) ([]map[string]any, error) {
	rows, err := db.Query(ctx, t.Export, studentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[map[string]any])
}

// DocumentFile is a document's file: its bytes, or (nil bytes) the key it
// is kept under in the blob store.
type DocumentFile struct {
	ID, Filename, Kind string
	Bytes              []byte
	BlobKey            *string
}

// StudentDocumentFiles calls fn for each document of the student's
// journeys, oldest first.
func StudentDocumentFiles(ctx context.Context, db DB, studentID string, fn func(DocumentFile) error) error {
	rows, err := db.Query(ctx, qStudentDocumentFiles, studentID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d DocumentFile
		if err := rows.Scan(&d.ID, &d.Filename, &d.Kind, &d.Bytes, &d.BlobKey); err != nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StudentJourneyWeeks lists the student's journeys' workflow ids with each
// timesheet week a journey opened (from its timeline, so a week that never
// got a timesheet is found too): a journey with no week comes with "".
// fn is called in order of journey, then week.
func (s *Store) StudentJourneyWeeks(ctx context.Context, studentID string, fn func(journeyWorkflowID, week string)) error {
	rows, err := s.Pool.Query(ctx, qStudentWorkflowIDs, studentID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var journey, week string
		if err := rows.Scan(&journey, &week); err != nil {
			return err
		}
		fn(journey, week)
	}
	return rows.Err()
}
