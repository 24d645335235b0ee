package loadtest

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// district is the load test's district: schools with a coordinator each,
// a permit issuer, employers whose supervisors take texts, and students.
type district struct {
	ID, Program  string
	Schools      []string
	Coordinators []string // emails, by school
	Issuer       string   // email
	Students     []string // ids, student i at school i%len(Schools)
}

// program is a short summer internship: the badge, one permit, one
// training and ten hours of work (one timesheet week), then completion.
const program = `{"required_hours": 10, "max_weeks": 4, "stages": ["intern_ready", "work_permit", "trainings", "working"]}`

func seed(ctx context.Context, st *store.Store, students, schools, employers int) (district, error) {
	var d district
	var err error
	if d.ID, err = st.CreateDistrict(ctx, store.District{Name: "Load Test USD"}); err != nil {
		return d, err
	}
	// No quiet hours: the load runs at any time of day.
	if _, err := st.Pool.Exec(ctx, `UPDATE districts SET quiet_start = 0, quiet_end = 0 WHERE id = $1`, d.ID); err != nil {
		return d, err
	}
	if d.Program, err = st.CreateProgram(ctx, store.Program{DistrictID: d.ID, Name: "Summer", Kind: "summer_paid",
		ProgramYear: time.Now().Year() + 1, Definition: []byte(program)}); err != nil {
		return d, err
	}
	if err := st.CreateTraining(ctx, "workplace_safety", "Workplace safety"); err != nil {
		return d, err
	}
	if err := seedSchools(ctx, st, &d, schools); err != nil {
		return d, err
	}
	if err := seedEmployers(ctx, st, d, employers); err != nil {
		return d, err
	}
	return d, seedStudents(ctx, st, &d, students)
}

func seedSchools(ctx context.Context, st *store.Store, d *district, n int) error {
	for i := range n {
		school, err := st.CreateSchool(ctx, store.School{DistrictID: d.ID, Name: fmt.Sprintf("Load High %02d", i)})
		if err != nil {
			return err
		}
		email := fmt.Sprintf("coordinator%02d@load.example.org", i)
		if _, err := st.CreateStaff(ctx, store.Staff{DistrictID: d.ID, Name: fmt.Sprintf("Coordinator %02d", i), Email: email,
			Roles: []store.StaffRole{{Role: "coordinator", SchoolID: school}}}); err != nil {
			return err
		}
		d.Schools, d.Coordinators = append(d.Schools, school), append(d.Coordinators, email)
	}
	d.Issuer = "issuer@load.example.org"
	_, err := st.CreateStaff(ctx, store.Staff{DistrictID: d.ID, Name: "Permit Issuer", Email: d.Issuer,
		Roles: []store.StaffRole{{Role: "permit_issuer"}}})
	return err
}

// seedEmployers creates employer-paid postings; supervisors have phones
// (texts are not held for the daily email digest).
func seedEmployers(ctx context.Context, st *store.Store, d district, n int) error {
	for i := range n {
		emp, err := st.CreateEmployer(ctx, store.Employer{DistrictID: d.ID, Name: fmt.Sprintf("Employer %02d", i)})
		if err != nil {
			return err
		}
		site, err := st.CreateWorksite(ctx, store.Worksite{EmployerID: emp, Name: "Site", AddressLine1: fmt.Sprintf("%d Main St", i+1), City: "Fresno"})
		if err != nil {
			return err
		}
		sup, err := st.CreateSupervisor(ctx, store.Supervisor{EmployerID: emp, Name: "Supervisor", Phone: fmt.Sprintf("+1555556%04d", i)})
		if err != nil {
			return err
		}
		if _, err := st.CreatePosting(ctx, store.Posting{EmployerID: emp, WorksiteID: site, SupervisorID: sup, ProgramID: d.Program,
			Title: fmt.Sprintf("Intern %02d", i), Description: "Learn on the job", HoursPerWeek: 10, PayType: "hourly", PayCents: 1600,
			FundingSource: "employer_paid", RequiredTrainings: []string{"workplace_safety"}, Spots: 100000, Status: "published"}); err != nil {
			return err
		}
	}
	return nil
}

// seedStudents copies in minors with a guardian each.
func seedStudents(ctx context.Context, st *store.Store, d *district, n int) error {
	dob := time.Now().AddDate(-16, -1, 0)
	rows := make([][]any, n)
	for i := range n {
		rows[i] = []any{d.ID, d.Schools[i%len(d.Schools)], fmt.Sprintf("load-%d", i), "Student", fmt.Sprintf("N%d", i), dob, 11,
			fmt.Sprintf("+1555557%04d", i%10000), "en"}
	}
	if _, err := st.Pool.CopyFrom(ctx, pgx.Identifier{"students"},
		[]string{"district_id", "school_id", "source_id", "first_name", "last_name", "date_of_birth", "grade", "phone", "language"},
		pgx.CopyFromRows(rows)); err != nil {
		return err
	}
	if _, err := st.Pool.Exec(ctx, `INSERT INTO guardians (student_id, position, name, phone)
		SELECT id, 1, 'Guardian', '+1555558' || lpad(substr(source_id, 6), 4, '0') FROM students WHERE district_id = $1`, d.ID); err != nil {
		return err
	}
	r, err := st.Pool.Query(ctx, `SELECT id FROM students WHERE district_id = $1 ORDER BY (substr(source_id, 6))::int`, d.ID)
	if err != nil {
		return err
	}
	d.Students, err = pgx.CollectRows(r, pgx.RowTo[string])
	return err
}
