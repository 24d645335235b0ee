// Package synthetic loads a district's worth of made-up journeys straight
// into the read model (no workflows run), for the dashboard benchmarks, the
// load tests' preload and tests that need a school to look full.
package synthetic

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// Options sizes a synthetic district: read-model rows, students,
// timelines and years of audit rows, loaded with COPY (no workflows run).
type Options struct {
	Schools   int // default 40
	Journeys  int // default 50,000
	AuditRows int // default 2,000,000, spread over AuditYears
	// AuditYears of history end now (default 5).
	AuditYears int
	// EventsPerJourney and MessagesPerJourney fill student timelines
	// (defaults 6 and 4).
	EventsPerJourney   int
	MessagesPerJourney int
	Seed               uint64
	// Into, when set, adds the journeys to these existing schools and
	// program of its district instead of creating a district.
	Into *District
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Schools, 40)
	def(&o.Journeys, 50_000)
	def(&o.AuditRows, 2_000_000)
	def(&o.AuditYears, 5)
	def(&o.EventsPerJourney, 6)
	def(&o.MessagesPerJourney, 4)
	return o
}

// District is what Load created.
type District struct {
	DistrictID string
	SchoolIDs  []string
	ProgramID  string
	// JourneyIDs by school, in creation order.
	JourneyIDs map[string][]string
}

// Load creates a district of o.Journeys journeys across o.Schools
// schools whose read-model rows follow a realistic funnel (most drop off
// early; some are overdue, a few failing or unreachable), with students,
// timelines, messages and audit history. Benchmarks only: it drops and
// rebuilds the secondary indexes of the tables it fills, which is how a
// bulk load is fast (building an index once beats inserting into it
// millions of times).
func Load(ctx context.Context, pool *pgxpool.Pool, o Options) (District, error) {
	o = o.withDefaults()
	g := &synth{o: o, rnd: rand.New(rand.NewPCG(o.Seed, 7)), now: time.Now().UTC()}
	d, err := g.skeleton(ctx, pool)
	if err != nil {
		return d, err
	}
	g.plan(d)
	steps := []struct {
		table string
		cols  []string
		rows  func() [][]any
	}{
		{"students", []string{"id", "district_id", "school_id", "first_name", "last_name", "grade", "phone", "language"}, g.students},
		{"journeys", []string{"id", "student_id", "program_id", "program_year", "workflow_id", "status", "created_at"}, g.journeys},
		{"journey_view", viewCopyColumns, g.views},
		{"journey_events", []string{"journey_id", "seq", "kind", "stage", "actor_kind", "actor_ref", "at"}, g.events},
		{"messages", []string{"idem_key", "district_id", "school_id", "journey_id", "recipient_kind", "recipient_ref",
			"channel", "to_address", "template", "status", "created_at", "sent_at"}, g.messages},
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return d, err
	}
	defer conn.Release()
	// Index builds sort in memory instead of spilling to disk.
	if _, err := conn.Exec(ctx, `SET maintenance_work_mem = '512MB'`); err != nil {
		return d, err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `RESET maintenance_work_mem`) //nolint:errcheck
	db := conn.Conn()
	for _, s := range steps {
		err := withoutIndexes(ctx, db, s.table, func() error {
			_, err := db.CopyFrom(ctx, pgx.Identifier{s.table}, s.cols, pgx.CopyFromRows(s.rows()))
			return err
		})
		if err != nil {
			return d, fmt.Errorf("copy %s: %w", s.table, err)
		}
	}
	if err := withoutIndexes(ctx, db, "audit_log", func() error { return g.audit(ctx, db) }); err != nil {
		return d, err
	}
	_, err = db.Exec(ctx, `ANALYZE`)
	return d, err
}

type synth struct {
	o    Options
	rnd  *rand.Rand
	now  time.Time
	d    District
	js   []synthJourney
	year int
}

type synthJourney struct {
	id, student, school string
	view                store.JourneyView
}

func (g *synth) skeleton(ctx context.Context, pool *pgxpool.Pool) (District, error) {
	d := District{JourneyIDs: map[string][]string{}}
	g.year = g.now.Year()
	if in := g.o.Into; in != nil {
		d.DistrictID, d.ProgramID, d.SchoolIDs = in.DistrictID, in.ProgramID, in.SchoolIDs
		err := pool.QueryRow(ctx, `SELECT program_year FROM programs WHERE id = $1`, d.ProgramID).Scan(&g.year)
		return d, err
	}
	err := pool.QueryRow(ctx, `INSERT INTO districts (name) VALUES ('Synthetic Unified') RETURNING id`).Scan(&d.DistrictID)
	if err == nil {
		err = pool.QueryRow(ctx, `INSERT INTO programs (district_id, name, kind, program_year) VALUES ($1, 'Summer', 'summer_paid', $2)
			RETURNING id`, d.DistrictID, g.year).Scan(&d.ProgramID)
	}
	for i := 0; err == nil && i < g.o.Schools; i++ {
		var id string
		err = pool.QueryRow(ctx, `INSERT INTO schools (district_id, name) VALUES ($1, $2) RETURNING id`,
			d.DistrictID, fmt.Sprintf("%s High School", schoolNames[i%len(schoolNames)])+suffix(i)).Scan(&id)
		d.SchoolIDs = append(d.SchoolIDs, id)
	}
	if err != nil {
		return d, fmt.Errorf("synthetic district: %w", err)
	}
	return d, nil
}

func suffix(i int) string {
	if i < len(schoolNames) {
		return ""
	}
	return fmt.Sprintf(" %d", i/len(schoolNames)+1)
}

// plan draws every journey's read-model row.
func (g *synth) plan(d District) {
	g.d = d
	g.js = make([]synthJourney, g.o.Journeys)
	for i := range g.js {
		school := d.SchoolIDs[i%len(d.SchoolIDs)]
		j := synthJourney{id: uuid.NewString(), student: uuid.NewString(), school: school}
		j.view = g.view(j)
		g.js[i] = j
		g.d.JourneyIDs[school] = append(g.d.JourneyIDs[school], j.id)
	}
}

// retention is the share of journeys reaching each milestone in order
// (survey, intern ready, applied, placed, permit, trainings, working,
// completed): shaped like a pilot's 447 → 316 → 214 → 213 → ….
var retention = []float64{0.71, 0.48, 0.47, 0.30, 0.27, 0.25, 0.24, 0.18}

// stageAfter is the stage a journey sits in after reaching n milestones,
// and who it then waits on.
var stageAfter = []struct {
	stage   string
	waiting []string
}{
	{"survey", []string{"student"}},
	{"intern_ready", []string{"student", "student", "coordinator"}},
	{"applying", []string{"student"}},
	{"applying", []string{"employer", "student"}},
	{"work_permit", []string{"guardian", "employer", "student", "permit_issuer", "mou"}},
	{"trainings", []string{"student"}},
	{"working", []string{"student", "employer"}},
	{"completing", []string{"student", "employer"}},
	{"completed", []string{""}},
}

func (g *synth) view(j synthJourney) store.JourneyView {
	v := store.JourneyView{JourneyID: j.id, StudentID: j.student, DistrictID: g.d.DistrictID, SchoolID: j.school,
		ProgramID: g.d.ProgramID, UpdatedSeq: 1, HoursRequired: 100}
	reached := 0
	for reached < len(retention) && g.rnd.Float64() < retention[reached]/max(prev(reached), 0.01) {
		reached++
	}
	at := g.now.Add(-time.Duration(150+g.rnd.IntN(30)) * 24 * time.Hour)
	marks := []**time.Time{&v.SurveyDoneAt, &v.InternReadyAt, &v.AppliedAt, &v.PlacedAt, &v.PermitDoneAt,
		&v.TrainingsDoneAt, &v.WorkingAt, &v.CompletedAt}
	for i := 0; i < reached; i++ {
		at = at.Add(time.Duration(1+g.rnd.IntN(14*24)) * time.Hour)
		t := at
		*marks[i] = &t
	}
	s := stageAfter[reached]
	v.Stage, v.WaitingOn, v.StageSince = s.stage, s.waiting[g.rnd.IntN(len(s.waiting))], at
	if v.Stage == "work_permit" && v.WaitingOn == "mou" {
		v.Stage = "mou_gate"
	}
	g.troubles(&v)
	return v
}

// prev is the share that reached the milestone before n (1 for the first).
func prev(n int) float64 {
	if n == 0 {
		return 1
	}
	return retention[n-1]
}

// troubles withdraws some journeys and marks open ones overdue, failing
// or unreachable at realistic rates.
func (g *synth) troubles(v *store.JourneyView) {
	if v.Stage == "completed" {
		return
	}
	r := g.rnd.Float64()
	switch {
	case r < 0.06:
		t := v.StageSince.Add(48 * time.Hour)
		v.Stage, v.WaitingOn, v.WithdrawnAt, v.StageSince = "withdrawn", "", &t, t
		return
	case r < 0.22:
		v.Overdue = true
	}
	if g.rnd.Float64() < 0.004 {
		v.StuckReason = "failed:record"
	}
	if g.rnd.Float64() < 0.01 {
		v.Unreachable = true
	}
	if v.WorkingAt != nil {
		v.HoursApproved = float64(g.rnd.IntN(100))
	}
	next := g.now.Add(time.Duration(g.rnd.IntN(72)) * time.Hour)
	v.NextNudgeAt = &next
}

var firstNames = []string{"Ana", "Ben", "Chloe", "Diego", "Ella", "Farah", "Gabriel", "Hana", "Isaac", "Jasmine",
	"Kevin", "Lucia", "Marcus", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Samuel", "Tran", "Uma", "Victor",
	"Wen", "Ximena", "Yusuf", "Zoe"}

var lastNames = []string{"Reyes", "Okafor", "Nguyen", "Martinez", "Johnson", "Haddad", "Garcia", "Kim", "Patel",
	"Smith", "Lopez", "Chen", "Williams", "Hernandez", "Brown", "Singh", "Davis", "Ramirez", "Wilson", "Torres",
	"Ali", "Moore", "Flores", "Lee", "Ortiz", "Khan", "Rivera", "Scott", "Baker", "Cruz"}

var schoolNames = []string{"Lincoln", "Roosevelt", "Washington", "Jefferson", "Kennedy", "Madison", "Franklin",
	"Hamilton", "Adams", "Monroe", "Jackson", "Grant", "Hoover", "Wilson", "Truman", "Chavez", "King", "Parks",
	"Tubman", "Douglass"}

func (g *synth) students() [][]any {
	rows := make([][]any, len(g.js))
	for i, j := range g.js {
		lang := "en"
		if g.rnd.IntN(4) == 0 {
			lang = "es"
		}
		rows[i] = []any{j.student, g.d.DistrictID, j.school, firstNames[g.rnd.IntN(len(firstNames))],
			lastNames[g.rnd.IntN(len(lastNames))], int16(9 + g.rnd.IntN(4)), fmt.Sprintf("+1555%07d", i), lang}
	}
	return rows
}

func (g *synth) journeys() [][]any {
	rows := make([][]any, len(g.js))
	for i, j := range g.js {
		status := "open"
		switch j.view.Stage {
		case "completed", "withdrawn":
			status = j.view.Stage
		}
		rows[i] = []any{j.id, j.student, g.d.ProgramID, g.year, workflows.JourneyWorkflowID(j.id), status,
			j.view.StageSince.Add(-200 * 24 * time.Hour)}
	}
	return rows
}

var viewCopyColumns = []string{"journey_id", "student_id", "district_id", "school_id", "program_id", "stage",
	"waiting_on", "waiting_detail", "stage_since", "overdue", "next_nudge_at", "hours_approved", "hours_required",
	"unreachable", "stuck_reason", "survey_done_at", "intern_ready_at", "applied_at", "placed_at", "permit_done_at",
	"trainings_done_at", "working_at", "completed_at", "withdrawn_at", "updated_seq"}

func (g *synth) views() [][]any {
	rows := make([][]any, len(g.js))
	for i, j := range g.js {
		v := j.view
		rows[i] = []any{v.JourneyID, v.StudentID, v.DistrictID, v.SchoolID, v.ProgramID, v.Stage, v.WaitingOn,
			v.Stage, v.StageSince, v.Overdue, v.NextNudgeAt, v.HoursApproved, v.HoursRequired, v.Unreachable,
			v.StuckReason, v.SurveyDoneAt, v.InternReadyAt, v.AppliedAt, v.PlacedAt, v.PermitDoneAt,
			v.TrainingsDoneAt, v.WorkingAt, v.CompletedAt, v.WithdrawnAt, v.UpdatedSeq}
	}
	return rows
}

var eventKinds = []string{"enrolled", "survey_submitted", "nudged", "uploaded_resume", "uploaded_cover_letter",
	"badge_approved", "applied", "offer_accepted", "permit_signed"}

func (g *synth) events() [][]any {
	var rows [][]any
	for _, j := range g.js {
		at := j.view.StageSince.Add(-30 * 24 * time.Hour)
		for seq := 1; seq <= g.o.EventsPerJourney; seq++ {
			at = at.Add(time.Duration(1+g.rnd.IntN(96)) * time.Hour)
			rows = append(rows, []any{j.id, int64(seq), eventKinds[(seq-1)%len(eventKinds)], "survey", "student", j.student, at})
		}
	}
	return rows
}

var messageTemplates = []string{"survey_invite", "survey_reminder", "badge_reminder", "permit_sign"}

func (g *synth) messages() [][]any {
	var rows [][]any
	for i, j := range g.js {
		at := j.view.StageSince.Add(-20 * 24 * time.Hour)
		for k := 0; k < g.o.MessagesPerJourney; k++ {
			at = at.Add(time.Duration(1+g.rnd.IntN(72)) * time.Hour)
			rows = append(rows, []any{fmt.Sprintf("synthetic:%s:%d", j.id, k), g.d.DistrictID, j.school, j.id,
				"student", j.student, "sms", fmt.Sprintf("+1555%07d", i), messageTemplates[k%len(messageTemplates)],
				"delivered", at, at})
		}
	}
	return rows
}

// audit generates years of audit rows in the database itself (millions of
// rows need not cross the wire), each about a random journey of the
// district, at a random time in the last AuditYears.
func (g *synth) audit(ctx context.Context, db *pgx.Conn) error {
	_, err := db.Exec(ctx, `
		WITH j AS (SELECT array_agg(journey_id ORDER BY journey_id) AS ids, array_agg(school_id ORDER BY journey_id) AS schools
			FROM journey_view WHERE district_id = $1),
		acts AS (SELECT ARRAY['survey_submitted','nudged','badge_approved','waived','signed_in','link_opened','permit_decided'] AS a)
		INSERT INTO audit_log (at, district_id, school_id, actor_kind, actor_ref, action, entity_kind, entity_id)
		SELECT now() - random() * make_interval(days => 365 * $3), $1, j.schools[k], 'staff', '', acts.a[1 + (n % 7)],
			'journey', j.ids[k]::text
		FROM j, acts, generate_series(1, $2) AS n, LATERAL (SELECT 1 + floor(random() * cardinality(j.ids))::int AS k) r`,
		g.d.DistrictID, g.o.AuditRows, g.o.AuditYears)
	if err != nil {
		return fmt.Errorf("generate audit_log: %w", err)
	}
	return nil
}

// withoutIndexes drops table's secondary indexes (not those behind a
// primary key or unique constraint), runs load, and builds them again from
// their own definitions.
func withoutIndexes(ctx context.Context, db *pgx.Conn, table string, load func() error) error {
	rows, err := db.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
		WHERE i.indrelid = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, table)
	if err != nil {
		return fmt.Errorf("indexes of %s: %w", table, err)
	}
	defs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Name, Def string }])
	if err != nil {
		return fmt.Errorf("indexes of %s: %w", table, err)
	}
	for _, ix := range defs {
		if _, err := db.Exec(ctx, `DROP INDEX `+ix.Name); err != nil {
			return fmt.Errorf("drop %s: %w", ix.Name, err)
		}
	}
	loadErr := load()
	for _, ix := range defs {
		if _, err := db.Exec(ctx, ix.Def); err != nil {
			return fmt.Errorf("rebuild %s: %w", ix.Name, err)
		}
	}
	return loadErr
}
