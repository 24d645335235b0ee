package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

// Steps a prompt student takes, composable so each stuck-path test starts
// where it needs to. Each returns the offset after it.

func (w *world) toApplying() time.Duration {
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(day, func() {
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "resume", DocumentID: "r1"})
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "cover_letter", DocumentID: "c1"})
	})
	w.at(2*day, func() { w.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: true}) })
	return 2*day + time.Hour
}

func (w *world) appID(n int) string {
	apps := w.status().Applications
	if len(apps) <= n {
		w.t.Fatalf("no application %d at %v; rejections %v", n, w.env.Now(), w.rejected)
	}
	return apps[n].ID
}

// toPlaced applies to a posting, gets an offer and accepts it.
func (w *world) toPlaced(from time.Duration, posting string) time.Duration {
	w.at(from, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: posting}) })
	w.at(from+day, func() {
		w.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: w.appID(0), Status: "offer"})
	})
	w.at(from+day+time.Hour, func() {
		w.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: w.appID(0)})
	})
	return from + day + 2*time.Hour
}

// signAll has the three signers sign version v.
func (w *world) signAll(at time.Duration, v int) {
	w.at(at, func() {
		w.update(workflows.UpdateSignPermit, sign("student", student, v))
		w.update(workflows.UpdateSignPermit, sign("guardian", guardian, v))
		w.update(workflows.UpdateSignPermit, sign("employer", employer, v))
	})
}

func (w *world) stopAt(at time.Duration, check func()) {
	w.at(at, func() {
		check()
		w.env.CancelWorkflow()
	})
}

// keysFor lists "dN template→kind" for messages whose key names the step.
func (w *world) keysFor(step string) []string {
	return w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":"+step+":") })
}

func TestJourney_BadgeReturned_StudentToldWhyThenApproved(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(day, func() {
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "resume", DocumentID: "r1"})
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "cover_letter", DocumentID: "c1"})
	})
	w.at(2*day, func() {
		w.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: false})
		w.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: false, Comment: "Add your volunteer work"})
	})
	w.at(2*day+time.Hour, func() {
		if v := w.view(); v.WaitingOn != "student" || v.InternReadyAt != nil {
			t.Errorf("returned badge: view waiting on %q, intern ready %v", v.WaitingOn, v.InternReadyAt)
		}
	})
	w.at(3*day, func() {
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "resume", DocumentID: "r2"})
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "cover_letter", DocumentID: "c2"})
	})
	w.at(4*day, func() { w.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: true}) })
	w.stopAt(4*day+time.Hour, func() {
		if v := w.view(); v.Stage != "applying" || v.InternReadyAt == nil {
			t.Errorf("after approval: %s, intern ready %v", v.Stage, v.InternReadyAt)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	if want := []string{"review_badge: say what the student should change"}; !slices.Equal(w.rejected, want) {
		t.Errorf("rejections %v, want %v", w.rejected, want)
	}
	returned := w.sentTemplate("badge_returned")
	if len(returned) != 1 || returned[0].Params["comment"] != "Add your volunteer work" || returned[0].Link == nil {
		t.Fatalf("badge_returned messages = %+v, want one with the comment and an upload link", returned)
	}
	if n := len(w.sentTemplate("badge_review_request")); n != 2 {
		t.Errorf("coordinator review requests = %d, want one per round (2)", n)
	}
}

func TestJourney_EmployerNeverDecides_RemindersThenCoordinator(t *testing.T) {
	w := newWorld(t)
	from := w.toApplying()
	w.at(from, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingA}) })
	w.stopAt(from+20*day, func() {
		v := w.view()
		if v.Stage != "applying" || v.WaitingOn != "employer" || !v.Overdue {
			t.Errorf("view = %s waiting on %q overdue %v, want applying/employer/overdue", v.Stage, v.WaitingOn, v.Overdue)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":decision:") })
	want := []string{"d2 new_applicant→supervisor", "d7 application_decision_reminder→supervisor", "d10 application_decision_reminder→supervisor", "d12 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("decision ladder = %v, want %v", got, want)
	}
}

func TestJourney_Declined_BackToApplyingWithNudge(t *testing.T) {
	w := newWorld(t)
	from := w.toApplying()
	w.at(from, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingA}) })
	w.at(from+day, func() {
		w.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: w.appID(0), Status: "declined"})
	})
	w.stopAt(from+day+time.Hour, func() {
		v := w.view()
		if v.Stage != "applying" || v.WaitingOn != "student" {
			t.Errorf("after a rejection: %s waiting on %q, want applying/student", v.Stage, v.WaitingOn)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	updates := w.sentTemplate("application_update")
	if len(updates) != 1 || updates[0].Params["status"] != "declined" {
		t.Fatalf("student was told %+v, want one 'declined' text", updates)
	}
	// The badge approval opened the postings; the rejection brings a fresh nudge.
	if n := len(w.sentTemplate("applying_nudge")); n != 1 {
		t.Fatalf("applying nudges = %d, want a fresh one after the rejection", n)
	}
}

func TestJourney_MOULate_WaitsEscalatesThenMovesOnWhenApproved(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingB) // district-funded
	w.at(placed+20*day, func() {
		v := w.view()
		if v.Stage != "mou_gate" || v.WaitingOn != "mou" || !v.Overdue {
			t.Errorf("view = %s/%s overdue=%v, want mou_gate/mou/overdue", v.Stage, v.WaitingOn, v.Overdue)
		}
		w.env.SignalWorkflow(workflows.SignalMOUApproved, workflows.MOUApprovedSignal{EmployerID: employerB})
	})
	w.stopAt(placed+20*day+time.Hour, func() {
		if v := w.view(); v.Stage != "work_permit" {
			t.Errorf("after MOU approval the journey is at %s, want work_permit", v.Stage)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	if w.mouWaits != 1 {
		t.Errorf("registered with the MOU workflow %d times, want 1", w.mouWaits)
	}
	if got := w.keysFor("mou"); !slices.Equal(got, []string{"d17 coordinator_stuck→coordinator"}) {
		t.Errorf("MOU wait messages = %v", got)
	}
}

func TestJourney_EmployerPaid_SkipsMOUGate(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.stopAt(placed+time.Hour, func() {
		if v := w.view(); v.Stage != "work_permit" {
			t.Errorf("employer-paid placement went to %s, want work_permit", v.Stage)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	if w.mouWaits != 0 {
		t.Error("an employer-paid placement waited on an MOU")
	}
}

func TestJourney_GuardianNeverSigns_OnlyGuardianNudgedThenCoordinator(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.at(placed+time.Hour, func() {
		w.update(workflows.UpdateSignPermit, sign("student", student, 1))
		w.update(workflows.UpdateSignPermit, sign("employer", employer, 1))
	})
	w.stopAt(placed+15*day, func() {
		v := w.view()
		if v.Stage != "work_permit" || v.WaitingOn != "guardian" || !v.Overdue || v.WaitingDetail != "permit_sign:guardian:v1" {
			t.Errorf("view = %s/%s (%s) overdue=%v", v.Stage, v.WaitingOn, v.WaitingDetail, v.Overdue)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	want := []string{"d3 permit_sign_request→guardian", "d5 permit_sign_request→guardian", "d8 permit_sign_request→guardian", "d10 coordinator_stuck→coordinator"}
	if got := w.keysFor("permit_sign:guardian:v1"); !slices.Equal(got, want) {
		t.Errorf("guardian ladder = %v, want %v", got, want)
	}
	for _, role := range []string{"student", "employer"} {
		if got := w.keysFor("permit_sign:" + role + ":v1"); len(got) != 1 {
			t.Errorf("%s (who signed at once) got %v, want only the first request", role, got)
		}
	}
	if w.permitDocs != 1 {
		t.Errorf("permit versions prepared = %d", w.permitDocs)
	}
	// Signing links bind to the document version's hash.
	for _, m := range w.sentTemplate("permit_sign_request") {
		if m.Link == nil || m.Link.DocumentSHA256 == "" || m.Link.Action != "sign_permit" {
			t.Fatalf("signing request without a bound link: %+v", m.Link)
		}
	}
}

func TestJourney_PermitRejected_CorrectedThenNewVersionCarriesCorrectionAndResigned(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.signAll(placed+time.Hour, 1)
	reason := "Hours exceed the limit for 16-year-olds"
	w.at(placed+day, func() {
		// Nothing to correct before a rejection.
		w.update(workflows.UpdateCorrectPermit, workflows.CorrectPermitInput{By: coord})
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: false})
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: false, Reason: reason})
	})
	w.at(placed+day+time.Hour, func() {
		// No new version is drawn until someone corrects the permit.
		st := w.status()
		if st.Permit == nil || st.Permit.Version != 1 || !st.Permit.AwaitingCorrection || st.Permit.Reason != reason {
			t.Errorf("after rejection permit = %+v, want version 1 awaiting correction with the reason", st.Permit)
		}
		if w.permitDocs != 1 {
			t.Errorf("a version was drawn before any correction (%d)", w.permitDocs)
		}
		// The employer may correct only its own fields, with valid values.
		w.update(workflows.UpdateCorrectPermit, workflows.CorrectPermitInput{By: employer,
			Values: []facts.FieldValue{{Field: "date_of_birth", Value: "2010-01-01"}}})
		w.update(workflows.UpdateCorrectPermit, workflows.CorrectPermitInput{By: employer,
			Values: []facts.FieldValue{{Field: "hours_per_week", Value: "lots"}}})
		w.update(workflows.UpdateCorrectPermit, workflows.CorrectPermitInput{By: employer,
			Values: []facts.FieldValue{{Field: "hours_per_week", Value: " 15 "}}})
	})
	w.at(placed+day+2*time.Hour, func() {
		// A signature on the old version is refused.
		w.update(workflows.UpdateSignPermit, sign("student", student, 1))
		st := w.status()
		if st.Permit == nil || st.Permit.Version != 2 || len(st.Permit.Signed) != 0 || st.Permit.AwaitingCorrection {
			t.Errorf("after the correction permit = %+v, want version 2 with no signatures", st.Permit)
		}
	})
	w.signAll(placed+2*day, 2)
	w.at(placed+3*day, func() {
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: true})
	})
	w.stopAt(placed+3*day+time.Hour, func() {
		if v := w.view(); v.Stage != "trainings" || v.PermitDoneAt == nil {
			t.Errorf("after approval: %s permit done %v", v.Stage, v.PermitDoneAt)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	want := []string{
		"correct_permit: the work permit is not waiting for corrections",
		"decide_permit: give the reason for rejecting the permit",
		"correct_permit: only the school can correct date of birth",
		"correct_permit: hours per week must be a number of hours from 1 to 60",
		"sign_permit: the permit changed since this link was sent; use the newest link",
	}
	if !slices.Equal(w.rejected, want) {
		t.Errorf("rejections = %v, want %v", w.rejected, want)
	}
	// The correction is written for version 2, before version 2 is drawn.
	var fact *facts.PermitCorrectionFact
	for _, r := range w.records {
		if r.Record.PermitCorrection != nil {
			fact = r.Record.PermitCorrection
		}
	}
	if fact == nil || fact.Version != 2 || len(fact.Values) != 1 || fact.Values[0] != (facts.FieldValue{Field: "hours_per_week", Value: "15"}) ||
		fact.ActorKind != "supervisor" {
		t.Errorf("correction written = %+v, want hours_per_week 15 for version 2 by the supervisor", fact)
	}
	if w.permitDocs != 2 {
		t.Errorf("permit versions = %d, want 2", w.permitDocs)
	}
	// Student and parent hear why; the employer gets a link to correct its
	// details; the coordinator is asked to correct it.
	got := w.templates(func(s sent) bool {
		return strings.Contains(s.IdemKey, "permit_rejected") || strings.Contains(s.IdemKey, "permit_correction")
	})
	wantMsgs := []string{"d4 permit_rejected→student", "d4 permit_rejected→guardian", "d4 permit_correction_employer→supervisor",
		"d4 permit_correction_request→coordinator"}
	if !slices.Equal(got, wantMsgs) {
		t.Errorf("on rejection sent %v, want %v", got, wantMsgs)
	}
	for _, m := range w.sentTemplate("permit_correction_employer") {
		if m.Params["reason"] != reason || m.Link == nil || m.Link.Action != "correct_permit" || m.Link.SubjectRef != "employer:v2" {
			t.Errorf("employer's correction request %+v link %+v", m.Params, m.Link)
		}
	}
	// Each signer of version 2 is told why and what changed, with a link
	// bound to version 2.
	resign := w.sentTemplate("permit_resign_request")
	if len(resign) != 3 {
		t.Fatalf("re-sign requests: %d, want 3 (student, guardian, employer)", len(resign))
	}
	for _, m := range resign {
		if m.Params["reason"] != reason || m.Params["changes"] != "Hours per week: now 15 (was 20)" ||
			m.Params["changes@es"] != "Horas por semana: ahora 15 (antes 20)" || m.Link == nil || !strings.HasSuffix(m.Link.SubjectRef, ":v2") {
			t.Errorf("re-sign request to %s: params %v link %+v", m.To.Kind, m.Params, m.Link)
		}
	}
}

func TestJourney_PermitApproved_EveryPartyTold(t *testing.T) {
	w := newWorld(t)
	placed := w.toPlaced(w.toApplying(), postingA)
	w.signAll(placed+time.Hour, 1)
	w.at(placed+day, func() {
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: true})
	})
	w.stopAt(placed+day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	got := w.templates(func(s sent) bool { return strings.HasPrefix(s.Template, "permit_approved") })
	want := []string{"d4 permit_approved→student", "d4 permit_approved→guardian", "d4 permit_approved→supervisor",
		"d4 permit_approved_staff→coordinator"}
	if !slices.Equal(got, want) {
		t.Errorf("on approval sent %v, want %v", got, want)
	}
	for _, m := range w.sentTemplate("permit_approved") {
		if m.Params["employer_name"] != "Valley Clinic" {
			t.Errorf("approval to %s names no employer: %v", m.To.Kind, m.Params)
		}
	}
}

// toWorking places the student and gets through permit and trainings.
func (w *world) toWorking() time.Duration {
	placed := w.toPlaced(w.toApplying(), postingA)
	w.signAll(placed+time.Hour, 1)
	w.at(placed+2*time.Hour, func() {
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: true})
	})
	w.at(placed+3*time.Hour, func() {
		w.update(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student, Code: "hipaa", DocumentID: "cert", CompletedOn: "2027-06-08"})
	})
	return placed + 3*time.Hour
}

func TestJourney_MissingTimesheet_StudentNudgedAtWeekEndThenCoordinator(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	w.stopAt(working+15*day, func() {
		v := w.view()
		if v.Stage != "working" || v.WaitingOn != "student" || !v.Overdue {
			t.Errorf("view = %s/%s overdue=%v", v.Stage, v.WaitingOn, v.Overdue)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":week:"+week+":timesheet:") })
	// The week opens on day 3 and is due a week later (day 10).
	want := []string{"d10 timesheet_nudge→student", "d12 timesheet_nudge→student", "d15 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("week %s ladder = %v, want %v", week, got, want)
	}
}

func TestJourney_SupervisorNeverApproves_RemindersThenCoordinator(t *testing.T) {
	w := newWorld(t)
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+6*day, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 2)) })
	w.stopAt(working+13*day+12*time.Hour, func() { // not on a week boundary: the test env cannot cancel a child in the instant it starts
		st := w.status()
		if st.Weeks[0].Status != "submitted" || !st.Weeks[0].Overdue || st.HoursApproved != 0 {
			t.Errorf("week = %+v hours %v", st.Weeks[0], st.HoursApproved)
		}
		if v := w.view(); v.WaitingOn != "employer" || !v.Overdue {
			t.Errorf("view waiting on %q overdue %v, want the overdue supervisor first", v.WaitingOn, v.Overdue)
		}
	})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	got := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":week:"+week+":timesheet_approval:") })
	want := []string{"d9 timesheet_approval_request→supervisor", "d11 timesheet_approval_request→supervisor", "d14 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("approval ladder = %v, want %v", got, want)
	}
	var written bool
	for _, s := range w.sheets {
		written = written || (s.Timesheet != nil && s.Timesheet.Status == "submitted" && s.Timesheet.Hours == 10)
		if len(s.Messages) > 0 && s.Messages[0].Template == "timesheet_approval_request" && !written {
			t.Fatal("the supervisor was asked to approve before the timesheet was written")
		}
	}
	if !written {
		t.Fatalf("the submitted timesheet was not written: %+v", w.sheets)
	}
}

func TestJourney_Withdrawn_LaddersStopAndJourneyCloses(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(2*day, func() {
		w.update(workflows.UpdateWithdraw, workflows.WithdrawInput{By: coord})
		w.update(workflows.UpdateWithdraw, workflows.WithdrawInput{By: coord, Reason: "Moved out of district"})
	})
	w.run(input(workflows.DefaultProgram()))
	if err := w.env.GetWorkflowError(); err != nil {
		t.Fatalf("withdrawn journey failed: %v", err)
	}
	v := w.view()
	if v.Stage != "withdrawn" || v.WithdrawnAt == nil || v.WaitingOn != "" {
		t.Fatalf("view = %+v", v)
	}
	last := w.records[len(w.records)-1].Record
	if last.Close != "withdrawn" {
		t.Errorf("journey closed as %q", last.Close)
	}
	for _, m := range w.messages {
		if m.At.Sub(w.start) > 2*day {
			t.Errorf("message after withdrawal: %s", m.Template)
		}
	}
	if want := []string{"withdraw: give the reason for withdrawing"}; !slices.Equal(w.rejected, want) {
		t.Errorf("rejections %v", w.rejected)
	}
	var audited bool
	for _, r := range w.records {
		for _, a := range r.Record.Audit {
			audited = audited || (a.Action == "withdraw_requested" && a.ActorRef == "coord-1")
		}
	}
	if !audited {
		t.Error("the withdrawal is not in the audit log")
	}
}

// Accepting an offer ends applying: the student is not told "internships
// are open now, apply" the moment they accept.
func TestJourney_OfferAccepted_NoApplyingNudgeAfterwards(t *testing.T) {
	w := newWorld(t)
	from := w.toApplying()
	placed := w.toPlaced(from, postingA)
	w.stopAt(placed+3*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	accepted := w.start.Add(from + day + time.Hour)
	for _, m := range w.sentTemplate("applying_nudge") {
		if !m.At.Before(accepted) {
			t.Errorf("the student was nudged to apply at %v, after accepting an offer at %v", m.At, accepted)
		}
	}
}
