package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/workflows"
)

// happyUntilWorking plays a student who does everything promptly up to
// the first timesheet week; it returns when work starts (offset).
func (w *world) happyUntilWorking() time.Duration {
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(1*day, func() {
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "resume", DocumentID: "r1"})
		w.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "cover_letter", DocumentID: "c1"})
	})
	w.at(2*day, func() { w.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: true}) })
	w.at(3*day, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingA}) })
	app := func() string {
		apps := w.status().Applications
		if len(apps) == 0 {
			t := w.t
			t.Fatalf("no application at %v; rejections: %v; stage %s", w.env.Now(), w.rejected, w.status().Stage)
		}
		return apps[0].ID
	}
	w.at(4*day, func() {
		w.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: app(), Status: "interview"})
	})
	w.at(6*day, func() {
		w.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: app(), Status: "offer"})
	})
	w.at(7*day, func() {
		w.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app()})
	})
	w.at(8*day, func() {
		w.update(workflows.UpdateSignPermit, sign("student", student, 1))
		w.update(workflows.UpdateSignPermit, sign("guardian", guardian, 1))
	})
	w.at(8*day+12*time.Hour, func() { w.update(workflows.UpdateSignPermit, sign("employer", employer, 1)) })
	w.at(10*day, func() {
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: true})
	})
	w.at(11*day, func() {
		w.update(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student, Code: "hipaa", DocumentID: "cert", CompletedOn: "2027-06-17"})
	})
	return 11 * day
}

// workWeeks plays weeks submitted on time and approved the next day.
func (w *world) workWeeks(from time.Duration, weeks int, hoursPerDay float64) time.Duration {
	monday := mondayOf(w.start.Add(from))
	for n := range weeks {
		week := monday.AddDate(0, 0, 7*n).Format(time.DateOnly)
		submitAt := from + time.Duration(n+1)*7*day - 2*time.Hour
		w.at(submitAt, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, hoursPerDay)) })
		w.at(submitAt+day, func() {
			w.updateWeek(week, workflows.UpdateReviewTimesheet, workflows.TimesheetReviewInput{By: employer, Approve: true})
		})
	}
	return from + time.Duration(weeks)*7*day + day
}

func weekInput(week string, hoursPerDay float64) workflows.TimesheetInput {
	monday, _ := time.Parse(time.DateOnly, week)
	var entries []workflows.TimesheetEntry
	for d := range 5 {
		entries = append(entries, workflows.TimesheetEntry{Date: monday.AddDate(0, 0, d).Format(time.DateOnly), Hours: hoursPerDay})
	}
	return workflows.TimesheetInput{By: student, Entries: entries}
}

func mondayOf(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

func (w *world) finish(at time.Duration) {
	w.at(at, func() {
		w.update(workflows.UpdateReflection, workflows.ReflectionInput{By: student, Body: "I learned how a clinic front desk runs.", Recommend: 4})
	})
	w.at(at+day, func() {
		w.update(workflows.UpdateFeedback, workflows.FeedbackInput{By: employer, Ratings: ratings(), Comment: "Great"})
	})
}

func TestJourney_HappyPath_CompletesWithHundredHours(t *testing.T) {
	w := newWorld(t)
	working := w.happyUntilWorking()
	done := w.workWeeks(working, 10, 2) // 10 weeks x 10 hours
	w.finish(done)
	began := time.Now()
	w.run(input(workflows.DefaultProgram()))
	if elapsed := time.Since(began); elapsed > 5*time.Second {
		t.Errorf("a 12-week journey took %v of test time", elapsed)
	}
	w.noRejections()
	if err := w.env.GetWorkflowError(); err != nil {
		t.Fatalf("journey failed: %v", err)
	}
	var res workflows.JourneyResult
	_ = w.env.GetWorkflowResult(&res)
	if res.Stage != workflows.StageCompleted || res.HoursApproved != 100 {
		t.Fatalf("result = %+v, want completed with 100 hours", res)
	}
	v := w.view()
	if v.Stage != "completed" || v.HoursApproved != 100 || v.WaitingOn != "" || v.Overdue {
		t.Fatalf("final view = %+v", v)
	}
	for name, m := range map[string]*time.Time{"survey": v.SurveyDoneAt, "intern_ready": v.InternReadyAt, "applied": v.AppliedAt,
		"placed": v.PlacedAt, "permit": v.PermitDoneAt, "trainings": v.TrainingsDoneAt, "working": v.WorkingAt, "completed": v.CompletedAt} {
		if m == nil {
			t.Errorf("funnel milestone %s not set", name)
		}
	}
	if v.WithdrawnAt != nil {
		t.Error("a completed journey shows as withdrawn")
	}
	// What people were sent, in order, on a prompt journey: first-rung
	// invitations only, never a reminder or an escalation.
	for _, m := range w.messages {
		if strings.HasSuffix(m.IdemKey, ":r1") || m.Template == "coordinator_stuck" {
			t.Errorf("a prompt journey sent a reminder: %s %s", m.IdemKey, m.Template)
		}
	}
	want := []string{"survey_invite→student", "badge_upload_nudge→student", "badge_review_request→coordinator",
		"badge_approved→student", "application_update→student", "application_update→student",
		"permit_sign_request→student", "permit_sign_request→guardian", "permit_sign_request→supervisor",
		"permit_approval_request→permit_issuer", "training_nudge→student", "timesheet_approval_request→supervisor",
		"reflection_nudge→student", "feedback_request→supervisor", "journey_completed→student"}
	got := w.templates(nil)
	for _, wantMsg := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasSuffix(g, " "+wantMsg) }) {
			t.Errorf("no %s message; sent:\n%s", wantMsg, strings.Join(got, "\n"))
		}
	}
	// "You are Intern Ready, start applying" opens the postings; no second
	// "internships are open, apply" follows it.
	if b := w.sentTemplate("badge_approved"); len(b) != 1 || b[0].Link == nil || b[0].Link.Action != "apply" {
		t.Errorf("badge approved: %+v, want one text opening the postings", b)
	}
	if n := len(w.sentTemplate("applying_nudge")); n != 0 {
		t.Errorf("a student who applied at once got %d applying nudges", n)
	}
	if n := len(w.sentTemplate("timesheet_approval_request")); n != 10 {
		t.Errorf("supervisor got %d approval requests, want one per week (10)", n)
	}
	if n := len(w.sentTemplate("timesheet_nudge")); n != 0 {
		t.Errorf("on-time timesheets still sent %d nudges", n)
	}
}

func TestJourney_NoSurvey_LadderThenCoordinatorAlertThenSilence(t *testing.T) {
	w := newWorld(t)
	w.at(30*day, func() {
		v := w.view()
		if v.Stage != "survey" || v.WaitingOn != "student" || !v.Overdue {
			t.Errorf("after 30 days without a survey the view is %s/%s overdue=%v", v.Stage, v.WaitingOn, v.Overdue)
		}
		w.env.CancelWorkflow()
	})
	w.run(input(workflows.DefaultProgram()))
	got := w.templates(nil)
	want := []string{"d0 survey_invite→student", "d3 survey_nudge→student", "d7 survey_nudge→student", "d10 coordinator_stuck→coordinator"}
	if !slices.Equal(got, want) {
		t.Fatalf("messages = %v, want %v", got, want)
	}
}

func TestJourney_SurveyArrives_LadderStopsAtOnce(t *testing.T) {
	w := newWorld(t)
	w.at(4*day, func() { w.update(workflows.UpdateSurvey, survey()) })
	w.at(30*day, func() { w.env.CancelWorkflow() })
	w.run(input(workflows.DefaultProgram()))
	survey := w.templates(func(s sent) bool { return strings.Contains(s.IdemKey, ":survey:") })
	want := []string{"d0 survey_invite→student", "d3 survey_nudge→student"}
	if !slices.Equal(survey, want) {
		t.Fatalf("survey messages = %v, want %v (nothing after the survey arrived)", survey, want)
	}
}

func TestJourney_BadInput_RejectedWithReason(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() {
		w.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "", Transport: "transit"})
		w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingA})
		w.update(workflows.UpdateSurvey, survey())
		w.update(workflows.UpdateSurvey, survey())
	})
	w.at(2*day, func() { w.env.CancelWorkflow() })
	w.run(input(workflows.DefaultProgram()))
	want := []string{
		"submit_survey: choose a career pathway",
		"apply: applying is not open right now (the journey is at survey)",
		"submit_survey: the survey was already submitted",
	}
	if !slices.Equal(w.rejected, want) {
		t.Fatalf("rejections =\n%s\nwant\n%s", strings.Join(w.rejected, "\n"), strings.Join(want, "\n"))
	}
}

func TestJourney_DoubleTap_SameUpdateIDIsOneEffect(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() {
		w.updateID(workflows.UpdateSurvey, "tap-1", survey())
		w.updateID(workflows.UpdateSurvey, "tap-1", survey())
	})
	w.at(day, func() { w.env.CancelWorkflow() })
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	n := 0
	for _, r := range w.records {
		if r.Record.Survey != nil {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("survey written %d times, want once", n)
	}
}
