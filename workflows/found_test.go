package workflows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

const foundPosting = "55555555-5555-5555-5555-5555555555f0"

// foundWorld is a world whose store makes an approved report's posting:
// the employer and supervisor the coordinator chose, or new ones.
func foundWorld(t *testing.T) (*world, *[]facts.FoundResolve) {
	w := newWorld(t)
	var resolved []facts.FoundResolve
	w.env.OnActivity(acts.ResolveFoundPlacement, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in facts.FoundResolve) (facts.PostingInfo, error) {
			resolved = append(resolved, in)
			return facts.PostingInfo{ID: foundPosting, Title: in.Details.Title, Status: "closed", EmployerID: employerB,
				EmployerName: in.Details.EmployerName, SupervisorID: supervisor, FundingSource: in.Funding,
				PayType: in.Details.PayType, HoursPerWeek: in.Details.HoursPerWeek, DistrictID: districtID}, nil
		})
	return w, &resolved
}

func foundDetails() workflows.FoundDetails {
	return workflows.FoundDetails{EmployerName: "Sunrise Bakery", SupervisorName: "Ana Ruiz", SupervisorPhone: "+15105550101",
		Address: "12 Main St", City: "Oakland", State: "CA", Title: "Bakery assistant",
		Duties: "Help bake bread, serve customers at the counter and keep the kitchen clean.", PayType: "hourly", PayCents: 1700,
		HoursPerWeek: 15, StartDate: "2027-06-21", EndDate: "2027-08-13", Schedule: "Mon, Wed, Fri 9-2"}
}

// readyToApply plays a student who is applying by day 2.
func (w *world) readyToApply() {
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(2*time.Hour, func() {
		w.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "intern_ready", Reason: "Badge earned at the workshop"})
	})
}

func approve() workflows.VetFoundInput {
	return workflows.VetFoundInput{By: coord, Approve: true, Checked: workflows.FoundChecklist}
}

func (w *world) placement() *facts.PlacementFact {
	for _, r := range w.records {
		if r.Record.Placement != nil {
			return r.Record.Placement
		}
	}
	return nil
}

func (w *world) foundStatuses() []string {
	var out []string
	for _, r := range w.records {
		if f := r.Record.FoundPlacement; f != nil {
			out = append(out, f.Status)
		}
	}
	return out
}

func TestFound_Approved_SupervisorConfirms_PlacedAndOnToThePermit(t *testing.T) {
	w, resolved := foundWorld(t)
	w.readyToApply()
	w.at(2*day, func() {
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(3*day, func() {
		if st := w.status(); st.WaitingOn != workflows.PartyCoordinator || st.Found == nil || st.Found.Status != "submitted" {
			t.Errorf("after the report the journey waits on %q, found %+v", st.WaitingOn, st.Found)
		}
		w.update(workflows.UpdateVetFound, approve())
	})
	w.at(4*day, func() {
		if st := w.status(); st.WaitingOn != workflows.PartyEmployer || st.Found.Status != "awaiting_supervisor" {
			t.Errorf("after approval the journey waits on %q (%s)", st.WaitingOn, st.Found.Status)
		}
		w.update(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: employer, Confirm: true})
	})
	w.at(5*day, func() {
		if st := w.status(); st.Stage != workflows.StageWorkPermit {
			t.Errorf("a confirmed placement for a minor with hourly pay is at %s, want the work permit", st.Stage)
		}
		w.env.CancelWorkflow()
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	if len(*resolved) != 1 || (*resolved)[0].Funding != "employer_paid" || (*resolved)[0].Details.EmployerName != "Sunrise Bakery" {
		t.Fatalf("resolved = %+v, want one employer-paid resolution of the report", *resolved)
	}
	p := w.placement()
	if p == nil || p.Source != workflows.SourceStudentFound || p.PostingID != foundPosting || p.SupervisorID != supervisor {
		t.Fatalf("placement = %+v, want a student-found one on the new posting", p)
	}
	if got, want := w.foundStatuses(), []string{"submitted", "awaiting_supervisor", "confirmed"}; !slices.Equal(got, want) {
		t.Errorf("found statuses written = %v, want %v", got, want)
	}
	got := w.templates(nil)
	for _, want := range []string{"d2 found_vetting_request→coordinator", "d3 found_confirm_request→supervisor",
		"d4 found_confirmed→student", "d4 permit_sign_request→supervisor"} {
		if !slices.Contains(got, want) {
			t.Errorf("no %q; sent:\n%s", want, strings.Join(got, "\n"))
		}
	}
	if c := w.sentTemplate("found_confirm_request"); len(c) != 1 || c[0].Link == nil || c[0].Link.Action != "confirm_found_placement" {
		t.Errorf("confirm request = %+v, want one carrying the confirm link", c)
	}
	// Employer-paid: no MOU gate, no applying nudges while the report ran.
	for _, m := range w.sentTemplate("applying_nudge") {
		if m.At.After(w.start.Add(2 * day)) {
			t.Errorf("an applying nudge on %v while the student's own internship was being checked", m.At)
		}
	}
	if w.mouWaits != 0 {
		t.Errorf("an employer-paid found placement waited on an MOU")
	}
}

func TestFound_ChangesAsked_ThenApproved(t *testing.T) {
	w, _ := foundWorld(t)
	w.readyToApply()
	bad := foundDetails()
	bad.Address, bad.City = "", ""
	w.at(2*day, func() {
		// The workflow refuses what the page would (no worksite, not remote).
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: bad})
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(3*day, func() {
		w.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: coord, Approve: true}) // nothing checked
		w.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: coord, Comment: "Add the bakery's suite number."})
	})
	w.at(4*day, func() {
		st := w.status()
		if st.WaitingOn != workflows.PartyStudent || st.Found.Status != "changes_requested" || st.Found.Comment != "Add the bakery's suite number." {
			t.Errorf("after changes asked: waiting on %q, found %+v", st.WaitingOn, st.Found)
		}
		fixed := foundDetails()
		fixed.Address = "12 Main St, Suite 4"
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: fixed})
	})
	w.at(5*day, func() { w.update(workflows.UpdateVetFound, approve()) })
	w.at(6*day, func() {
		w.update(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: employer, Confirm: true})
	})
	w.at(7*day, func() { w.env.CancelWorkflow() })
	w.run(input(workflows.DefaultProgram()))
	want := []string{
		"report_found_placement: give the worksite's street address and city, or say it is remote",
		"vet_found_placement: check worksite before approving",
	}
	if !slices.Equal(w.rejected, want) {
		t.Fatalf("rejections =\n%s\nwant\n%s", strings.Join(w.rejected, "\n"), strings.Join(want, "\n"))
	}
	changes := w.sentTemplate("found_changes_request")
	if len(changes) != 1 || changes[0].Link == nil || changes[0].Link.Action != "report_found_placement" || changes[0].To.Kind != "student" {
		t.Fatalf("changes request = %+v, want one text to the student with the form's link", changes)
	}
	if n := len(w.sentTemplate("found_vetting_request")); n != 2 {
		t.Errorf("coordinator asked to vet %d times, want twice (report, resubmission)", n)
	}
	if p := w.placement(); p == nil || p.Source != workflows.SourceStudentFound {
		t.Fatalf("placement = %+v", p)
	}
}

func TestFound_SupervisorDeclines_StudentBackToApplyingAndTold(t *testing.T) {
	w, _ := foundWorld(t)
	w.readyToApply()
	w.at(2*day, func() {
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(3*day, func() { w.update(workflows.UpdateVetFound, approve()) })
	w.at(4*day, func() {
		w.update(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: employer}) // no reason
		w.update(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: employer, Reason: "We only hire at 18 and over."})
	})
	w.at(5*day, func() {
		st := w.status()
		if st.Stage != workflows.StageApplying || st.Found.Status != "declined" || st.WaitingOn != workflows.PartyStudent {
			t.Errorf("after the decline: %s waiting on %q, found %+v", st.Stage, st.WaitingOn, st.Found)
		}
		// The student may report another one.
		other := foundDetails()
		other.EmployerName = "Lakeside Library"
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: other})
	})
	w.at(6*day, func() {
		if st := w.status(); st.Found.Status != "submitted" || st.Found.Details.EmployerName != "Lakeside Library" {
			t.Errorf("second report: %+v", st.Found)
		}
		w.env.CancelWorkflow()
	})
	w.run(input(workflows.DefaultProgram()))
	if want := []string{"confirm_found_placement: say why you cannot confirm it"}; !slices.Equal(w.rejected, want) {
		t.Fatalf("rejections = %v, want %v", w.rejected, want)
	}
	if w.placement() != nil {
		t.Fatal("a declined report placed the student")
	}
	student := w.sentTemplate("found_declined")
	staff := w.sentTemplate("found_declined_staff")
	if len(student) != 1 || student[0].Params["reason"] != "We only hire at 18 and over." || student[0].Link == nil {
		t.Errorf("student told: %+v", student)
	}
	if len(staff) != 1 || staff[0].To.Kind != "coordinator" || staff[0].Params["reason"] != "We only hire at 18 and over." {
		t.Errorf("coordinator told: %+v", staff)
	}
	// Back to applying: the nothing-open ladder runs again.
	if n := len(w.sentTemplate("applying_nudge")); n == 0 {
		t.Error("a student whose report was declined was never nudged to apply")
	}
}

func TestFound_SupervisorNeverConfirms_LadderThenCoordinator(t *testing.T) {
	w, _ := foundWorld(t)
	w.readyToApply()
	w.at(2*day, func() {
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(3*day, func() { w.update(workflows.UpdateVetFound, approve()) })
	w.at(20*day, func() {
		v := w.view()
		if v.Stage != "applying" || v.WaitingOn != "employer" || !v.Overdue {
			t.Errorf("after 17 days unconfirmed the view is %s/%s overdue=%v", v.Stage, v.WaitingOn, v.Overdue)
		}
		w.env.CancelWorkflow()
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":found_confirm:") })
	want := []string{"d3 found_confirm_request→supervisor", "d6 found_confirm_request→supervisor",
		"d9 found_confirm_request→supervisor", "d11 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("confirm ladder = %v, want %v", got, want)
	}
}

func TestFound_CoordinatorNeverVets_AndStudentNeverFixes_Ladders(t *testing.T) {
	w, _ := foundWorld(t)
	w.readyToApply()
	w.at(2*day, func() {
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(10*day, func() {
		if v := w.view(); v.WaitingOn != "coordinator" || !v.Overdue {
			t.Errorf("unvetted for 8 days: %s overdue=%v", v.WaitingOn, v.Overdue)
		}
		w.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: coord, Comment: "Which days do you work?"})
	})
	w.at(30*day, func() { w.env.CancelWorkflow() })
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	vet := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":found_vetting:") })
	if want := []string{"d2 found_vetting_request→coordinator", "d5 found_vetting_request→coordinator"}; !slices.Equal(vet, want) {
		t.Errorf("vetting ladder = %v, want %v", vet, want)
	}
	fix := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":found_changes:") })
	want := []string{"d10 found_changes_request→student", "d13 found_changes_request→student",
		"d17 found_changes_request→student", "d20 coordinator_stuck→coordinator"}
	if !slices.Equal(fix, want) {
		t.Errorf("changes ladder = %v, want %v", fix, want)
	}
}

func TestFound_DistrictPaid_GoesThroughTheMOUGate(t *testing.T) {
	w, _ := foundWorld(t)
	w.readyToApply()
	w.at(2*day, func() {
		w.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student, Details: foundDetails()})
	})
	w.at(3*day, func() {
		in := approve()
		in.Funding = "district_cte"
		w.update(workflows.UpdateVetFound, in)
	})
	w.at(4*day, func() {
		w.update(workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: employer, Confirm: true})
	})
	w.at(5*day, func() {
		if st := w.status(); st.Stage != workflows.StageMOUGate {
			t.Errorf("a district-paid found placement is at %s, want the MOU gate", st.Stage)
		}
		w.env.CancelWorkflow()
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
}
