package roster_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/roster"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// importDay is the tests' today: students born after 2008-09-01 are minors.
var importDay = time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	t        *testing.T
	st       *store.Store
	im       *roster.Importer
	district string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st := testenv.DB(t)
	d, err := st.CreateDistrict(context.Background(), store.District{Name: "Springfield Unified"})
	if err != nil {
		t.Fatal(err)
	}
	im := roster.NewImporter(st)
	// The clock ticks a second per reading, so runs have an order.
	tick := 0
	im.Now = func() time.Time { tick++; return importDay.Add(time.Duration(tick) * time.Second) }
	return &env{t: t, st: st, im: im, district: d}
}

// school creates a school the way staff would, by source id.
func (e *env) school(sourceID string) string {
	e.t.Helper()
	id, err := e.st.EnsureSchool(context.Background(), store.School{DistrictID: e.district, Name: sourceID + " High", SourceID: sourceID})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// run imports testdata/<path> and fails the test on an error.
func (e *env) run(path string, opts roster.Options) roster.Report {
	e.t.Helper()
	rep, err := e.try(path, opts)
	if err != nil {
		e.t.Fatalf("import %s: %v", path, err)
	}
	return rep
}

func (e *env) try(path string, opts roster.Options) (roster.Report, error) {
	e.t.Helper()
	b, err := roster.OpenPath(filepath.Join("testdata", path))
	if err != nil {
		e.t.Fatal(err)
	}
	defer b.Close()
	opts.DistrictID = e.district
	return e.im.Import(context.Background(), b, opts)
}

func (e *env) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.st.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// studentRow is what the database holds for one student.
type studentRow struct {
	School, First, Last, Preferred, DOB, Phone, Email, Language, Timezone, Address string
	Grade                                                                          int
	Missing                                                                        bool
}

func (e *env) student(sourceID string) (studentRow, bool) {
	e.t.Helper()
	var s studentRow
	err := e.st.Pool.QueryRow(context.Background(), `
		SELECT COALESCE(sc.source_id, sc.id::text), s.first_name, s.last_name, COALESCE(s.preferred_name,''),
			COALESCE(to_char(s.date_of_birth, 'YYYY-MM-DD'),''), COALESCE(s.phone,''), COALESCE(s.email,''), s.language,
			COALESCE(s.timezone,''), COALESCE(s.address_line1,''), COALESCE(s.grade, 0), s.missing_from_roster_at IS NOT NULL
		FROM students s JOIN schools sc ON sc.id = s.school_id
		WHERE s.district_id = $1 AND s.source_id = $2`, e.district, sourceID).Scan(
		&s.School, &s.First, &s.Last, &s.Preferred, &s.DOB, &s.Phone, &s.Email, &s.Language, &s.Timezone, &s.Address,
		&s.Grade, &s.Missing)
	if err != nil {
		return s, false
	}
	return s, true
}

// guardianRow is one stored guardian.
type guardianRow struct {
	Position                                           int
	Name, Relationship, Phone, Email, Language, Source string
}

func (e *env) guardians(studentSourceID string) []guardianRow {
	e.t.Helper()
	rows, err := e.st.Pool.Query(context.Background(), `
		SELECT g.position, g.name, COALESCE(g.relationship,''), COALESCE(g.phone,''), COALESCE(g.email,''), g.language,
			COALESCE(g.source_id,'')
		FROM guardians g JOIN students s ON s.id = g.student_id
		WHERE s.district_id = $1 AND s.source_id = $2 ORDER BY g.position`, e.district, studentSourceID)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []guardianRow
	for rows.Next() {
		var g guardianRow
		if err := rows.Scan(&g.Position, &g.Name, &g.Relationship, &g.Phone, &g.Email, &g.Language, &g.Source); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, g)
	}
	return out
}

// rejected indexes a report's rejections by line.
func rejected(rep roster.Report) map[int]roster.Rejection {
	out := map[int]roster.Rejection{}
	for _, r := range rep.Rejected {
		out[r.Line] = r
	}
	return out
}

// testenvEventually waits for an event (testenv.Eventually).
var testenvEventually = testenv.Eventually
