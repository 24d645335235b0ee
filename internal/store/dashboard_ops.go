package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Causes of a stuck journey on the ops console.
const (
	CauseFailing     = "failing"     // a step keeps failing (stuck_reason); Retry re-runs it
	CauseOverdue     = "overdue"     // a wait is past its escalation
	CauseUnreachable = "unreachable" // nobody on the journey can be reached
)

// StuckGroup is one cause on the ops console, e.g. "failing:record" or
// "overdue: work_permit waiting on guardian", with its first rows.
type StuckGroup struct {
	Cause string
	// Reason is the failing step (failing), or the stage (overdue).
	Reason    string
	WaitingOn string
	Count     int
	Rows      []ListRow
}

// StuckJourneys groups the open journeys in scope that need ops: failing
// steps by step, overdue waits by stage and party, unreachable contacts.
// Each group carries its count and its perGroup longest-waiting rows.
func (s *Store) StuckJourneys(ctx context.Context, sc Scope, perGroup int) ([]StuckGroup, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	q := &sqlQuery{}
	q.scoped(sc, "jv")
	q.and("jv.stage NOT IN ('completed', 'withdrawn')")
	open := q.where()
	// Each branch reads its own (partial) index; a shared CTE would be
	// materialised and scanned whole.
	rows, err := s.Pool.Query(ctx, `
		WITH causes AS (
			SELECT 'failing' AS cause, jv.stuck_reason AS reason, '' AS waiting, jv.*
				FROM journey_view jv WHERE `+open+` AND jv.stuck_reason <> ''
			UNION ALL
			SELECT 'overdue', jv.stage, jv.waiting_on, jv.* FROM journey_view jv WHERE `+open+` AND jv.overdue
			UNION ALL
			SELECT 'unreachable', '', '', jv.* FROM journey_view jv WHERE `+open+` AND jv.unreachable
		), ranked AS (
			SELECT c.*, count(*) OVER w AS n, row_number() OVER (w ORDER BY stage_since, journey_id) AS rn
			FROM causes c WINDOW w AS (PARTITION BY cause, reason, waiting)
		)
		SELECT r.cause, r.reason, r.waiting, r.n::int, `+stuckColumns+`, sc.name
		FROM ranked r JOIN students st ON st.id = r.student_id JOIN schools sc ON sc.id = r.school_id
		WHERE r.rn <= `+q.arg(perGroup)+`
		ORDER BY array_position(ARRAY['failing','overdue','unreachable'], r.cause), r.n DESC, r.reason, r.waiting, r.rn`,
		q.args...)
	if err != nil {
		return nil, fmt.Errorf("stuck journeys: %w", err)
	}
	defer rows.Close()
	var groups []StuckGroup
	for rows.Next() {
		var g StuckGroup
		var l ListRow
		err := rows.Scan(&g.Cause, &g.Reason, &g.WaitingOn, &g.Count, &l.JourneyID, &l.StudentID, &l.SchoolID,
			&l.FirstName, &l.LastName, &l.PreferredName, &l.Grade, &l.Stage, &l.WaitingOn, &l.WaitingDetail,
			&l.StageSince, &l.Overdue, &l.Unreachable, &l.StuckReason, &l.NextNudgeAt, &l.HoursApproved,
			&l.HoursRequired, &l.SchoolName)
		if err != nil {
			return nil, fmt.Errorf("stuck journeys: %w", err)
		}
		if n := len(groups); n == 0 || groups[n-1].Cause != g.Cause || groups[n-1].Reason != g.Reason || groups[n-1].WaitingOn != g.WaitingOn {
			groups = append(groups, g)
		}
		last := &groups[len(groups)-1]
		last.Rows = append(last.Rows, l)
	}
	return groups, rows.Err()
}

// stuckColumns is listColumns over the ranked CTE (alias r).
const stuckColumns = `r.journey_id, r.student_id, r.school_id, st.first_name, st.last_name,
	COALESCE(st.preferred_name, ''), COALESCE(st.grade, 0)::int, r.stage, r.waiting_on, r.waiting_detail,
	r.stage_since, r.overdue, r.unreachable, r.stuck_reason, r.next_nudge_at, r.hours_approved::float8,
	r.hours_required::float8`

// JourneyRef is a journey in scope, enough to signal its workflow.
type JourneyRef struct {
	JourneyID  string
	WorkflowID string
	SchoolID   string
	Stage      string
}

// ScopedJourneyRefs keeps the ids that are journeys in scope (bulk
// actions), in no particular order; the rest are silently dropped.
func (s *Store) ScopedJourneyRefs(ctx context.Context, sc Scope, ids []string) ([]JourneyRef, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	rows, err := s.Pool.Query(ctx, `
		SELECT jv.journey_id::text, j.workflow_id, jv.school_id::text, jv.stage
		FROM journey_view jv JOIN journeys j ON j.id = jv.journey_id
		WHERE jv.journey_id = ANY($1::uuid[]) AND jv.district_id = $2 AND ($3::boolean OR jv.school_id = ANY($4::uuid[]))`,
		ids, sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs))
	if err != nil {
		return nil, fmt.Errorf("scoped journeys: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[JourneyRef])
}
