package store

import (
	"context"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/internflow/internflow/workflows/facts"
)

// JourneyView is defined with the workflow's facts in workflows/facts.
type JourneyView = facts.JourneyView

// UpsertJourneyView writes the row only if v.UpdatedSeq is newer than the
// stored one, so a retried or replayed projection never moves it backwards.
// It reports whether the row changed.
func (s *Store) UpsertJourneyView(ctx context.Context, v JourneyView) (bool, error) {
	return upsertView(ctx, s.Pool, v)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func upsertView(ctx context.Context, db execer, v JourneyView) (bool, error) {
	tag, err := db.Exec(ctx, `
		INSERT INTO journey_view AS jv (journey_id, student_id, district_id, school_id, program_id, stage, waiting_on,
			waiting_detail, stage_since, overdue, next_nudge_at, hours_approved, hours_required, unreachable, stuck_reason,
			project_title, survey_done_at, intern_ready_at, applied_at, placed_at, permit_done_at, trainings_done_at,
			working_at, completed_at, withdrawn_at, updated_seq, waiting_since, updated_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,journey_unreachable($1::uuid),$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26, now())
		ON CONFLICT (journey_id) DO UPDATE SET
			school_id = EXCLUDED.school_id, stage = EXCLUDED.stage, waiting_on = EXCLUDED.waiting_on,
			waiting_detail = EXCLUDED.waiting_detail, stage_since = EXCLUDED.stage_since, overdue = EXCLUDED.overdue,
			next_nudge_at = EXCLUDED.next_nudge_at, hours_approved = EXCLUDED.hours_approved,
			hours_required = EXCLUDED.hours_required, unreachable = EXCLUDED.unreachable, -- derived: see 0401_reachability.sql
			stuck_reason = EXCLUDED.stuck_reason, project_title = EXCLUDED.project_title,
			survey_done_at = COALESCE(jv.survey_done_at, EXCLUDED.survey_done_at),
			intern_ready_at = COALESCE(jv.intern_ready_at, EXCLUDED.intern_ready_at),
			applied_at = COALESCE(jv.applied_at, EXCLUDED.applied_at),
			placed_at = COALESCE(jv.placed_at, EXCLUDED.placed_at),
			permit_done_at = COALESCE(jv.permit_done_at, EXCLUDED.permit_done_at),
			trainings_done_at = COALESCE(jv.trainings_done_at, EXCLUDED.trainings_done_at),
			working_at = COALESCE(jv.working_at, EXCLUDED.working_at),
			completed_at = COALESCE(jv.completed_at, EXCLUDED.completed_at),
			withdrawn_at = COALESCE(jv.withdrawn_at, EXCLUDED.withdrawn_at),
			updated_seq = EXCLUDED.updated_seq, waiting_since = EXCLUDED.waiting_since, updated_at = now()
		WHERE jv.updated_seq < EXCLUDED.updated_seq`,
		v.JourneyID, v.StudentID, v.DistrictID, v.SchoolID, v.ProgramID, v.Stage, v.WaitingOn,
		v.WaitingDetail, v.StageSince, v.Overdue, v.NextNudgeAt, v.HoursApproved, v.HoursRequired, v.StuckReason,
		v.ProjectTitle, v.SurveyDoneAt, v.InternReadyAt, v.AppliedAt, v.PlacedAt, v.PermitDoneAt, v.TrainingsDoneAt,
		v.WorkingAt, v.CompletedAt, v.WithdrawnAt, v.UpdatedSeq, v.WaitingSince)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// GetJourneyView loads one read-model row.
func (s *Store) GetJourneyView(ctx context.Context, journeyID string) (JourneyView, error) {
	var v JourneyView
	err := s.Pool.QueryRow(ctx, `SELECT `+viewColumns+` FROM journey_view WHERE journey_id = $1`, journeyID).Scan(journeyViewTargets(&v)...)
	return v, notFound(err)
}

const viewColumns = `journey_id, student_id, district_id, school_id, program_id, stage, waiting_on, waiting_detail,
	stage_since, overdue, next_nudge_at, hours_approved::float8, hours_required::float8, unreachable, stuck_reason, project_title,
	survey_done_at, intern_ready_at, applied_at, placed_at, permit_done_at, trainings_done_at, working_at,
	completed_at, withdrawn_at, updated_seq, waiting_since`

// journeyViewTargets are the scan targets for viewColumns, in order (a
// function: JourneyView is defined in workflows/facts).
func journeyViewTargets(v *JourneyView) []any {
	return []any{&v.JourneyID, &v.StudentID, &v.DistrictID, &v.SchoolID, &v.ProgramID, &v.Stage, &v.WaitingOn,
		&v.WaitingDetail, &v.StageSince, &v.Overdue, &v.NextNudgeAt, &v.HoursApproved, &v.HoursRequired,
		&v.Unreachable, &v.StuckReason, &v.ProjectTitle, &v.SurveyDoneAt, &v.InternReadyAt, &v.AppliedAt,
		&v.PlacedAt, &v.PermitDoneAt, &v.TrainingsDoneAt, &v.WorkingAt, &v.CompletedAt, &v.WithdrawnAt, &v.UpdatedSeq, &v.WaitingSince}
}

const markStuckSQL = `UPDATE journey_view SET stuck_reason = $2, updated_at = now() WHERE journey_id = $1`

// MarkStuck flags a journey on the ops console when a step keeps failing;
// it writes only that column, so it works even when a full record cannot.
func (s *Store) MarkStuck(ctx context.Context, journeyID, reason string) error {
	_, err := s.Pool.Exec(ctx, markStuckSQL, journeyID, reason)
	return err
}
