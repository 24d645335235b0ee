// Package demo loads a small demo district so `make run` shows something
// real: two schools, employers, students at different stages.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
)

// DistrictName names the demo district.
const DistrictName = "Demo Unified School District"

// Result summarises what Seed did.
type Result struct {
	DistrictID string
	SchoolIDs  []string
	ProgramID  string
	MicroID    string
	Journeys   int
	Skipped    bool
}

// Seed loads the demo data. Every step is idempotent and the last one
// leaves a marker, so an interrupted seed finishes on the next start and a
// finished one is skipped.
func Seed(ctx context.Context, st *store.Store, js *journey.Service) (Result, error) {
	var res Result
	var err error
	res.DistrictID, err = st.DistrictByName(ctx, DistrictName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		if res.DistrictID, err = st.CreateDistrict(ctx, store.District{Name: DistrictName, State: "CA"}); err != nil {
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
	if done, err := st.DemoSeeded(ctx, res.DistrictID); err != nil || done {
		res.Skipped = done
		return res, err
	}
	p, err := seedPartners(ctx, st, &res)
	if err != nil {
		return res, fmt.Errorf("demo employers: %w", err)
	}
	if err := driveJourneys(ctx, st, js, &res, p); err != nil {
		return res, fmt.Errorf("demo journeys: %w", err)
	}
	return res, st.MarkDemoSeeded(ctx, res.DistrictID)
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
	roles := make([]store.DemoStaffRole, 0, len(staff))
	for _, s := range staff {
		school := ""
		if s.school >= 0 {
			school = res.SchoolIDs[s.school]
		}
		roles = append(roles, store.DemoStaffRole{Name: s.name, Email: s.email, Role: s.role, SchoolID: school})
	}
	return st.SeedDemoStaff(ctx, res.DistrictID, roles)
}
