package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Funnel counts journeys that reached each milestone, for the dashboard
// and the reports alike. Milestones are set once and never cleared in the
// read model, so each count is at most the one before it (a pilot's
// 447 → 316 → 214 → 213 …).
type Funnel struct {
	SignedUp      int
	SurveyDone    int
	InternReady   int
	Applied       int
	Placed        int
	PermitDone    int
	TrainingsDone int
	Working       int
	Completed     int
	Withdrawn     int
}

// Add sums two funnels (schools into a district total).
func (f Funnel) Add(o Funnel) Funnel {
	return Funnel{f.SignedUp + o.SignedUp, f.SurveyDone + o.SurveyDone, f.InternReady + o.InternReady,
		f.Applied + o.Applied, f.Placed + o.Placed, f.PermitDone + o.PermitDone, f.TrainingsDone + o.TrainingsDone,
		f.Working + o.Working, f.Completed + o.Completed, f.Withdrawn + o.Withdrawn}
}

// SchoolFunnel is one school's funnel: journeys in programs with the
// Intern Ready badge, and apart from them micro-internships (programs
// without the badge), whose students apply without it: counted together,
// more students "applied" than became "Intern Ready".
type SchoolFunnel struct {
	SchoolID   string
	SchoolName string
	Funnel
	// Micro counts journeys in programs without the badge stage; only
	// SignedUp, SurveyDone, Applied, Placed, Completed and Withdrawn apply.
	Micro Funnel
}

// noBadgeSQL holds for a program (p) without the Intern Ready stage:
// micro-internships, or a definition whose stages leave it out.
const noBadgeSQL = `(p.kind = 'micro' OR COALESCE(jsonb_typeof(p.definition->'stages') = 'array'
	AND NOT (p.definition->'stages') ? 'intern_ready', false))`

// FunnelBySchool counts the funnel of every school in scope (one row per
// school with journeys, by name); schoolID, when set, keeps one school.
func (s *Store) FunnelBySchool(ctx context.Context, sc Scope, schoolID string) ([]SchoolFunnel, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	q := &sqlQuery{}
	q.scoped(sc, "jv")
	if schoolID != "" {
		q.and("jv.school_id = " + q.arg(schoolID) + "::uuid")
	}
	// journey_funnel_counts is kept by triggers on journey_view (0251).
	rows, err := s.Pool.Query(ctx, `
		WITH counts AS (
			SELECT jv.school_id, `+noBadgeSQL+` AS micro, sum(signed_up) AS signed_up, sum(survey_done) AS survey_done,
				sum(intern_ready) AS intern_ready, sum(applied) AS applied, sum(placed) AS placed,
				sum(permit_done) AS permit_done, sum(trainings_done) AS trainings_done, sum(working) AS working,
				sum(completed) AS completed, sum(withdrawn) AS withdrawn
			FROM journey_funnel_counts jv JOIN programs p ON p.id = jv.program_id
			WHERE `+q.where()+` GROUP BY jv.school_id, 2 HAVING sum(signed_up) > 0
		)
		SELECT c.school_id::text, sc.name, c.micro, c.signed_up::int, c.survey_done::int, c.intern_ready::int, c.applied::int,
			c.placed::int, c.permit_done::int, c.trainings_done::int, c.working::int, c.completed::int, c.withdrawn::int
		FROM counts c JOIN schools sc ON sc.id = c.school_id ORDER BY sc.name, sc.id, c.micro`, q.args...)
	if err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	defer rows.Close()
	var out []SchoolFunnel
	for rows.Next() {
		var id, name string
		var micro bool
		var f Funnel
		if err := rows.Scan(&id, &name, &micro, &f.SignedUp, &f.SurveyDone, &f.InternReady, &f.Applied, &f.Placed,
			&f.PermitDone, &f.TrainingsDone, &f.Working, &f.Completed, &f.Withdrawn); err != nil {
			return nil, fmt.Errorf("funnel: %w", err)
		}
		if n := len(out); n == 0 || out[n-1].SchoolID != id {
			out = append(out, SchoolFunnel{SchoolID: id, SchoolName: name})
		}
		if micro {
			out[len(out)-1].Micro = f
		} else {
			out[len(out)-1].Funnel = f
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("funnel: %w", err)
	}
	return out, nil
}

// FunnelTotal adds up the schools' funnels, internships and
// micro-internships apart.
func FunnelTotal(rows []SchoolFunnel) SchoolFunnel {
	t := SchoolFunnel{SchoolName: "Total"}
	for _, r := range rows {
		t.Funnel = t.Funnel.Add(r.Funnel)
		t.Micro = t.Micro.Add(r.Micro)
	}
	return t
}

// SchoolName is one school a staff member can filter by.
type SchoolName struct {
	ID   string
	Name string
	// Timezone is the school's own zone ("" when it keeps the district's).
	Timezone string
}

// SchoolsInScope lists the scope's schools by name.
func (s *Store) SchoolsInScope(ctx context.Context, sc Scope) ([]SchoolName, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	sql := `SELECT s.id::text, s.name, COALESCE(s.timezone, '') FROM schools s WHERE s.district_id = $1::uuid
		AND ($2::boolean OR s.id = ANY($3::uuid[])) ORDER BY s.name, s.id`
	rows, err := s.Pool.Query(ctx, sql, sc.DistrictID, sc.SchoolIDs == nil, nonNil(sc.SchoolIDs))
	if err != nil {
		return nil, fmt.Errorf("schools in scope: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[SchoolName])
}

// PlacedBySource counts the placed journeys in scope by how they were
// placed: through a posting, or an internship the student found (the
// funnel's "Placed" split; schoolID, when set, keeps one school).
func (s *Store) PlacedBySource(ctx context.Context, sc Scope, schoolID string) (posting, found int, err error) {
	if err := sc.check(); err != nil {
		return 0, 0, err
	}
	q := &sqlQuery{}
	q.scoped(sc, "jv")
	if schoolID != "" {
		q.and("jv.school_id = " + q.arg(schoolID) + "::uuid")
	}
	err = s.Pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE pl.source = 'posting'), count(*) FILTER (WHERE pl.source = 'student_found')
		FROM journey_view jv JOIN placements pl ON pl.journey_id = jv.journey_id
		WHERE `+q.where(), q.args...).Scan(&posting, &found)
	if err != nil {
		return 0, 0, fmt.Errorf("placed by source: %w", err)
	}
	return posting, found, nil
}
