package demo

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/simulate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// demoStudent is a student and how far the demo takes their journey.
type demoStudent struct {
	first, last, phone, email, lang string
	age                             int
	micro                           bool
	script                          func(ctx context.Context, s *scene) error
}

// scene is what a script acts on.
type scene struct {
	j  *simulate.Journey
	st *store.Store
	p  partners
}

// Names are fictional; 555-01xx numbers are reserved for fiction.
var students = []demoStudent{
	{first: "Ana", last: "Reyes", phone: "+15555550101", lang: "es", age: 16, script: nothing},
	{first: "Ben", last: "Okafor", phone: "+15555550102", age: 17, script: surveyed},
	{first: "Chloe", last: "Nguyen", phone: "+15555550103", age: 16, script: uploaded},
	{first: "Diego", last: "Martinez", phone: "+15555550104", lang: "es", age: 17, script: applied},
	{first: "Ella", last: "Johnson", email: "ella.j@students.example.org", age: 16, script: offered},
	{first: "Farah", last: "Haddad", phone: "+15555550106", age: 17, script: waitingOnMOU},
	{first: "Gabe", last: "Silva", phone: "+15555550107", age: 16, script: guardianToSign},
	{first: "Hana", last: "Ito", phone: "+15555550108", age: 16, script: issuerToApprove},
	{first: "Isaac", last: "Brown", phone: "+15555550109", age: 17, script: working},
	{first: "Jade", last: "Moore", phone: "+15555550110", age: 16, script: training},
	{first: "Kai", last: "Evans", phone: "+15555550111", age: 16, micro: true, script: microCompleted},
	{first: "Leo", last: "Park", phone: "+15555550112", age: 15, micro: true, script: microInProgress},
	{first: "Mia", last: "Clark", phone: "+15555550113", age: 17, script: withdrawn},
	{first: "Noah", last: "Reed", phone: "+15555550114", age: 18, script: adultWorking},
}

// driveJourneys enrols each demo student and plays their script, all at
// once. Update ids are fixed, so a script cut short by a restart resumes.
func driveJourneys(ctx context.Context, st *store.Store, js *journey.Service, res *Result, p partners) error {
	staffIDs, err := demoStaffIDs(ctx, st, res.DistrictID)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(6)
	for i, s := range students {
		school := res.SchoolIDs[i%len(res.SchoolIDs)]
		program := res.ProgramID
		if s.micro {
			program = res.MicroID
		}
		j, err := enrol(ctx, st, js, res.DistrictID, school, program, i, s)
		if err != nil {
			return fmt.Errorf("demo student %d: %w", i+1, err)
		}
		res.Journeys++
		j.Staff = workflows.Actor{Kind: "staff", Ref: staffIDs["coordinator:"+school]}
		j.Issuer = workflows.Actor{Kind: "staff", Ref: staffIDs["permit_issuer"]}
		g.Go(func() error {
			if err := s.script(gctx, &scene{j: j, st: st, p: p}); err != nil {
				return fmt.Errorf("%s's journey: %w", s.first, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func enrol(ctx context.Context, st *store.Store, js *journey.Service, district, school, program string, i int, s demoStudent) (*simulate.Journey, error) {
	dob := time.Now().AddDate(-s.age, -3, 0)
	id, err := st.UpsertStudent(ctx, store.Student{DistrictID: district, SchoolID: school, SourceID: fmt.Sprintf("demo-student-%d", i+1),
		FirstName: s.first, LastName: s.last, Phone: s.phone, Email: s.email, Language: s.lang, DateOfBirth: &dob,
		Grade: 9 + s.age - 14, AddressLine1: fmt.Sprintf("%d Elm St", 100+i), City: "Fresno", State: "CA", PostalCode: "93721"})
	if err != nil {
		return nil, err
	}
	var guardian string
	if s.age < 18 {
		if guardian, err = st.UpsertFirstGuardian(ctx, id, "Parent of "+s.first, fmt.Sprintf("+1555555%04d", 150+i), langOr(s.lang)); err != nil {
			return nil, err
		}
	}
	e, err := js.Enroll(ctx, id, program)
	if err != nil {
		return nil, err
	}
	return &simulate.Journey{Service: js, ID: e.Journey.ID, Key: "demo:" + e.Journey.ID,
		Student: workflows.Actor{Kind: "student", Ref: id}, Guardian: workflows.Actor{Kind: "guardian", Ref: guardian},
		RealTime: true}, nil
}

func langOr(l string) string {
	if l == "" {
		return "en"
	}
	return l
}

func demoStaffIDs(ctx context.Context, st *store.Store, district string) (map[string]string, error) {
	return st.DemoStaffRoles(ctx, district)
}
