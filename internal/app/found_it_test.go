package app_test

import (
	"context"
	"testing"

	"github.com/internflow/internflow/internal/apptest"
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
