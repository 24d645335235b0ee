package store

import (
	"context"
	"fmt"
	"time"
)

// ProjectMember is one student on a micro-internship project.
type ProjectMember struct {
	JourneyID  string
	SchoolID   string
	FirstName  string
	LastName   string
	Stage      string
	WaitingOn  string
	StageSince time.Time
	// AskedAt is when the party now waited on was asked.
	AskedAt time.Time
	Overdue bool
	Hours   float64
}

// Project is a micro-internship project and the students on it: one
// teacher may oversee thirty of them, so they are read by project.
type Project struct {
	Title   string
	Members []ProjectMember
	// ByStage counts members per stage.
	ByStage map[string]int
}

// maxProjectMembers bounds what one page loads; projects are small.
const maxProjectMembers = 5000

// Projects lists the open and finished micro-internship placements in
// scope, grouped by project, overdue students first within each.
func (s *Store) Projects(ctx context.Context, sc Scope) ([]Project, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	q := &sqlQuery{}
	q.scoped(sc, "jv")
	q.and("jv.project_title <> ''")
	q.and("p.kind = 'micro'")
	rows, err := s.Pool.Query(ctx, `SELECT jv.project_title, jv.journey_id, jv.school_id, st.first_name, st.last_name, jv.stage,
			jv.waiting_on, jv.stage_since, COALESCE(jv.waiting_since, jv.stage_since), jv.overdue, jv.hours_approved::float8
		FROM journey_view jv JOIN students st ON st.id = jv.student_id JOIN programs p ON p.id = jv.program_id
		WHERE `+q.where()+` AND jv.stage <> 'withdrawn'
		ORDER BY jv.project_title, jv.overdue DESC, jv.stage_since LIMIT `+fmt.Sprint(maxProjectMembers), q.args...)
	if err != nil {
		return nil, fmt.Errorf("projects: %w", err)
	}
	defer rows.Close()
	var out []Project
	for rows.Next() {
		var title string
		var m ProjectMember
		if err := rows.Scan(&title, &m.JourneyID, &m.SchoolID, &m.FirstName, &m.LastName, &m.Stage, &m.WaitingOn,
			&m.StageSince, &m.AskedAt, &m.Overdue, &m.Hours); err != nil {
			return nil, fmt.Errorf("projects: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Title != title {
			out = append(out, Project{Title: title, ByStage: map[string]int{}})
		}
		p := &out[len(out)-1]
		p.Members = append(p.Members, m)
		p.ByStage[m.Stage]++
	}
	return out, rows.Err()
}
