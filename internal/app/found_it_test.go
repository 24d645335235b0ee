package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// TestIntegration_StudentFoundPlacement runs the found-internship path on
// a real Temporal and PostgreSQL: the student reports it, the coordinator
// asks for a change and then approves it with the district's own clinic,
// the supervisor confirms, and the journey goes to the work permit; then
// staff withdraw it. Its history is one the replay test keeps.
func TestIntegration_StudentFoundPlacement(t *testing.T) {
	s := newStackScaled(t, 1)
	f := apptest.NewFixture(t, s.Store, `{}`)
	ctx := context.Background()
	d := newDriver(t, s, f)
	d.survey()
	d.up(workflows.UpdateWaive, workflows.WaiveInput{By: d.coord, Step: "intern_ready", Reason: "Badge earned at the spring workshop"})
	d.atStage(workflows.StageApplying)
	details := workflows.FoundDetails{EmployerName: "Valley Clinic", SupervisorName: "Dr. Kim", SupervisorEmail: "kim@clinic.example.org",
		Address: "200 Oak Ave", City: "Fresno", State: "CA", Title: "Front desk assistant",
		Duties: "Greet patients, answer phones and file intake forms.", PayType: "hourly", PayCents: 1700, HoursPerWeek: 15,
		StartDate: "2027-06-21", EndDate: "2027-08-13", Schedule: "Mon-Fri 9-12"}
	d.up(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: d.student, Details: details})
	d.up(workflows.UpdateVetFound, workflows.VetFoundInput{By: d.coord, Comment: "Which days exactly?"})
	details.Schedule = "Mon, Tue, Thu 9-2"
	d.up(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: d.student, Details: details})
	d.up(workflows.UpdateVetFound, workflows.VetFoundInput{By: d.coord, Approve: true, Checked: workflows.FoundChecklist,
		EmployerID: f.Employer, SupervisorID: f.Supervisor})
	d.until("waiting on the supervisor", func(st workflows.JourneyStatus) bool {
		return st.Found != nil && st.Found.Status == workflows.FoundAwaitingSupervisor
	})
	d.up(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: d.employer, Confirm: true})
	d.atStage(workflows.StageWorkPermit)
	var source, supervisor string
	if err := s.Pool.QueryRow(ctx, `SELECT source, supervisor_id::text FROM placements WHERE journey_id = $1`, d.id).Scan(&source, &supervisor); err != nil ||
		source != "student_found" || supervisor != f.Supervisor {
		t.Fatalf("placement: source %q supervisor %q (%v)", source, supervisor, err)
	}
	var employers int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM employers WHERE district_id = $1`, f.District).Scan(&employers)
	if employers != 1 {
		t.Errorf("%d employers, want the fixture's clinic only", employers)
	}
	d.up(workflows.UpdateWithdraw, workflows.WithdrawInput{By: d.coord, Reason: "Family moved away"})
	eventually(t, "withdrawn", func() bool { v, _ := s.Journeys.Status(ctx, d.id); return v.Stage == "withdrawn" })
	recordHistories(t, s, "student_found_withdrawn", d.workflowID)
}

// TestIntegration_StudentFoundPlacement_ToCompletion_InThePartnerRecord
// takes an internship the student found from report to completion on the
// real server (vetted against the district's existing clinic, confirmed
// by its supervisor, permit, ten timesheet weeks, reflection, feedback)
// and reads the clinic's partner record: the placement, its completion,
// its hours and the student's recommendation are there.
func TestIntegration_StudentFoundPlacement_ToCompletion_InThePartnerRecord(t *testing.T) {
	s := newStackScaled(t, weekScale)
	f := apptest.NewFixture(t, s.Store, `{}`) // the default: 100 hours
	ctx := context.Background()
	d := newDriver(t, s, f)
	d.survey()
	d.up(workflows.UpdateWaive, workflows.WaiveInput{By: d.coord, Step: "intern_ready", Reason: "Badge earned at the spring workshop"})
	d.atStage(workflows.StageApplying)
	d.up(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: d.student, Details: workflows.FoundDetails{
		EmployerName: "Valley Clinic", SupervisorName: "Dr. Kim", SupervisorEmail: "kim@clinic.example.org",
		Address: "200 Oak Ave", City: "Fresno", State: "CA", Title: "Front desk assistant",
		Duties: "Greet patients, answer phones and file intake forms.", PayType: "hourly", PayCents: 1700, HoursPerWeek: 15,
		StartDate: "2027-06-21", EndDate: "2027-08-13", Schedule: "Mon-Fri 9-12"}})
	d.up(workflows.UpdateVetFound, workflows.VetFoundInput{By: d.coord, Approve: true, Checked: workflows.FoundChecklist,
		EmployerID: f.Employer, SupervisorID: f.Supervisor})
	d.until("waiting on the supervisor", func(st workflows.JourneyStatus) bool {
		return st.Found != nil && st.Found.Status == workflows.FoundAwaitingSupervisor
	})
	d.up(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: d.employer, Confirm: true})
	d.signPermit()
	d.up(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: f.Issuer}, Approve: true})
	st := d.until("past the permit", func(st workflows.JourneyStatus) bool {
		return st.Stage == workflows.StageTrainings || st.Stage == workflows.StageWorking
	})
	if st.Stage == workflows.StageTrainings {
		d.up(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: d.student, Code: "hipaa",
			DocumentID: apptest.Document(t, s.Store, d.id, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	}
	for n := range 10 {
		d.workWeek(n)
	}
	d.atStage(workflows.StageCompleting)
	d.up(workflows.UpdateReflection, workflows.ReflectionInput{By: d.student, Recommend: 5,
		Body: "I learned to check in patients and keep records private.", Comment: "Dr. Kim explained everything."})
	d.up(workflows.UpdateFeedback, workflows.FeedbackInput{By: d.employer, Ratings: map[string]int{"communication": 5, "reliability": 4,
		"teamwork": 5, "initiative": 4, "professionalism": 5}, Comment: "Ready for a job"})
	eventually(t, "completed", func() bool { v, _ := s.Journeys.Status(ctx, d.id); return v.Stage == "completed" })

	rec, err := s.Store.EmployerPartnerRecord(ctx, store.Scope{DistrictID: f.District}, f.Employer)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Years) != 1 {
		t.Fatalf("partner record years: %+v, want the one year of this placement", rec.Years)
	}
	y := rec.Years[0]
	if y.Placements != 1 || y.Completions != 1 || y.Hours != 100 || y.Recommends != 1 || y.Recommend != 5 {
		t.Errorf("partner record for the year: %+v, want 1 placement, 1 completion, 100 hours, one recommendation of 5", y)
	}
	if len(rec.Comments) != 1 || rec.Comments[0].Comment != "Dr. Kim explained everything." {
		t.Errorf("partner record comments: %+v, want the student's comment", rec.Comments)
	}
}
