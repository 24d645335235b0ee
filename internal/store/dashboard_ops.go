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
	open, limit := q.where(), q.arg(perGroup)
	// Per cause: count the groups, then read each group's longest-waiting
	// rows through LATERAL, so every group reads only its first rows from
	// its (partial) index instead of sorting every stuck journey.
	branch := func(cause, reason, waiting, filter, groupBy, match string) string {
		return `SELECT g.cause, g.reason, g.waiting, g.n, r.* FROM (
				SELECT '` + cause + `'::text AS cause, ` + reason + `::text AS reason, ` + waiting + `::text AS waiting, count(*)::int AS n
				FROM journey_view jv WHERE ` + open + ` AND ` + filter + groupBy + `
			) g CROSS JOIN LATERAL (
				SELECT ` + listColumns + `, sc.name FROM journey_view jv
				JOIN students st ON st.id = jv.student_id JOIN schools sc ON sc.id = jv.school_id
				WHERE ` + open + ` AND ` + filter + match + `
				ORDER BY jv.stage_since, jv.journey_id LIMIT ` + limit + `
			) r`
	}
	sql := `SELECT * FROM (` +
		branch(CauseFailing, "jv.stuck_reason", "''", "jv.stuck_reason <> ''", " GROUP BY jv.stuck_reason", " AND jv.stuck_reason = g.reason") +
		` UNION ALL ` +
		// Grouped by whom staff read it waits on: the employer at the MOU gate until it signs.
		branch(CauseOverdue, "jv.stage", waitingOnSQL, "jv.overdue", " GROUP BY jv.stage, 3",
			" AND jv.stage = g.reason AND "+waitingOnSQL+" = g.waiting") +
		` UNION ALL ` +
		branch(CauseUnreachable, "''", "''", "jv.unreachable", " HAVING count(*) > 0", "") +
		`) x ORDER BY array_position(ARRAY['failing','overdue','unreachable'], x.cause), x.n DESC, x.reason, x.waiting,
			x.stage_since, x.journey_id`
	rows, err := s.Pool.Query(ctx, sql, q.args...)
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
			&l.HoursRequired, &l.AskedAt, &l.HoursHeld, &l.StudentNumber, &l.StateID, &l.SchoolName)
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
