package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows/facts"
)

// Journey is one student's run through one program year.
type Journey struct {
	ID             string
	StudentID      string
	ProgramID      string
	ProgramYear    int
	ProgramVersion int
	WorkflowID     string
	Status         string
	CreatedAt      time.Time
}

// ErrAlreadyEnrolled means the student has an open journey for that year.
var ErrAlreadyEnrolled = errors.New("student already has an open journey this program year")

// CreateJourney records a new open journey. A second open journey for the
// same student and program year is refused by the database.
func (s *Store) CreateJourney(ctx context.Context, studentID, programID string) (Journey, error) {
	j := Journey{StudentID: studentID, ProgramID: programID, Status: "open"}
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT program_year, version FROM programs WHERE id = $1`, programID).
			Scan(&j.ProgramYear, &j.ProgramVersion); err != nil {
			return fmt.Errorf("program: %w", notFound(err))
		}
		if err := tx.QueryRow(ctx, `SELECT gen_random_uuid()`).Scan(&j.ID); err != nil {
			return err
		}
		j.WorkflowID = facts.JourneyWorkflowID(j.ID)
		return tx.QueryRow(ctx, `
			INSERT INTO journeys (id, student_id, program_id, program_year, program_version, workflow_id)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at`,
			j.ID, studentID, programID, j.ProgramYear, j.ProgramVersion, j.WorkflowID).Scan(&j.CreatedAt)
	})
	if IsUniqueViolation(err, "journeys_one_open") {
		return Journey{}, ErrAlreadyEnrolled
	}
	return j, err
}

// OpenJourneyFor returns the student's open journey in a program year.
func (s *Store) OpenJourneyFor(ctx context.Context, studentID string, programYear int) (Journey, error) {
	return s.scanJourney(s.Pool.QueryRow(ctx, journeySelect+` WHERE student_id = $1 AND program_year = $2 AND status = 'open'`, studentID, programYear))
}

// GetJourney loads a journey by id.
func (s *Store) GetJourney(ctx context.Context, id string) (Journey, error) {
	return s.scanJourney(s.Pool.QueryRow(ctx, journeySelect+` WHERE id = $1`, id))
}

const journeyColumns = `id, student_id, program_id, program_year, program_version, workflow_id, status, created_at`

const journeySelect = `SELECT ` + journeyColumns + ` FROM journeys`

func (s *Store) scanJourney(row pgx.Row) (Journey, error) {
	var j Journey
	err := row.Scan(&j.ID, &j.StudentID, &j.ProgramID, &j.ProgramYear, &j.ProgramVersion, &j.WorkflowID, &j.Status, &j.CreatedAt)
	return j, notFound(err)
}

// CloseJourney marks a journey completed or withdrawn.
func (s *Store) CloseJourney(ctx context.Context, id, status string, at time.Time) error {
	_, err := s.Pool.Exec(ctx, `UPDATE journeys SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'open'`, id, status, at)
	return err
}

// JourneyEvents returns a journey's timeline, oldest first.
func (s *Store) JourneyEvents(ctx context.Context, journeyID string) ([]facts.JourneyEvent, error) {
	rows, err := s.Pool.Query(ctx, `SELECT journey_id, seq, kind, stage, actor_kind, actor_ref, detail, at
		FROM journey_events WHERE journey_id = $1 ORDER BY seq`, journeyID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (facts.JourneyEvent, error) {
		var e facts.JourneyEvent
		err := r.Scan(&e.JourneyID, &e.Seq, &e.Kind, &e.Stage, &e.ActorKind, &e.ActorRef, &e.Detail, &e.At)
		return e, err
	})
}

// BulkJourney is a student's open journey of a program year after
// CreateJourneys: Created when this call opened it.
type BulkJourney struct {
	Journey
	Created bool
}

// CreateJourneys opens a journey in a program for each student who has no
// open journey that program year, in one statement, and returns every
// student's open journey of the year (new or not, in this program or
// another). Students of ids that are not in the program's district are
// left out. Running it again changes nothing: the unique index on open
// journeys decides, so two runners racing never open two.
func (s *Store) CreateJourneys(ctx context.Context, p Program, studentIDs []string) ([]BulkJourney, error) {
	ids, wfs := make([]string, len(studentIDs)), make([]string, len(studentIDs))
	for i := range studentIDs {
		ids[i] = uuid.NewString()
		wfs[i] = facts.JourneyWorkflowID(ids[i])
	}
	// The final SELECT reads the snapshot from before the INSERT, so it
	// sees the journeys that were open already and "new" adds the rest.
	rows, err := s.Pool.Query(ctx, `
		WITH new AS (
			INSERT INTO journeys (id, student_id, program_id, program_year, program_version, workflow_id)
			SELECT n.id, n.student_id, $4, $5, $6, n.workflow_id
			FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS n(id, student_id, workflow_id)
			JOIN students st ON st.id = n.student_id AND st.district_id = $7
			ON CONFLICT (student_id, program_year) WHERE status = 'open' DO NOTHING
			RETURNING `+journeyColumns+`
		)
		SELECT `+journeyColumns+`, true FROM new
		UNION ALL
		SELECT `+journeyColumns+`, false FROM journeys
		WHERE student_id = ANY($2::uuid[]) AND program_year = $5 AND status = 'open'`,
		ids, studentIDs, wfs, p.ID, p.ProgramYear, p.Version, p.DistrictID)
	if err != nil {
		return nil, fmt.Errorf("create journeys: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (BulkJourney, error) {
		var b BulkJourney
		err := r.Scan(&b.ID, &b.StudentID, &b.ProgramID, &b.ProgramYear, &b.ProgramVersion, &b.WorkflowID, &b.Status, &b.CreatedAt, &b.Created)
		return b, err
	})
}
