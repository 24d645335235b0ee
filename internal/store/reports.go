package store

// District reports (internal/reports): every report's SQL, each opened by
// the scoped CTE (the journeys in the caller's scope and their approved
// hours), and the rows they return. reports builds tables, charts and CSV
// from them.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ReportScope is what a report covers: a district, its schools (nil: the
// whole district; empty: no school) and a program year (0: every year).
type ReportScope struct {
	DistrictID  string
	SchoolIDs   []string
	ProgramYear int
}

// reportScopedSQL opens every report's SQL: the journeys in scope ($1
// district, $2 all schools, $3 school ids, $4 program year or 0) and
// their approved timesheet hours. Reports add their SELECT after it.
const reportScopedSQL = `
WITH scoped AS (
    SELECT jv.*, p.program_year FROM journey_view jv JOIN programs p ON p.id = jv.program_id
    WHERE jv.district_id = $1 AND ($2::boolean OR jv.school_id = ANY($3::uuid[]))
      AND ($4::int = 0 OR p.program_year = $4::int)
), approved AS (
    SELECT t.journey_id, sum(t.hours_total) AS hours FROM timesheets t JOIN scoped s ON s.journey_id = t.journey_id
    WHERE t.status = 'approved' GROUP BY t.journey_id
)`

// report runs a report's SQL (after the scoped CTE) with the scope's
// arguments and then extra ones ($5, ...), collecting rows with scan.
func report[T any](ctx context.Context, s *Store, sc ReportScope, sql string, scan func(pgx.CollectableRow) (T, error), extra ...any) ([]T, error) {
	schools := sc.SchoolIDs
	if schools == nil {
		schools = []string{}
	}
	args := append([]any{sc.DistrictID, sc.SchoolIDs == nil, schools, sc.ProgramYear}, extra...)
	rows, err := s.Pool.Query(ctx, reportScopedSQL+sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scan)
}

// ratio is part/whole, 0 when there is no whole.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// CompletionRow is how a school's journeys ended, or have not yet.
type CompletionRow struct {
	SchoolID  string
	School    string
	Journeys  int
	Placed    int
	Completed int
	Withdrawn int
	Open      int
}

// Rate is completed ÷ placed: of the students who got a placement, the
// share who finished it. RateOfAll is completed ÷ every journey.
func (c CompletionRow) Rate() float64 { return ratio(c.Completed, c.Placed) }

// RateOfAll is completed ÷ journeys.
func (c CompletionRow) RateOfAll() float64 { return ratio(c.Completed, c.Journeys) }

const completionBySchoolSQL = `
		SELECT sc.id::text, sc.name, count(*), count(s.placed_at), count(s.completed_at), count(s.withdrawn_at),
			count(*) FILTER (WHERE s.stage NOT IN ('completed', 'withdrawn'))
		FROM scoped s JOIN schools sc ON sc.id = s.school_id
		GROUP BY sc.id, sc.name ORDER BY sc.name, sc.id`

// ReportCompletionBySchool counts outcomes per school.
func (s *Store) ReportCompletionBySchool(ctx context.Context, sc ReportScope) ([]CompletionRow, error) {
	rows, err := report(ctx, s, sc, completionBySchoolSQL,
		func(r pgx.CollectableRow) (CompletionRow, error) {
			var c CompletionRow
			err := r.Scan(&c.SchoolID, &c.School, &c.Journeys, &c.Placed, &c.Completed, &c.Withdrawn, &c.Open)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("completion: %w", err)
	}
	return rows, nil
}

// FeedbackRow is what one employer's interns of one program year and
// their supervisors said at the end: the employer's ratings (averaged per
// skill over the feedback given), how many students wrote a reflection,
// and the employer's comments.
type FeedbackRow struct {
	EmployerID  string
	Employer    string
	ProgramYear int
	Placements  int
	Feedback    int // placements with the employer's feedback
	Reflections int
	// Averages are per skill in the order asked for; NaN when no
	// feedback rated it.
	Averages []float64
	Comments []string
}

// feedbackByEmployer's SQL has one average column per skill between its
// head and tail; the skill names are bound as parameters ($5...), never
// written into the SQL.
const (
	feedbackByEmployerHead = `
		SELECT e.id::text, e.name, s.program_year, count(*), count(fb.journey_id), count(r.journey_id),
			`
	feedbackByEmployerTail = `,
			COALESCE(array_agg(btrim(fb.comment) ORDER BY fb.submitted_at) FILTER (WHERE btrim(fb.comment) <> ''), '{}')
		FROM placements pl JOIN scoped s ON s.journey_id = pl.journey_id JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN employer_feedback fb ON fb.journey_id = pl.journey_id
		LEFT JOIN reflections r ON r.journey_id = pl.journey_id
		GROUP BY e.id, e.name, s.program_year ORDER BY s.program_year DESC, e.name, e.id`
)

// ReportFeedbackByEmployer groups placements in scope by employer and
// program year, newest year first, averaging the ratings of skills.
func (s *Store) ReportFeedbackByEmployer(ctx context.Context, sc ReportScope, skills []string) ([]FeedbackRow, error) {
	var avgs []string
	var args []any
	for i, skill := range skills {
		avgs = append(avgs, fmt.Sprintf("COALESCE(avg((fb.ratings->>$%d::text)::numeric), 'NaN')::float8", 5+i))
		args = append(args, skill)
	}
	rows, err := report(ctx, s, sc, feedbackByEmployerHead+strings.Join(avgs, ", ")+feedbackByEmployerTail,
		func(r pgx.CollectableRow) (FeedbackRow, error) {
			fr := FeedbackRow{Averages: make([]float64, len(skills))}
			dest := []any{&fr.EmployerID, &fr.Employer, &fr.ProgramYear, &fr.Placements, &fr.Feedback, &fr.Reflections}
			for i := range fr.Averages {
				dest = append(dest, &fr.Averages[i])
			}
			err := r.Scan(append(dest, &fr.Comments)...)
			return fr, err
		}, args...)
	if err != nil {
		return nil, fmt.Errorf("feedback by employer: %w", err)
	}
	return rows, nil
}

// FunnelRow counts a group's journeys that reached each milestone. The
// read model's milestones are set once and never cleared, so each count
// is at most the one before it.
type FunnelRow struct {
	Key   string // school id or pathway
	Label string
	Funnel
}

const reportFunnelCounts = `count(*), count(s.survey_done_at), count(s.intern_ready_at), count(s.applied_at), count(s.placed_at),
    count(s.permit_done_at), count(s.trainings_done_at), count(s.working_at), count(s.completed_at)`

// ReportNoPathway labels journeys whose survey (where the pathway is
// chosen) is not in yet.
const ReportNoPathway = "(no survey yet)"

const (
	funnelBySchoolSQL = `
		SELECT sc.id::text, sc.name, ` + reportFunnelCounts + `
		FROM scoped s JOIN schools sc ON sc.id = s.school_id
		GROUP BY sc.id, sc.name ORDER BY sc.name, sc.id`
	funnelByPathwaySQL = `
		SELECT COALESCE(sr.pathway, ''), COALESCE(sr.pathway, '` + ReportNoPathway + `'), ` + reportFunnelCounts + `
		FROM scoped s LEFT JOIN survey_responses sr ON sr.journey_id = s.journey_id
		GROUP BY sr.pathway ORDER BY sr.pathway NULLS LAST`
)

// ReportFunnelBySchool is the funnel per school, by school name.
func (s *Store) ReportFunnelBySchool(ctx context.Context, sc ReportScope) ([]FunnelRow, error) {
	rows, err := report(ctx, s, sc, funnelBySchoolSQL, scanFunnel)
	if err != nil {
		return nil, fmt.Errorf("funnel by school: %w", err)
	}
	return rows, nil
}

// ReportFunnelByPathway is the funnel per career pathway from the
// interest survey.
func (s *Store) ReportFunnelByPathway(ctx context.Context, sc ReportScope) ([]FunnelRow, error) {
	rows, err := report(ctx, s, sc, funnelByPathwaySQL, scanFunnel)
	if err != nil {
		return nil, fmt.Errorf("funnel by pathway: %w", err)
	}
	return rows, nil
}

func scanFunnel(r pgx.CollectableRow) (FunnelRow, error) {
	var f FunnelRow
	err := r.Scan(&f.Key, &f.Label, &f.SignedUp, &f.SurveyDone, &f.InternReady, &f.Applied, &f.Placed,
		&f.PermitDone, &f.TrainingsDone, &f.Working, &f.Completed)
	return f, err
}

// PhaseCount is how many of a school's journeys reached Phase (0 getting
// ready, 1 applied, 2 placed, 3 working, 4 completed) and no further.
type PhaseCount struct {
	Key, Label string
	Phase      int
	Journeys   int
}

const phasesBySchoolSQL = `
		, phased AS (
			SELECT s.school_id, CASE WHEN s.completed_at IS NOT NULL THEN 4 WHEN s.working_at IS NOT NULL THEN 3
				WHEN s.placed_at IS NOT NULL THEN 2 WHEN s.applied_at IS NOT NULL THEN 1 ELSE 0 END AS phase
			FROM scoped s
		)
		SELECT sc.id::text, sc.name, p.phase, count(*)
		FROM phased p JOIN schools sc ON sc.id = p.school_id
		GROUP BY sc.id, sc.name, p.phase ORDER BY sc.name, sc.id, p.phase`

// ReportPhasesBySchool counts each school's journeys by furthest phase,
// by school name and phase. Milestones are tested from the last back, so
// a journey whose earlier step was waived still counts where it got to.
func (s *Store) ReportPhasesBySchool(ctx context.Context, sc ReportScope) ([]PhaseCount, error) {
	cells, err := report(ctx, s, sc, phasesBySchoolSQL,
		func(r pgx.CollectableRow) (PhaseCount, error) {
			var c PhaseCount
			err := r.Scan(&c.Key, &c.Label, &c.Phase, &c.Journeys)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("phases by school: %w", err)
	}
	return cells, nil
}

// StudentHours is one student's approved hours against what their
// placements require.
type StudentHours struct {
	StudentID     string
	SourceID      string
	FirstName     string
	LastName      string
	School        string
	HoursApproved float64
	HoursRequired float64
	Completed     bool
}

const hoursPerStudentSQL = `
		SELECT st.id::text, COALESCE(st.source_id, ''), st.first_name, st.last_name, sc.name,
			COALESCE(sum(a.hours), 0)::float8, COALESCE(sum(COALESCE(pl.hours_required, s.hours_required)), 0)::float8,
			bool_or(s.completed_at IS NOT NULL)
		FROM scoped s JOIN students st ON st.id = s.student_id JOIN schools sc ON sc.id = s.school_id
		LEFT JOIN approved a ON a.journey_id = s.journey_id
		LEFT JOIN placements pl ON pl.journey_id = s.journey_id
		GROUP BY st.id, sc.name ORDER BY sc.name, st.last_name, st.first_name, st.id`

// ReportHoursPerStudent lists every student with a journey in scope and
// the timesheet hours approved for them. Required hours come from the
// placement, else from the journey's program.
func (s *Store) ReportHoursPerStudent(ctx context.Context, sc ReportScope) ([]StudentHours, error) {
	rows, err := report(ctx, s, sc, hoursPerStudentSQL,
		func(r pgx.CollectableRow) (StudentHours, error) {
			var h StudentHours
			err := r.Scan(&h.StudentID, &h.SourceID, &h.FirstName, &h.LastName, &h.School,
				&h.HoursApproved, &h.HoursRequired, &h.Completed)
			return h, err
		})
	if err != nil {
		return nil, fmt.Errorf("hours per student: %w", err)
	}
	return rows, nil
}

// ChannelRow counts outbox messages on one channel by what became of them.
type ChannelRow struct {
	Channel string
	// Total is every message intended, whatever happened to it.
	Total int
	// Queued are waiting to go (queued or being sent).
	Queued int
	// Sent left us: the provider accepted them (delivered ones included).
	Sent      int
	Delivered int
	// Failed could not be sent or delivered (failed, undeliverable).
	Failed int
	// Suppressed were never sent: opted out, or the address is known bad.
	Suppressed int
}

// DeliveryRate is delivered ÷ sent.
func (c ChannelRow) DeliveryRate() float64 { return ratio(c.Delivered, c.Sent) }

const messagesByChannelSQL = `
		, msgs AS (
			SELECT m.channel, m.status, m.sent_at FROM messages m
			WHERE m.district_id = $1 AND ($2::boolean OR m.school_id = ANY($3::uuid[]))
			  AND ($4::int = 0 OR m.journey_id IN (SELECT journey_id FROM scoped))
		)
		SELECT ch.channel, count(m.status),
			count(*) FILTER (WHERE m.status IN ('queued', 'sending')),
			count(*) FILTER (WHERE m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered')),
			count(*) FILTER (WHERE m.status = 'delivered'),
			count(*) FILTER (WHERE m.status IN ('failed', 'undeliverable')),
			count(*) FILTER (WHERE m.status = 'suppressed')
		FROM (VALUES ('sms', 1), ('email', 2)) AS ch(channel, ord)
		LEFT JOIN msgs m ON m.channel = ch.channel
		GROUP BY ch.channel, ch.ord ORDER BY ch.ord`

// ReportMessagesByChannel counts the scope's messages per channel, both
// channels listed even when zero. With a program year, only messages
// about that year's journeys count.
func (s *Store) ReportMessagesByChannel(ctx context.Context, sc ReportScope) ([]ChannelRow, error) {
	rows, err := report(ctx, s, sc, messagesByChannelSQL,
		func(r pgx.CollectableRow) (ChannelRow, error) {
			var c ChannelRow
			err := r.Scan(&c.Channel, &c.Total, &c.Queued, &c.Sent, &c.Delivered, &c.Failed, &c.Suppressed)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("messages by channel: %w", err)
	}
	return rows, nil
}

// OptOutRow counts addresses that may no longer be messaged, by channel,
// reason and whose address it is.
type OptOutRow struct {
	Channel string
	Reason  string
	// Person is "student" or "guardian".
	Person string
	Count  int
}

const optOutsSQL = `
		, people AS (
			SELECT 'student' AS person, st.phone, st.email FROM students st
			WHERE st.district_id = $1 AND ($2::boolean OR st.school_id = ANY($3::uuid[]))
			UNION ALL
			SELECT 'guardian', g.phone, g.email FROM guardians g JOIN students st ON st.id = g.student_id
			WHERE st.district_id = $1 AND ($2::boolean OR st.school_id = ANY($3::uuid[]))
		), matched AS (
			SELECT DISTINCT o.channel, o.reason, p.person, o.address FROM contact_optouts o
			JOIN people p ON (o.channel = 'sms' AND p.phone = o.address) OR (o.channel = 'email' AND p.email = o.address)
		)
		SELECT channel, reason, person, count(*) FROM matched
		GROUP BY channel, reason, person ORDER BY channel DESC, reason, person`

// ReportOptOuts counts opt-outs (STOP replies, unsubscribes, bounces) of
// the scope's students' and guardians' addresses. Opt-outs are not tied
// to a program year, so the year does not apply.
func (s *Store) ReportOptOuts(ctx context.Context, sc ReportScope) ([]OptOutRow, error) {
	rows, err := report(ctx, s, sc, optOutsSQL,
		func(r pgx.CollectableRow) (OptOutRow, error) {
			var o OptOutRow
			err := r.Scan(&o.Channel, &o.Reason, &o.Person, &o.Count)
			return o, err
		})
	if err != nil {
		return nil, fmt.Errorf("opt-outs: %w", err)
	}
	return rows, nil
}

// PerkinsRow is the Perkins V work-based learning count for one school
// (School "" is the district total, counting each student once).
type PerkinsRow struct {
	School string
	// Participants are students with a journey in scope.
	Participants int
	// Completed are students with a completed journey whose approved
	// timesheet hours reach the placement's required hours: waived hours do
	// not count toward a work-based learning experience.
	Completed int
}

// Share is Completed ÷ Participants.
func (p PerkinsRow) Share() float64 { return ratio(p.Completed, p.Participants) }

const perkinsSQL = `
		, outcome AS (
			SELECT s.student_id, s.school_id, s.completed_at IS NOT NULL
				AND COALESCE(a.hours, 0) >= COALESCE(pl.hours_required, s.hours_required) AS completed
			FROM scoped s LEFT JOIN approved a ON a.journey_id = s.journey_id
			LEFT JOIN placements pl ON pl.journey_id = s.journey_id
		)
		SELECT COALESCE(sc.name, ''), count(DISTINCT o.student_id), count(DISTINCT o.student_id) FILTER (WHERE o.completed)
		FROM outcome o JOIN schools sc ON sc.id = o.school_id
		GROUP BY GROUPING SETS ((sc.id, sc.name), ()) ORDER BY GROUPING(sc.id), sc.name, sc.id`

// ReportPerkins counts students who completed a work-based learning
// experience, per school and in total.
func (s *Store) ReportPerkins(ctx context.Context, sc ReportScope) ([]PerkinsRow, error) {
	rows, err := report(ctx, s, sc, perkinsSQL,
		func(r pgx.CollectableRow) (PerkinsRow, error) {
			var p PerkinsRow
			err := r.Scan(&p.School, &p.Participants, &p.Completed)
			return p, err
		})
	if err != nil {
		return nil, fmt.Errorf("perkins: %w", err)
	}
	return rows, nil
}

// FundingRow counts placements of one value of a placements column
// (funding source, or how the student was placed).
type FundingRow struct {
	Source        string
	Label         string
	Placements    int
	Working       int
	Completed     int
	HoursApproved float64
}

// placementsBy's SQL joins on one placements column between its head
// and tail.
const (
	placementsByHead = `
		SELECT v.value, count(pl.id), count(s.working_at), count(s.completed_at), COALESCE(sum(a.hours), 0)::float8
		FROM unnest($5::text[]) WITH ORDINALITY AS v(value, ord)
		LEFT JOIN (placements pl JOIN scoped s ON s.journey_id = pl.journey_id) ON pl.`
	placementsByTail = ` = v.value
		LEFT JOIN approved a ON a.journey_id = pl.journey_id
		GROUP BY v.value, v.ord ORDER BY v.ord`
)

// placementsColumns are the placements columns a report may count by.
var placementsColumns = map[string]bool{"funding_source": true, "source": true}

// ReportPlacementsBy counts placements, working and completed students
// and approved hours per value of one placements column ("funding_source"
// or "source"), in the order given, every value listed even when zero.
func (s *Store) ReportPlacementsBy(ctx context.Context, sc ReportScope, column string, values []string) ([]FundingRow, error) {
	if !placementsColumns[column] {
		return nil, fmt.Errorf("placements by %s: not a column reports count by", column)
	}
	rows, err := report(ctx, s, sc, placementsByHead+column+placementsByTail,
		func(r pgx.CollectableRow) (FundingRow, error) {
			var fr FundingRow
			err := r.Scan(&fr.Source, &fr.Placements, &fr.Working, &fr.Completed, &fr.HoursApproved)
			return fr, err
		}, values)
	if err != nil {
		return nil, fmt.Errorf("placements by %s: %w", column, err)
	}
	return rows, nil
}

// StageRow is how long open journeys have sat in one stage.
type StageRow struct {
	Stage      string
	Open       int
	Overdue    int
	MedianDays float64
	MaxDays    float64
	// Spread counts the open journeys per range of days in stage: under a
	// week, one to two weeks, two weeks to a month, longer.
	Spread []int
}

const stuckByStageSQL = `
		, waits AS (
			SELECT s.stage, s.overdue, extract(epoch FROM $5::timestamptz - s.stage_since) / 86400 AS days
			FROM scoped s WHERE s.stage NOT IN ('completed', 'withdrawn')
		)
		SELECT stage, count(*), count(*) FILTER (WHERE overdue),
			percentile_cont(0.5) WITHIN GROUP (ORDER BY days), max(days)::float8,
			count(*) FILTER (WHERE days < 7), count(*) FILTER (WHERE days >= 7 AND days < 14),
			count(*) FILTER (WHERE days >= 14 AND days < 30), count(*) FILTER (WHERE days >= 30)
		FROM waits GROUP BY stage ORDER BY array_position($6::text[], stage)`

// ReportStuckByStage gives, for open journeys per stage (in the order of
// stages), the median and longest time since they entered it (now −
// stage_since), in days.
func (s *Store) ReportStuckByStage(ctx context.Context, sc ReportScope, now time.Time, stages []string) ([]StageRow, error) {
	rows, err := report(ctx, s, sc, stuckByStageSQL,
		func(r pgx.CollectableRow) (StageRow, error) {
			sr := StageRow{Spread: make([]int, 4)}
			err := r.Scan(&sr.Stage, &sr.Open, &sr.Overdue, &sr.MedianDays, &sr.MaxDays,
				&sr.Spread[0], &sr.Spread[1], &sr.Spread[2], &sr.Spread[3])
			return sr, err
		}, now, stages)
	if err != nil {
		return nil, fmt.Errorf("stuck by stage: %w", err)
	}
	return rows, nil
}
