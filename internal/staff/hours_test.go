package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/workflows"
)

// toWorking takes school A's student (16, in a California district, a
// summer program) through to their first timesheet week, by the journey's
// own inputs, and returns the week.
func (e *env) toWorking(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `UPDATE postings SET funding_source = 'employer_paid' WHERE id = $1`, e.f.Posting); err != nil {
		t.Fatal(err)
	}
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	employer := workflows.Actor{Kind: "employer", Ref: e.f.Employer}
	e.up(t, workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true})
	for _, kind := range []string{"resume", "cover_letter"} {
		e.up(t, workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: kind,
			DocumentID: apptest.Document(t, e.Store, e.journeyA, kind)})
	}
	e.up(t, workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Coordinator}, Approve: true})
	var st workflows.JourneyStatus
	eventually(t, "applying", func() bool {
		var err error
		st, err = e.Journeys.Query(ctx, e.journeyA)
		return err == nil && st.Stage == workflows.StageApplying
	})
	e.up(t, workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: e.f.Posting})
	st, _ = e.Journeys.Query(ctx, e.journeyA)
	app := st.Applications[0].ID
	e.up(t, workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: app, Status: "offer"})
	e.up(t, workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app})
	eventually(t, "the permit", func() bool {
		st, _ = e.Journeys.Query(ctx, e.journeyA)
		return st.Permit != nil && st.Permit.DocumentSHA256 != ""
	})
	e.signPermit(t, st.Permit.DocumentSHA256, student, employer)
	e.up(t, workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Approve: true})
	eventually(t, "trainings", func() bool {
		st, _ = e.Journeys.Query(ctx, e.journeyA)
		return st.Stage == workflows.StageTrainings
	})
	e.up(t, workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student, Code: "hipaa",
		DocumentID: apptest.Document(t, e.Store, e.journeyA, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	eventually(t, "the first week", func() bool {
		st, _ = e.Journeys.Query(ctx, e.journeyA)
		return len(st.Weeks) > 0
	})
	return st.Weeks[0].Week
}

// TestHourRules_CoordinatorSeesBreachAndDecides: a 16-year-old's 9-hour
// summer day breaks California's 8-hour limit. The dashboard flags the
// journey, the student page says which rule and why and holds the hour
// over the limit; once the supervisor approves, the coordinator counts it
// with a reason, which the audit log keeps.
func TestHourRules_CoordinatorSeesBreachAndDecides(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	week := e.toWorking(t)
	monday, _ := time.Parse(time.DateOnly, week)
	ctx := context.Background()
	sheet := workflows.TimesheetInput{By: workflows.Actor{Kind: "student", Ref: e.f.Student},
		Entries: []workflows.TimesheetEntry{{Date: week, Hours: 9}}}
	if err := e.Journeys.UpdateWeek(ctx, e.journeyA, week, workflows.UpdateSubmitTimesheet, "", sheet); err != nil {
		t.Fatal(err)
	}
	line := monday.Format("Monday, January 2") + ": 9 hours worked; the limit for ages 16-17 on a day without school is 8 hours (California law)."
	has(t, coach.Get("/staff/students/"+e.journeyA), "Work-hour rules for minors", line, "1 hour held once approved")
	has(t, coach.Get("/staff"), "Hours held")

	review := workflows.TimesheetReviewInput{By: workflows.Actor{Kind: "supervisor", Ref: e.f.Supervisor}, Approve: true}
	if err := e.Journeys.UpdateWeek(ctx, e.journeyA, week, workflows.UpdateReviewTimesheet, "", review); err != nil {
		t.Fatal(err)
	}
	eventually(t, "8 of 9 hours counted", func() bool {
		v, err := e.Store.GetJourneyView(ctx, e.journeyA)
		return err == nil && v.HoursApproved == 8
	})
	has(t, coach.Get("/staff/students/"+e.journeyA), "1 hour held, waiting for your decision", "Count the 1 hour", "Don't count them")

	refusal := refused(t, coach, e.journeyA, "hours", url.Values{"week": {week}, "decision": {"count"}, "reason": {" "}})
	nextTo(t, refusal, "hours", "reason", "Give the reason for your decision.")
	kept(t, refusal, "hours", "reason", " ")
	has(t, refusal, "1 hour held, waiting for your decision")
	page := act(t, coach, e.journeyA, "hours", url.Values{"week": {week}, "decision": {"count"},
		"reason": {"The clinic stayed open late for a vaccination drive; approved by the principal."}})
	has(t, page, "The held hours of the week of "+monday.Format("Jan 2, 2006")+" now count.")
	eventually(t, "9 hours counted", func() bool {
		v, err := e.Store.GetJourneyView(ctx, e.journeyA)
		return err == nil && v.HoursApproved == 9
	})
	has(t, coach.Get("/staff/students/"+e.journeyA), "Counted: 1 hour by Coach Rivera", "vaccination drive")
	if strings.Contains(coach.Get("/staff").Body, `<span class="tag warn">Hours held</span>`) {
		t.Error("the dashboard still flags hours held after the decision")
	}
	if e.auditCount(t, coachA, "hours_decided", e.journeyA) != 1 {
		t.Error("the decision is not in the audit log")
	}
}
