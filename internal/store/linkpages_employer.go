package store

// The employer's link pages' reads: the supervisor's inbox, the weeks to
// approve, the applicants to decide on.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/hours"
)

// InboxWait is an open wait a person was asked about, with the link that
// asked.
type InboxWait struct {
	WaitKey, JourneyID string
	AskedAt            time.Time
	Action, Subject    string
	DocumentSHA        []byte
	SingleUse          bool
	Params             map[string]string
	// Escalated: staff were told the step is overdue.
	Escalated   bool
	First, Last string
	// Ladders is the program's reminder ladders as stored (JSON, "{}"
	// for none): the caller reads the ones it knows.
	Ladders []byte
}

const inboxWaitsSQL = `
		SELECT DISTINCT ON (w.wait_key) w.wait_key, COALESCE(w.journey_id::text, ''), w.asked_at,
			l.action, l.subject_ref, l.document_sha256, l.single_use, m.params,
			EXISTS (SELECT 1 FROM messages e WHERE e.wait_key = w.wait_key AND e.recipient_kind = 'staff'
				AND e.status NOT IN ('cancelled', 'suppressed')),
			COALESCE(NULLIF(s.preferred_name, ''), s.first_name, ''), COALESCE(s.last_name, ''),
			COALESCE(pr.definition -> 'ladders', '{}'::jsonb)
		FROM messages m
		JOIN open_waits w ON w.wait_key = m.wait_key AND w.party = m.wait_party
		JOIN action_links l ON l.id = m.link_id
		LEFT JOIN journeys j ON j.id = w.journey_id
		LEFT JOIN students s ON s.id = j.student_id
		LEFT JOIN programs pr ON pr.id = j.program_id
		WHERE m.recipient_kind = $1 AND m.recipient_ref = $2 AND m.link_id IS NOT NULL
			AND (w.journey_id IS NULL OR j.status = 'open')
		ORDER BY w.wait_key, m.id DESC
		LIMIT 500`

// InboxWaits are the waits open now on this person: a message addressed
// to them serves the wait, the wait is still on the party it asked, and
// its journey (if any) is open. Scoped by the message's recipient, so one
// person's inbox never lists another's items.
func (s *Store) InboxWaits(ctx context.Context, kind, ref string) ([]InboxWait, error) {
	rows, err := s.Pool.Query(ctx, inboxWaitsSQL, kind, ref)
	if err != nil {
		return nil, fmt.Errorf("list open waits of %s: %w", kind, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (InboxWait, error) {
		var x InboxWait
		err := r.Scan(&x.WaitKey, &x.JourneyID, &x.AskedAt, &x.Action, &x.Subject, &x.DocumentSHA, &x.SingleUse,
			&x.Params, &x.Escalated, &x.First, &x.Last, &x.Ladders)
		return x, err
	})
}

// PendingWeek is a submitted week waiting for its supervisor's approval.
type PendingWeek struct {
	ID, JourneyID, Week, SubmittedAt string
	Hours                            float64
	Flags                            []string
	Breaches                         []hours.Breach
	Withheld                         float64
	First, Last, Title               string
}

// pendingWeeksSQL is completed by whose weeks: a supervisor's, or an
// employer contact's placements that name no supervisor.
const (
	pendingWeeksSQL = `
		SELECT t.id, t.journey_id, t.week_start::text, t.submitted_at::text, t.hours_total::float8, t.flags,
			t.breaches, t.hours_withheld::float8,
			COALESCE(NULLIF(s.preferred_name,''), s.first_name), s.last_name, pl.title
		FROM timesheets t JOIN placements pl ON pl.journey_id = t.journey_id
		JOIN journeys j ON j.id = t.journey_id JOIN students s ON s.id = j.student_id
		WHERE t.status = 'submitted' AND j.status = 'open' AND `
	pendingWeeksOfSupervisor = `pl.supervisor_id::text = $1`
	pendingWeeksOfEmployer   = `pl.employer_id::text = $1 AND pl.supervisor_id IS NULL`
	pendingWeeksOrder        = `
		ORDER BY s.last_name, s.first_name, t.week_start LIMIT 200`
)

// PendingWeeks lists every submitted week of every open journey this
// person supervises (personKind "supervisor"), or, for an employer
// contact ("employer"), of the placements that name no supervisor.
func (s *Store) PendingWeeks(ctx context.Context, personKind, personRef string) ([]PendingWeek, error) {
	who := pendingWeeksOfSupervisor
	if personKind == "employer" {
		who = pendingWeeksOfEmployer
	}
	rows, err := s.Pool.Query(ctx, pendingWeeksSQL+who+pendingWeeksOrder, personRef)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PendingWeek, error) {
		var w PendingWeek
		err := r.Scan(&w.ID, &w.JourneyID, &w.Week, &w.SubmittedAt, &w.Hours, &w.Flags, &w.Breaches, &w.Withheld,
			&w.First, &w.Last, &w.Title)
		return w, err
	})
}

// WeekDay is one day of hours of a timesheet.
type WeekDay struct {
	TimesheetID string
	Date        time.Time
	Hours       float64
	End         string
}

const weekDaysSQL = `SELECT timesheet_id, work_date, hours::float8, COALESCE(end_time,'') FROM timesheet_entries
		WHERE timesheet_id = ANY($1) ORDER BY work_date`

// WeekDays are the days with hours of these timesheets, by date.
func (s *Store) WeekDays(ctx context.Context, timesheetIDs []string) ([]WeekDay, error) {
	rows, err := s.Pool.Query(ctx, weekDaysSQL, timesheetIDs)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (WeekDay, error) {
		var d WeekDay
		return d, r.Scan(&d.TimesheetID, &d.Date, &d.Hours, &d.End)
	})
}

// EmployerApplicant is an application to one of an employer's postings.
type EmployerApplicant struct {
	ID, JourneyID, Status     string
	Applied                   time.Time
	PostingTitle, FirstName   string
	School                    string
	Grade                     int
	Pathway                   string
	HasResume, HasCoverLetter bool
}

const employerApplicantsSQL = `
		SELECT a.id::text, a.journey_id::text, a.status, a.created_at, p.title,
			COALESCE(NULLIF(s.preferred_name,''), s.first_name), sc.name, COALESCE(s.grade, 0)::int, COALESCE(sr.pathway,''),
			EXISTS (SELECT 1 FROM journey_events e WHERE e.journey_id = j.id AND e.kind = 'uploaded_resume'),
			EXISTS (SELECT 1 FROM journey_events e WHERE e.journey_id = j.id AND e.kind = 'uploaded_cover_letter')
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN survey_responses sr ON sr.journey_id = j.id
		WHERE p.employer_id = $1 AND j.status = 'open'
		ORDER BY CASE WHEN a.status IN ('submitted','reviewing','interview') THEN 0 WHEN a.status = 'offer' THEN 1 ELSE 2 END,
			a.created_at, a.id
		LIMIT $2`

// EmployerApplicants lists the applications of open journeys to the
// employer's postings: those waiting for a decision first, oldest first.
func (s *Store) EmployerApplicants(ctx context.Context, employerID string, limit int) ([]EmployerApplicant, error) {
	rows, err := s.Pool.Query(ctx, employerApplicantsSQL, employerID, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (EmployerApplicant, error) {
		var a EmployerApplicant
		err := r.Scan(&a.ID, &a.JourneyID, &a.Status, &a.Applied, &a.PostingTitle, &a.FirstName, &a.School, &a.Grade,
			&a.Pathway, &a.HasResume, &a.HasCoverLetter)
		return a, err
	})
}

const applicantJourneySQL = `SELECT a.journey_id::text, j.status = 'open' AND a.status <> 'withdrawn'
		FROM applications a JOIN postings p ON p.id = a.posting_id JOIN journeys j ON j.id = a.journey_id
		WHERE a.id = $1 AND p.employer_id = $2`

// ApplicantJourney is the journey of an application to the employer's
// posting, and whether it is still open (not withdrawn, journey open).
func (s *Store) ApplicantJourney(ctx context.Context, applicationID, employerID string) (journeyID string, open bool, err error) {
	err = s.Pool.QueryRow(ctx, applicantJourneySQL, applicationID, employerID).Scan(&journeyID, &open)
	return journeyID, open, err
}
