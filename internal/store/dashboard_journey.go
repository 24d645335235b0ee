package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// StudentJourney is what the staff student page shows above the timeline.
type StudentJourney struct {
	View JourneyView
	// WaitingParty is who the journey waits on as staff read it: the
	// employer at the MOU gate until it signs (see waitingOnSQL).
	WaitingParty string
	WorkflowID   string
	Status       string
	ProgramName  string
	ProgramYear  int
	SchoolName   string
	// SchoolTimezone is the school's own zone ("" when it uses the district's).
	SchoolTimezone string
	FirstName      string
	LastName       string
	PreferredName  string
	Grade          int
	Language       string
	HasPhone       bool
	HasEmail       bool
	Guardians      int
	// StudentNumber and StateID are the roster's numbers for the student.
	StudentNumber string
	StateID       string
}

// ScopedJourney loads a journey only if it is in scope: out of scope and
// nonexistent are the same ErrNotFound, so ids cannot be probed.
func (s *Store) ScopedJourney(ctx context.Context, sc Scope, journeyID string) (StudentJourney, error) {
	if err := sc.check(); err != nil {
		return StudentJourney{}, err
	}
	var j StudentJourney
	targets := append(journeyViewTargets(&j.View), &j.WaitingParty, &j.WorkflowID, &j.Status, &j.ProgramName, &j.ProgramYear, &j.SchoolName, &j.SchoolTimezone,
		&j.FirstName, &j.LastName, &j.PreferredName, &j.Grade, &j.Language, &j.HasPhone, &j.HasEmail, &j.Guardians,
		&j.StudentNumber, &j.StateID)
	err := s.Pool.QueryRow(ctx, `
		SELECT `+prefixed("jv.", viewColumns)+`, `+waitingOnSQL+`, j.workflow_id, j.status, p.name, p.program_year, sc.name, COALESCE(sc.timezone, ''),
			st.first_name, st.last_name, COALESCE(st.preferred_name, ''), COALESCE(st.grade, 0)::int, st.language,
			st.phone IS NOT NULL, st.email IS NOT NULL,
			(SELECT count(*)::int FROM guardians g WHERE g.student_id = st.id),
			COALESCE(st.student_number, ''), COALESCE(st.state_id, '')
		FROM journey_view jv
		JOIN journeys j ON j.id = jv.journey_id
		JOIN programs p ON p.id = jv.program_id
		JOIN schools sc ON sc.id = jv.school_id
		JOIN students st ON st.id = jv.student_id
		WHERE jv.journey_id = $1 AND jv.district_id = $2 AND ($3::boolean OR jv.school_id = ANY($4::uuid[]))`,
		journeyID, sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs)).Scan(targets...)
	if err != nil {
		return j, notFound(err)
	}
	return j, nil
}

// prefixed qualifies viewColumns with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// TimelineItem is one line of a student's timeline: a journey event (a
// step, a staff action), a message sent to someone, or a reply received.
type TimelineItem struct {
	At time.Time
	// Source is "event", "message" or "reply".
	Source string
	// Kind is the event kind, the message template or the reply keyword.
	Kind string
	// Stage is the journey stage of an event.
	Stage string
	// Party is the event's actor kind or the message's recipient kind.
	Party    string
	ActorRef string
	// ActorName is the staff member's, supervisor's or employer's name.
	ActorName string
	Channel   string
	// Status is the message's delivery status.
	Status string
	// Detail is the event's JSON detail, a message's failure reason or a
	// reply's text.
	Detail string
}

// Timeline merges a journey's events, messages and replies, newest first,
// at most limit lines. Message bodies are not included (templates and
// statuses are enough to see what went out).
func (s *Store) Timeline(ctx context.Context, journeyID string, limit int) ([]TimelineItem, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT u.*, `+actorNameSQL+` FROM (
		(SELECT e.at, 'event', e.kind, e.stage, COALESCE(rv.kind, e.actor_kind), COALESCE(rv.ref, e.actor_ref), '', '', e.detail::text
			FROM journey_events e LEFT JOIN LATERAL (`+weekReviewerSQL+`) rv ON true
			WHERE e.journey_id = $1 ORDER BY e.seq DESC LIMIT $2)
		UNION ALL
		(SELECT created_at, 'message', template, '', recipient_kind, '', channel, status,
			COALESCE(fail_reason, '')
			FROM messages WHERE journey_id = $1 ORDER BY created_at DESC LIMIT $2)
		UNION ALL
		(SELECT received_at, 'reply', COALESCE(keyword, ''), '', '', '', channel, '', left(body, 300)
			FROM inbound_messages WHERE journey_id = $1 ORDER BY received_at DESC LIMIT $2)
		) u (at, source, kind, stage, party, actor_ref, channel, status, detail)
		ORDER BY 1 DESC LIMIT $2`, journeyID, limit)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (TimelineItem, error) {
		var t TimelineItem
		err := r.Scan(&t.At, &t.Source, &t.Kind, &t.Stage, &t.Party, &t.ActorRef, &t.Channel, &t.Status, &t.Detail, &t.ActorName)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	return items, nil
}

// weekReviewerSQL finds who approved a timesheet week when the journey
// recorded the approval as the system's: a week's result can reach the
// journey before the week's status signal that names the approver, but
// the timesheet row keeps the reviewer.
const weekReviewerSQL = `SELECT CASE WHEN EXISTS (SELECT 1 FROM staff sf WHERE sf.id::text = t.reviewer_ref) THEN 'staff'
			WHEN EXISTS (SELECT 1 FROM supervisors sp WHERE sp.id::text = t.reviewer_ref) THEN 'supervisor'
			ELSE 'employer' END AS kind, t.reviewer_ref AS ref
		FROM timesheets t
		WHERE e.kind = 'timesheet_approved' AND e.actor_kind = 'system' AND t.journey_id = e.journey_id
			AND t.week_start::text = e.detail->>'week' AND t.status = 'approved' AND COALESCE(t.reviewer_ref, '') <> ''`

// actorNameSQL names an event's actor: a staff member, a supervisor or an
// employer by name (staff pages only; never logged).
const actorNameSQL = `COALESCE(CASE u.party
		WHEN 'staff' THEN (SELECT name FROM staff WHERE id::text = u.actor_ref)
		WHEN 'supervisor' THEN (SELECT name FROM supervisors WHERE id::text = u.actor_ref)
		WHEN 'employer' THEN COALESCE((SELECT name FROM supervisors WHERE id::text = u.actor_ref),
			(SELECT name FROM employers WHERE id::text = u.actor_ref))
		END, '')`

// DocumentInfo describes a stored document without its bytes.
type DocumentInfo struct {
	ID        string
	Kind      string
	Filename  string
	Size      int
	CreatedAt time.Time
}

// JourneyDocuments lists a journey's documents, newest first.
func (s *Store) JourneyDocuments(ctx context.Context, journeyID string) ([]DocumentInfo, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id::text, kind, filename, size_bytes, created_at FROM documents
		WHERE journey_id = $1 ORDER BY created_at DESC LIMIT 100`, journeyID)
	if err != nil {
		return nil, fmt.Errorf("journey documents: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[DocumentInfo])
}

// ScopedDocument loads a journey's document (with bytes) only when the
// journey is in scope and the document is the journey's.
func (s *Store) ScopedDocument(ctx context.Context, sc Scope, journeyID, documentID string) (Document, error) {
	if err := sc.check(); err != nil {
		return Document{}, err
	}
	d := Document{ID: documentID}
	err := s.Pool.QueryRow(ctx, `
		SELECT d.journey_id::text, d.kind, d.filename, d.content_type, d.size_bytes, d.sha256, COALESCE(d.bytes, '')
		FROM documents d JOIN journey_view jv ON jv.journey_id = d.journey_id
		WHERE d.id = $1 AND d.journey_id = $2 AND jv.district_id = $3 AND ($4::boolean OR jv.school_id = ANY($5::uuid[]))`,
		documentID, journeyID, sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs)).
		Scan(&d.JourneyID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Bytes)
	return d, notFound(err)
}

// PermitSummary is the journey's latest work permit version.
type PermitSummary struct {
	Version     int
	Status      string
	DocumentID  string
	SignedPDFID string
	Signatures  int
	Reason      string
}

// LatestPermit returns the newest permit version (ErrNotFound if none).
func (s *Store) LatestPermit(ctx context.Context, journeyID string) (PermitSummary, error) {
	var p PermitSummary
	err := s.Pool.QueryRow(ctx, `
		SELECT wp.version, wp.status, wp.document_id::text, COALESCE(wp.signed_pdf_id::text, ''),
			(SELECT count(*)::int FROM signatures sg WHERE sg.document_id = wp.document_id), COALESCE(wp.reason, '')
		FROM work_permits wp WHERE wp.journey_id = $1 ORDER BY wp.version DESC LIMIT 1`, journeyID).
		Scan(&p.Version, &p.Status, &p.DocumentID, &p.SignedPDFID, &p.Signatures, &p.Reason)
	return p, notFound(err)
}

// TrainingRecord is one required training a journey recorded: a
// certificate, or a staff waiver.
type TrainingRecord struct {
	Code, Name  string
	CompletedOn time.Time // the date the student gave
	RecordedAt  time.Time
	DocumentID  string // the certificate ("" when waived)
	Waived      string // the waiver's reason
	// BeforePlacement: recorded before the student was placed (the
	// program's trainings open from Intern Ready).
	BeforePlacement bool
}

// JourneyTrainings lists a journey's recorded trainings, oldest first.
func (s *Store) JourneyTrainings(ctx context.Context, journeyID string) ([]TrainingRecord, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT tc.training_code, t.name, tc.completed_on, tc.recorded_at, COALESCE(tc.document_id::text, ''),
			COALESCE(tc.waived_reason, ''), (jv.placed_at IS NULL OR tc.recorded_at < jv.placed_at)
		FROM training_completions tc JOIN trainings t ON t.code = tc.training_code
		LEFT JOIN journey_view jv ON jv.journey_id = tc.journey_id
		WHERE tc.journey_id = $1 ORDER BY tc.recorded_at, tc.training_code`, journeyID)
	if err != nil {
		return nil, fmt.Errorf("journey trainings: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[TrainingRecord])
}

// TrainingNames names training codes from the catalogue (a code missing
// from it is its own name).
func (s *Store) TrainingNames(ctx context.Context, codes []string) ([]string, error) {
	rows, err := s.Pool.Query(ctx, `SELECT c, COALESCE(t.name, c) FROM unnest($1::text[]) WITH ORDINALITY AS x(c, n)
		LEFT JOIN trainings t ON t.code = x.c ORDER BY x.n`, nonNil(codes))
	if err != nil {
		return nil, fmt.Errorf("training names: %w", err)
	}
	var out []string
	var code, name string
	_, err = pgx.ForEachRow(rows, []any{&code, &name}, func() error { out = append(out, name); return nil })
	return out, err
}
