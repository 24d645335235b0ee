// Package demo loads a small demo district so `make run` shows something
// real: two schools, employers, students at different stages.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// DistrictName names the demo district.
const DistrictName = "Demo Unified School District"

// Result summarises what Seed did.
type Result struct {
	DistrictID string
	SchoolIDs  []string
	ProgramID  string
	Journeys   int
	Skipped    bool
}

// Seed loads the demo data. Every step is idempotent and the last one
// leaves a marker, so an interrupted seed finishes on the next start and a
// finished one is skipped.
func Seed(ctx context.Context, st *store.Store, js *journey.Service) (Result, error) {
	var res Result
	err := st.Pool.QueryRow(ctx, `SELECT id FROM districts WHERE name = $1`, DistrictName).Scan(&res.DistrictID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if res.DistrictID, err = st.CreateDistrict(ctx, store.District{Name: DistrictName}); err != nil {
			return res, err
		}
	case err != nil:
		return res, err
	}
	// Staff first and on every start, so a demo seeded before staff
	// sign-in existed gets its staff too.
	if err := seedStaff(ctx, st, &res); err != nil {
		return res, fmt.Errorf("demo staff: %w", err)
	}
	var done bool
	if err := st.Pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity_kind = 'district'
		AND entity_id = $1 AND action = 'demo_seeded')`, res.DistrictID).Scan(&done); err != nil || done {
		res.Skipped = done
		return res, err
	}
	if err := seedPeople(ctx, st, &res); err != nil {
		return res, err
	}
	if err := driveJourneys(ctx, st, js, &res); err != nil {
		return res, err
	}
	_, err = st.Pool.Exec(ctx, `INSERT INTO audit_log (district_id, actor_kind, action, entity_kind, entity_id)
		VALUES ($1, 'system', 'demo_seeded', 'district', $2)`, res.DistrictID, res.DistrictID)
	return res, err
}

// seedSchools ensures the two demo schools (once per Seed).
func seedSchools(ctx context.Context, st *store.Store, res *Result) error {
	if len(res.SchoolIDs) > 0 {
		return nil
	}
	for i, name := range []string{"Lincoln High School", "Roosevelt High School"} {
		id, err := st.EnsureSchool(ctx, store.School{DistrictID: res.DistrictID, Name: name, SourceID: fmt.Sprintf("demo-school-%d", i+1)})
		if err != nil {
			return err
		}
		res.SchoolIDs = append(res.SchoolIDs, id)
	}
	return nil
}

func seedPeople(ctx context.Context, st *store.Store, res *Result) error {
	if err := seedSchools(ctx, st, res); err != nil {
		return err
	}
	err := st.Pool.QueryRow(ctx, `SELECT id FROM programs WHERE district_id = $1 AND name = $2`, res.DistrictID, programName).Scan(&res.ProgramID)
	if errors.Is(err, pgx.ErrNoRows) {
		res.ProgramID, err = st.CreateProgram(ctx, store.Program{DistrictID: res.DistrictID, Name: programName,
			Kind: "summer_paid", ProgramYear: time.Now().Year()})
	}
	return err
}

const programName = "Summer Paid Internship"

// driveJourneys enrols each demo student and replays their scripted steps.
// Update ids are fixed, so a step already applied is not applied twice.
func driveJourneys(ctx context.Context, st *store.Store, js *journey.Service, res *Result) error {
	for i, s := range students {
		s.DistrictID, s.SchoolID = res.DistrictID, res.SchoolIDs[i%2]
		s.SourceID = fmt.Sprintf("demo-student-%d", i+1)
		id, err := st.UpsertStudent(ctx, s.Student)
		if err != nil {
			return fmt.Errorf("demo student %d: %w", i+1, err)
		}
		e, err := js.Enroll(ctx, id, res.ProgramID)
		if err != nil {
			return err
		}
		res.Journeys++
		if s.surveyDone {
			in := workflows.SurveyInput{By: workflows.Actor{Kind: "student", Ref: id}, Pathway: "Health Sciences",
				Transport: "transit", Interests: []string{"nursing"}, ContactConsent: true}
			if err := js.Update(ctx, e.Journey.ID, workflows.UpdateSurvey, "demo-survey-"+id, in); err != nil {
				return err
			}
		}
	}
	return nil
}

type demoStudent struct {
	store.Student
	surveyDone bool
}

// Names are fictional; 555-01xx numbers are reserved for fiction.
var students = []demoStudent{
	{Student: store.Student{FirstName: "Ana", LastName: "Reyes", Grade: 11, Phone: "+15555550101", Language: "es"}, surveyDone: true},
	{Student: store.Student{FirstName: "Ben", LastName: "Okafor", Grade: 12, Phone: "+15555550102"}, surveyDone: true},
	{Student: store.Student{FirstName: "Chloe", LastName: "Nguyen", Grade: 11, Phone: "+15555550103"}},
	{Student: store.Student{FirstName: "Diego", LastName: "Martinez", Grade: 12, Phone: "+15555550104", Language: "es"}},
	{Student: store.Student{FirstName: "Ella", LastName: "Johnson", Grade: 11, Email: "ella.j@students.example.org"}, surveyDone: true},
	{Student: store.Student{FirstName: "Farah", LastName: "Haddad", Grade: 12, Phone: "+15555550106"}},
}

// Demo staff, one per role; CoordinatorEmail and AdminEmail are the ones
// `internflow dev` prints sign-in links for.
const (
	CoordinatorEmail = "lincoln.coordinator@demo.example.org"
	AdminEmail       = "admin@demo.example.org"
)

type demoStaff struct {
	name, email, role string
	school            int // index into the schools, -1 for district-wide
}

var staff = []demoStaff{
	{"Alex Rivera", CoordinatorEmail, "coordinator", 0},
	{"Sam Okoye", "roosevelt.coordinator@demo.example.org", "coordinator", 1},
	{"Pat Park", "permits@demo.example.org", "permit_issuer", -1},
	{"Jordan Osei", "mou@demo.example.org", "mou_approver", -1},
	{"Casey Nguyen", "ops@demo.example.org", "district_ops", -1},
	{"Morgan Lee", AdminEmail, "district_admin", -1},
}

// seedStaff creates the demo staff and their roles (idempotently).
func seedStaff(ctx context.Context, st *store.Store, res *Result) error {
	if err := seedSchools(ctx, st, res); err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, st.Pool, func(tx pgx.Tx) error {
		for _, s := range staff {
			school := ""
			if s.school >= 0 {
				school = res.SchoolIDs[s.school]
			}
			if _, err := tx.Exec(ctx, `
				WITH who AS (
					INSERT INTO staff (district_id, name, email) VALUES ($1, $2, $3)
					ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email RETURNING id
				)
				INSERT INTO staff_roles (staff_id, role, school_id) SELECT id, $4, NULLIF($5, '')::uuid FROM who
				ON CONFLICT DO NOTHING`, res.DistrictID, s.name, s.email, s.role, school); err != nil {
				return err
			}
		}
		return nil
	})
}
