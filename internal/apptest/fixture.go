package apptest

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// Fixture is one district with a school, a program, a minor student with
// a guardian, an employer with a supervisor, worksite and a district-funded
// posting, and the staff who review, approve and issue.
type Fixture struct {
	District, School, Program, Student, Employer, Supervisor, Worksite, Posting string
	Coordinator, Issuer, Approver                                               string
}

// NewFixture creates the fixture with the given program definition JSON.
// Quiet hours are off so tests see texts whatever the time of day.
func NewFixture(t testing.TB, st *store.Store, programDef string) Fixture {
	t.Helper()
	ctx := context.Background()
	var f Fixture
	must := func(id string, e error) string {
		t.Helper()
		if e != nil {
			t.Fatal(e)
		}
		return id
	}
	f.District = must(st.CreateDistrict(ctx, store.District{Name: "Fixture USD"}))
	if _, err := st.Pool.Exec(ctx, `UPDATE districts SET quiet_start = 0, quiet_end = 0 WHERE id = $1`, f.District); err != nil {
		t.Fatal(err)
	}
	f.School = must(st.CreateSchool(ctx, store.School{DistrictID: f.District, Name: "Fixture High"}))
	f.Program = must(st.CreateProgram(ctx, store.Program{DistrictID: f.District, Name: "Summer", Kind: "summer_paid",
		ProgramYear: time.Now().Year() + 1, Definition: []byte(programDef)}))
	dob := time.Now().AddDate(-16, -2, 0)
	f.Student = must(st.CreateStudent(ctx, store.Student{DistrictID: f.District, SchoolID: f.School, FirstName: "Maya", LastName: "Lopez",
		DateOfBirth: &dob, Grade: 11, Phone: "+15555550142", Language: "en", AddressLine1: "1 Main St", City: "Fresno", State: "CA"}))
	if _, err := st.Pool.Exec(ctx, `INSERT INTO guardians (student_id, position, name, phone) VALUES ($1, 1, 'Rosa Lopez', '+15555550143')`, f.Student); err != nil {
		t.Fatal(err)
	}
	f.Employer = must(st.CreateEmployer(ctx, store.Employer{DistrictID: f.District, Name: "Valley Clinic", ContactEmail: "hr@clinic.example.org"}))
	f.Supervisor = must(st.CreateSupervisor(ctx, store.Supervisor{EmployerID: f.Employer, Name: "Dr. Kim", Email: "kim@clinic.example.org"}))
	f.Worksite = must(st.CreateWorksite(ctx, store.Worksite{EmployerID: f.Employer, Name: "Main clinic", AddressLine1: "200 Oak Ave", City: "Fresno", State: "CA"}))
	if err := st.CreateTraining(ctx, "hipaa", "HIPAA basics"); err != nil {
		t.Fatal(err)
	}
	f.Posting = must(st.CreatePosting(ctx, store.Posting{EmployerID: f.Employer, WorksiteID: f.Worksite, SupervisorID: f.Supervisor,
		Title: "Clinic assistant", Description: "Greet patients", HoursPerWeek: 10, PayType: "hourly", PayCents: 1800,
		FundingSource: "district_cte", RequiredTrainings: []string{"hipaa"}, Status: "published"}))
	f.Coordinator = must(st.CreateStaff(ctx, store.Staff{DistrictID: f.District, Name: "Coach Rivera", Email: "rivera@district.example.org",
		Roles: []store.StaffRole{{Role: "coordinator", SchoolID: f.School}}}))
	f.Issuer = must(st.CreateStaff(ctx, store.Staff{DistrictID: f.District, Name: "Ms. Park", Email: "park@district.example.org",
		Roles: []store.StaffRole{{Role: "permit_issuer", SchoolID: f.School}}}))
	f.Approver = must(st.CreateStaff(ctx, store.Staff{DistrictID: f.District, Name: "Mr. Osei", Email: "osei@district.example.org",
		Roles: []store.StaffRole{{Role: "mou_approver"}, {Role: "district_ops"}}}))
	return f
}

// Document stores a small file for the journey and returns its id.
func Document(t testing.TB, st *store.Store, journeyID, kind string) string {
	t.Helper()
	body := []byte("%PDF-1.4 test " + kind)
	sum := sha256.Sum256(body)
	id, err := st.SaveDocument(context.Background(), store.Document{JourneyID: journeyID, Kind: kind, Filename: kind + ".pdf",
		ContentType: "application/pdf", SHA256: sum[:], Bytes: body})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
