package reports_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// now is the reports' clock in these tests.
var now = time.Date(2027, 7, 15, 12, 0, 0, 0, time.UTC)

// fixture is a district with two schools and journeys at known points.
type fixture struct {
	t                    *testing.T
	st                   *store.Store
	q                    *reports.Queries
	district, other      string
	schoolA, schoolB     string
	program, program2026 string
	posting, employer    string
	journeys             map[string]string // name → journey id
	students             map[string]string // name → student id
	n                    int
}

// spec is one journey: how far it got and what it holds.
type spec struct {
	name, school, program, stage, pathway, funding, lastName string
	reached                                                  int // milestones reached, in order (see stamps in add)
	withdrawn, overdue                                       bool
	daysInStage                                              float64 // now − stage_since
	required                                                 float64 // placement's required hours
	approved, submitted                                      []float64
	student                                                  string // reuse another journey's student
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st := testenv.DB(t)
	f := &fixture{t: t, st: st, q: reports.New(st), journeys: map[string]string{}, students: map[string]string{}}
	f.q.Now = func() time.Time { return now }
	f.district = f.must(st.CreateDistrict(ctx, store.District{Name: "Springfield Unified"}))
	f.other = f.must(st.CreateDistrict(ctx, store.District{Name: "Shelbyville"}))
	f.schoolA = f.must(st.CreateSchool(ctx, store.School{DistrictID: f.district, Name: "Adams High"}))
	f.schoolB = f.must(st.CreateSchool(ctx, store.School{DistrictID: f.district, Name: "Brown Academy"}))
	f.program = f.must(st.CreateProgram(ctx, store.Program{DistrictID: f.district, Name: "Summer 2027", Kind: "summer_paid", ProgramYear: 2027}))
	f.program2026 = f.must(st.CreateProgram(ctx, store.Program{DistrictID: f.district, Name: "Summer 2026", Kind: "summer_paid", ProgramYear: 2026}))
	f.employer = f.scalar(`INSERT INTO employers (district_id, name) VALUES ($1, 'Mercy Hospital') RETURNING id::text`, f.district)
	f.posting = f.scalar(`INSERT INTO postings (employer_id, title) VALUES ($1, 'Intern') RETURNING id::text`, f.employer)
	return f
}

func (f *fixture) must(id string, err error) string {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) exec(sql string, args ...any) {
	f.t.Helper()
	if _, err := f.st.Pool.Exec(context.Background(), sql, args...); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
}

func (f *fixture) scalar(sql string, args ...any) string {
	f.t.Helper()
	var s string
	if err := f.st.Pool.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return s
}

// add creates a journey as the workflow's projection would leave it.
func (f *fixture) add(s spec) {
	f.t.Helper()
	ctx := context.Background()
	f.n++
	district, school, program := f.district, s.school, s.program
	if program == "" {
		program = f.program
	}
	if school == f.other {
		district = f.other
		school = f.must(f.st.CreateSchool(ctx, store.School{DistrictID: f.other, Name: "Other High"}))
		program = f.must(f.st.CreateProgram(ctx, store.Program{DistrictID: f.other, Name: "P", Kind: "micro", ProgramYear: 2027}))
	}
	studentID := f.students[s.student]
	if studentID == "" {
		last := s.lastName
		if last == "" {
			last = "Student" + fmt.Sprint(f.n)
		}
		studentID = f.must(f.st.CreateStudent(ctx, store.Student{DistrictID: district, SchoolID: school, SourceID: fmt.Sprintf("S%03d", f.n),
			FirstName: "Kid", LastName: last, Phone: fmt.Sprintf("+1555555%04d", f.n), Email: fmt.Sprintf("kid%d@example.org", f.n)}))
	}
	f.students[s.name] = studentID
	j, err := f.st.CreateJourney(ctx, studentID, program)
	if err != nil {
		f.t.Fatal(err)
	}
	f.journeys[s.name] = j.ID
	f.view(s, j, district, school)
	f.facts(s, j.ID)
}

func (f *fixture) view(s spec, j store.Journey, district, school string) {
	f.t.Helper()
	v := store.JourneyView{JourneyID: j.ID, StudentID: j.StudentID, DistrictID: district, SchoolID: school,
		ProgramID: j.ProgramID, Stage: s.stage, StageSince: now.Add(-time.Duration(s.daysInStage * float64(24*time.Hour))),
		Overdue: s.overdue, HoursRequired: 100, UpdatedSeq: 1}
	at := now.Add(-40 * 24 * time.Hour)
	stamps := []**time.Time{&v.SurveyDoneAt, &v.InternReadyAt, &v.AppliedAt, &v.PlacedAt, &v.PermitDoneAt,
		&v.TrainingsDoneAt, &v.WorkingAt, &v.CompletedAt}
	for i := 0; i < s.reached; i++ {
		*stamps[i] = &at
	}
	if s.withdrawn {
		v.WithdrawnAt = &at
	}
	if s.funding == "" {
		v.HoursRequired = 0
	}
	if _, err := f.st.UpsertJourneyView(context.Background(), v); err != nil {
		f.t.Fatal(err)
	}
}

// facts writes the survey, placement and timesheets behind a journey.
func (f *fixture) facts(s spec, journeyID string) {
	f.t.Helper()
	if s.pathway != "" {
		f.exec(`INSERT INTO survey_responses (journey_id, pathway, transport, contact_consent, submitted_at)
			VALUES ($1, $2, 'transit', true, $3)`, journeyID, s.pathway, now)
	}
	if s.funding != "" {
		f.exec(`INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required)
			VALUES ($1, $2, $3, $4, $5)`, journeyID, f.posting, f.employer, s.funding, s.required)
	}
	week := time.Date(2027, 6, 7, 0, 0, 0, 0, time.UTC) // a Monday
	for i, h := range append(append([]float64{}, s.approved...), s.submitted...) {
		status := "approved"
		if i >= len(s.approved) {
			status = "submitted"
		}
		f.exec(`INSERT INTO timesheets (journey_id, week_start, status, hours_total, submitted_at) VALUES ($1, $2, $3, $4, $5)`,
			journeyID, week.AddDate(0, 0, 7*i), status, h, now)
	}
}

// standard builds the scenario most tests read (program year 2027 unless
// noted):
//
//	Adams High:    j1 Health completed 100/100h employer-paid; j2 Health completed 50/100h CTE;
//	               j3 Tech in trainings 10 days, overdue, city program; j4 Tech intern_ready 4 days;
//	               j5 no survey, in survey 2 days; j8 2026, j1's student, completed 10/10h employer-paid.
//	Brown Academy: j6 Health working 20 days, 30 approved + 20 submitted of 80h, employer-paid;
//	               j7 Tech withdrawn after applying; j9 no survey, in survey 6 days.
//	Shelbyville (another district): one completed journey that must never show.
func (f *fixture) standard() {
	A, B := f.schoolA, f.schoolB
	f.add(spec{name: "j1", school: A, stage: "completed", pathway: "Health", reached: 8, funding: "employer_paid", required: 100, approved: []float64{60, 40}})
	f.add(spec{name: "j2", school: A, stage: "completed", pathway: "Health", reached: 8, funding: "district_cte", required: 100, approved: []float64{50}})
	f.add(spec{name: "j3", school: A, stage: "trainings", pathway: "Tech", reached: 5, funding: "city_program", required: 100, daysInStage: 10, overdue: true})
	f.add(spec{name: "j4", school: A, stage: "intern_ready", pathway: "Tech", reached: 1, daysInStage: 4})
	f.add(spec{name: "j5", school: A, stage: "survey", daysInStage: 2, lastName: "=HYPERLINK(\"http://x\")"})
	f.add(spec{name: "j6", school: B, stage: "working", pathway: "Health", reached: 7, funding: "employer_paid", required: 80, daysInStage: 20,
		approved: []float64{30}, submitted: []float64{20}})
	f.add(spec{name: "j7", school: B, stage: "withdrawn", pathway: "Tech", reached: 3, withdrawn: true})
	f.add(spec{name: "j9", school: B, stage: "survey", daysInStage: 6})
	f.add(spec{name: "j8", school: A, program: f.program2026, student: "j1", stage: "completed", pathway: "Health", reached: 8,
		funding: "employer_paid", required: 10, approved: []float64{10}})
	f.add(spec{name: "x1", school: f.other, stage: "completed", pathway: "Health", reached: 8, funding: "employer_paid", required: 1, approved: []float64{5}})
}

var (
	year2027 = reports.Filter{ProgramYear: 2027}
	allYears = reports.Filter{}
)

func (f *fixture) wholeDistrict() store.Scope { return store.Scope{DistrictID: f.district} }
