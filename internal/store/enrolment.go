package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Roster statuses the enrolment list filters by.
const (
	RosterListed  = ""        // on the latest roster (the default)
	RosterMissing = "missing" // a full import no longer lists them
	RosterAny     = "all"
)

// CandidateFilter chooses students to enrol in a program: students of the
// scope with no journey in that program and no open journey in its year
// (a student runs one journey a year).
type CandidateFilter struct {
	Program  Program
	SchoolID string
	Grade    int    // 0: every grade
	Pathway  string // a pathway the student chose in an earlier survey; "": any
	Roster   string // RosterListed, RosterMissing or RosterAny
}

// Candidate is one student the enrolment list offers.
type Candidate struct {
	StudentID     string
	FirstName     string
	LastName      string
	PreferredName string
	SchoolName    string
	Grade         int
	StudentNumber string
	Missing       bool
}

// candidates builds the WHERE clause of CandidateFilter on students s.
func (q *sqlQuery) candidates(sc Scope, f CandidateFilter) {
	q.scoped(sc, "s")
	if f.SchoolID != "" {
		q.and("s.school_id = " + q.arg(f.SchoolID) + "::uuid")
	}
	if f.Grade != 0 {
		q.and("s.grade = " + q.arg(f.Grade))
	}
	switch f.Roster {
	case RosterListed:
		q.and("s.missing_from_roster_at IS NULL")
	case RosterMissing:
		q.and("s.missing_from_roster_at IS NOT NULL")
	}
	if f.Pathway != "" {
		q.and(`EXISTS (SELECT 1 FROM journeys pj JOIN survey_responses sr ON sr.journey_id = pj.id
			WHERE pj.student_id = s.id AND sr.pathway = ` + q.arg(f.Pathway) + `)`)
	}
	q.and(`NOT EXISTS (SELECT 1 FROM journeys j WHERE j.student_id = s.id AND (j.program_id = ` + q.arg(f.Program.ID) + `::uuid
		OR (j.program_year = ` + q.arg(f.Program.ProgramYear) + ` AND j.status = 'open')))`)
}

// Candidates lists up to limit students of the filter by school and name,
// and how many match in all.
func (s *Store) Candidates(ctx context.Context, sc Scope, f CandidateFilter, limit int) ([]Candidate, int, error) {
	if err := sc.check(); err != nil {
		return nil, 0, err
	}
	var q sqlQuery
	q.candidates(sc, f)
	var total int
	if err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM students s WHERE `+q.where(), q.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count candidates: %w", err)
	}
	rows, err := s.Pool.Query(ctx, `SELECT s.id::text, s.first_name, s.last_name, COALESCE(s.preferred_name, ''), sc.name,
			COALESCE(s.grade, 0), COALESCE(s.student_number, ''), s.missing_from_roster_at IS NOT NULL
		FROM students s JOIN schools sc ON sc.id = s.school_id WHERE `+q.where()+`
		ORDER BY sc.name, lower(s.last_name), lower(s.first_name), s.id LIMIT `+strconv.Itoa(limit), q.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list candidates: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Candidate])
	return list, total, err
}

// EnrolmentRequest is a batch to create: the filter's students, or only
// StudentIDs among them when it is not nil.
type EnrolmentRequest struct {
	Scope      Scope
	Filter     CandidateFilter
	StudentIDs []string
	// RequestKey makes a repeated request the same batch.
	RequestKey string
	ActorKind  string // "staff" or "api_token"
	ActorRef   string
}

// ErrNobodyToEnrol means a request matched no student to enrol.
var ErrNobodyToEnrol = errors.New("no student to enrol")

// CreateEnrolment records a batch and its students in one transaction and
// returns its id; Created is false when the request key names a batch
// already made (a second submit), which is returned as it is.
func (s *Store) CreateEnrolment(ctx context.Context, req EnrolmentRequest) (id string, created bool, err error) {
	if err := req.Scope.check(); err != nil {
		return "", false, err
	}
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO enrolment_batches (district_id, program_id, request_key, actor_kind, actor_ref)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (district_id, request_key) DO NOTHING RETURNING id::text`,
			req.Scope.DistrictID, req.Filter.Program.ID, req.RequestKey, req.ActorKind, req.ActorRef).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT id::text FROM enrolment_batches WHERE district_id = $1 AND request_key = $2`,
				req.Scope.DistrictID, req.RequestKey).Scan(&id)
		}
		if err != nil {
			return err
		}
		created = true
		q := sqlQuery{args: []any{id}}
		q.candidates(req.Scope, req.Filter)
		if req.StudentIDs != nil {
			q.and("s.id = ANY(" + q.arg(req.StudentIDs) + "::uuid[])")
		}
		tag, err := tx.Exec(ctx, `INSERT INTO enrolment_items (batch_id, student_id) SELECT $1::uuid, s.id FROM students s WHERE `+q.where(), q.args...)
		if err == nil && tag.RowsAffected() == 0 {
			err = ErrNobodyToEnrol
		}
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("create enrolment: %w", err)
	}
	return id, created, nil
}

// Enrolment is a batch and how far it got.
type Enrolment struct {
	ID          string
	DistrictID  string
	ProgramID   string
	ProgramName string
	CreatedAt   time.Time
	Total       int
	Pending     int
	Enrolled    int // journeys this batch opened
	Already     int // students in the program already
	Skipped     int // students with an open journey in another program that year
}

// Done reports whether every student of the batch has been worked.
func (e Enrolment) Done() bool { return e.Pending == 0 }

// Worked is how many students are done.
func (e Enrolment) Worked() int { return e.Total - e.Pending }

// Percent is the share worked, for the progress bar.
func (e Enrolment) Percent() int {
	if e.Total == 0 {
		return 100
	}
	return e.Worked() * 100 / e.Total
}

// GetEnrolment reads a batch of the district with its counts.
func (s *Store) GetEnrolment(ctx context.Context, districtID, id string) (Enrolment, error) {
	e := Enrolment{ID: id}
	err := s.Pool.QueryRow(ctx, `SELECT b.district_id::text, b.program_id::text, p.name, b.created_at,
			count(i.*), count(*) FILTER (WHERE i.state = 'pending'), count(*) FILTER (WHERE i.state = 'enrolled'),
			count(*) FILTER (WHERE i.state = 'already'), count(*) FILTER (WHERE i.state = 'skipped')
		FROM enrolment_batches b JOIN programs p ON p.id = b.program_id LEFT JOIN enrolment_items i ON i.batch_id = b.id
		WHERE b.id = $1 AND b.district_id = $2 GROUP BY b.id, p.name`, id, districtID).
		Scan(&e.DistrictID, &e.ProgramID, &e.ProgramName, &e.CreatedAt, &e.Total, &e.Pending, &e.Enrolled, &e.Already, &e.Skipped)
	return e, notFound(err)
}

// EnrolmentClaim is a share of one batch's students a runner works on
// until its lease ends.
type EnrolmentClaim struct {
	BatchID    string
	DistrictID string
	ProgramID  string
	CreatedAt  time.Time
	StudentIDs []string
}

// ClaimEnrolment leases up to n pending students of one batch whose lease
// is over (new, or left by a runner that crashed); none is an empty claim.
func (s *Store) ClaimEnrolment(ctx context.Context, n int, lease time.Duration) (EnrolmentClaim, error) {
	var c EnrolmentClaim
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT b.id::text, b.district_id::text, b.program_id::text, b.created_at FROM enrolment_batches b
			WHERE b.id = (SELECT batch_id FROM enrolment_items WHERE state = 'pending' AND lease_until < now() LIMIT 1)`).
			Scan(&c.BatchID, &c.DistrictID, &c.ProgramID, &c.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `UPDATE enrolment_items i SET lease_until = now() + $3 * interval '1 millisecond', attempts = attempts + 1
			FROM (SELECT student_id FROM enrolment_items WHERE batch_id = $1 AND state = 'pending' AND lease_until < now()
				LIMIT $2 FOR UPDATE SKIP LOCKED) c
			WHERE i.batch_id = $1 AND i.student_id = c.student_id RETURNING i.student_id::text`, c.BatchID, n, lease.Milliseconds())
		if err != nil {
			return err
		}
		c.StudentIDs, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err != nil {
		return EnrolmentClaim{}, fmt.Errorf("claim enrolment: %w", err)
	}
	return c, nil
}

// EnrolmentOutcome is what became of one student of a batch.
type EnrolmentOutcome struct {
	StudentID string
	State     string // enrolled, already or skipped
	JourneyID string // "" when skipped without a journey
}

// FinishEnrolment records the outcomes of claimed students in one
// statement. A student left out stays pending and is tried again when its
// lease ends.
func (s *Store) FinishEnrolment(ctx context.Context, batchID string, out []EnrolmentOutcome) error {
	ids, states, journeys := make([]string, len(out)), make([]string, len(out)), make([]*string, len(out))
	for i, o := range out {
		ids[i], states[i] = o.StudentID, o.State
		if o.JourneyID != "" {
			journeys[i] = &out[i].JourneyID
		}
	}
	_, err := s.Pool.Exec(ctx, `UPDATE enrolment_items i SET state = o.state, journey_id = o.journey_id
		FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS o(student_id, state, journey_id)
		WHERE i.batch_id = $1 AND i.student_id = o.student_id AND i.state = 'pending'`, batchID, ids, states, journeys)
	if err != nil {
		return fmt.Errorf("finish enrolment: %w", err)
	}
	return nil
}

// CandidatesDigest is a digest of the students the filter matches now: a
// request for "everyone without a journey" retried while its batch runs
// matches the same students (the same batch); once they are enrolled, the
// same request made again is a new one.
func (s *Store) CandidatesDigest(ctx context.Context, sc Scope, f CandidateFilter) (string, error) {
	if err := sc.check(); err != nil {
		return "", err
	}
	var q sqlQuery
	q.candidates(sc, f)
	var digest string
	err := s.Pool.QueryRow(ctx, `SELECT COALESCE(md5(string_agg(s.id::text, ',' ORDER BY s.id)), '') FROM students s WHERE `+q.where(), q.args...).Scan(&digest)
	if err != nil {
		return "", fmt.Errorf("candidates digest: %w", err)
	}
	return digest, nil
}

// StudentsInScope returns which of ids are students of the scope.
func (s *Store) StudentsInScope(ctx context.Context, sc Scope, ids []string) (map[string]bool, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	q := sqlQuery{}
	q.scoped(sc, "s")
	q.and("s.id = ANY(" + q.arg(ids) + "::uuid[])")
	rows, err := s.Pool.Query(ctx, `SELECT s.id::text FROM students s WHERE `+q.where(), q.args...)
	if err != nil {
		return nil, fmt.Errorf("students in scope: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[string])
	in := make(map[string]bool, len(found))
	for _, id := range found {
		in[id] = true
	}
	return in, err
}
