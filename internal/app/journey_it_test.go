package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// A week lasts one second: 7 days / (7*86400).
const weekScale = 7 * 86400.0

// TestIntegration_FullJourneyOnRealServer runs a district-funded summer
// internship end to end on the real Temporal dev server and PostgreSQL:
// every stage, the employer's MOU workflow, the permit PDF, ten timesheet
// weeks for the 100-hour minimum. It checks the facts in Postgres, the read model, the search
// attributes and the size of the journey's history.
func TestIntegration_FullJourneyOnRealServer(t *testing.T) {
	s := newStackScaled(t, weekScale)
	f := apptest.NewFixture(t, s.Store, `{}`) // the default: 100 hours
	ctx := context.Background()
	js := s.Journeys
	e, err := js.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Journey.ID
	student := workflows.Actor{Kind: "student", Ref: f.Student}
	employer := workflows.Actor{Kind: "supervisor", Ref: f.Supervisor}
	up := func(name string, in any) {
		t.Helper()
		uctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := js.Update(uctx, id, name, "", in); err != nil {
			st, _ := js.Query(ctx, id)
			t.Fatalf("%s: %v (journey at %s, stuck %q)", name, err, st.Stage, st.StuckReason)
		}
	}
	waitStage := func(stage string) store.JourneyView {
		t.Helper()
		var v store.JourneyView
		eventually(t, "stage "+stage, func() bool { v, _ = js.Status(ctx, id); return v.Stage == stage })
		return v
	}

	waitStage("survey")
	up(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Sciences", Transport: "transit", ContactConsent: true})
	waitStage("intern_ready")
	up(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "resume", DocumentID: apptest.Document(t, s.Store, id, "resume")})
	up(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: "cover_letter", DocumentID: apptest.Document(t, s.Store, id, "cover_letter")})
	up(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: workflows.Actor{Kind: "staff", Ref: f.Coordinator}, Approve: true})
	waitStage("applying")
	up(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: f.Posting})
	st, _ := js.Query(ctx, id)
	app := st.Applications[0].ID
	up(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: app, Status: "offer"})
	up(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app})

	// District-funded: the journey waits on the employer's MOU workflow.
	v := waitStage("mou_gate")
	if v.WaitingOn != "mou" {
		t.Fatalf("MOU gate waits on %q", v.WaitingOn)
	}
	approveMOU(t, s, f)
	waitStage("work_permit")

	eventually(t, "the permit document", func() bool { st, _ = js.Query(ctx, id); return st.Permit != nil })
	for _, signer := range []struct {
		role string
		by   workflows.Actor
	}{{"student", student}, {"guardian", workflows.Actor{Kind: "guardian", Ref: "g1"}}, {"employer", employer}} {
		up(workflows.UpdateSignPermit, workflows.SignInput{By: signer.by, Role: signer.role, TypedName: "Signer " + signer.role,
			DocumentSHA256: st.Permit.DocumentSHA256, Consent: true, ConsentAt: time.Now(), IP: "203.0.113.7", UserAgent: "it-test"})
	}
	up(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: f.Issuer}, Approve: true})
	waitStage("trainings")
	up(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student, Code: "hipaa", DocumentID: apptest.Document(t, s.Store, id, "certificate"),
		CompletedOn: time.Now().Format(time.DateOnly)})
	waitStage("working")

	for n := range 10 {
		eventually(t, fmt.Sprintf("week %d to open", n), func() bool { st, _ = js.Query(ctx, id); return len(st.Weeks) > n })
		week := st.Weeks[n].Week
		monday, _ := time.Parse(time.DateOnly, week)
		var entries []workflows.TimesheetEntry
		for d := range 5 {
			entries = append(entries, workflows.TimesheetEntry{Date: monday.AddDate(0, 0, d).Format(time.DateOnly), Hours: 2})
		}
		if err := js.UpdateWeek(ctx, id, week, workflows.UpdateSubmitTimesheet, "", workflows.TimesheetInput{By: student, Entries: entries}); err != nil {
			t.Fatalf("submit week %s: %v", week, err)
		}
		if err := js.UpdateWeek(ctx, id, week, workflows.UpdateReviewTimesheet, "", workflows.TimesheetReviewInput{By: employer, Approve: true}); err != nil {
			t.Fatalf("approve week %s: %v", week, err)
		}
	}
	waitStage("completing")
	up(workflows.UpdateReflection, workflows.ReflectionInput{By: student, Body: "I learned to check in patients and keep records private."})
	up(workflows.UpdateFeedback, workflows.FeedbackInput{By: employer, Ratings: map[string]int{"communication": 5, "reliability": 4,
		"teamwork": 5, "initiative": 4, "professionalism": 5}, Comment: "Ready for a job"})
	v = waitStage("completed")

	if v.HoursApproved != 100 || v.CompletedAt == nil || v.PermitDoneAt == nil {
		t.Errorf("final read model: %+v", v)
	}
	checkFacts(t, s, id)
	events := historyLength(t, s, e.Journey.WorkflowID)
	t.Logf("journey history: %d events for a 100-hour journey (10 timesheet weeks in child workflows)", events)
	if events > 1000 {
		t.Errorf("journey history has %d events, want under 1,000", events)
	}
	checkSearchAttributes(t, s, e.Journey.WorkflowID)
	recordHistories(t, s, "full_journey", e.Journey.WorkflowID, activities.MOUWorkflowID(f.Employer, time.Now().Year()+1),
		workflows.WeekWorkflowID(e.Journey.WorkflowID, st.Weeks[0].Week))
}

func approveMOU(t *testing.T, s *stack, f apptest.Fixture) {
	t.Helper()
	ctx := context.Background()
	mouID := activities.MOUWorkflowID(f.Employer, time.Now().Year()+1)
	var ms workflows.MOUStatus
	eventually(t, "the MOU document", func() bool {
		v, err := s.Temporal.QueryWorkflow(ctx, mouID, "", workflows.QueryMOUStatus)
		return err == nil && v.Get(&ms) == nil && ms.DocumentSHA256 != "" && ms.WaitingJourneys == 1
	})
	sign := workflows.MOUSignInput{SignInput: workflows.SignInput{By: workflows.Actor{Kind: "employer", Ref: f.Employer}, Role: "employer",
		TypedName: "Pat Lee", DocumentSHA256: ms.DocumentSHA256, Consent: true, ConsentAt: time.Now()}}
	if err := s.Journeys.UpdateWorkflow(ctx, mouID, workflows.UpdateSignMOU, "", sign); err != nil {
		t.Fatalf("sign MOU: %v", err)
	}
	approve := workflows.MOUApproveInput{By: workflows.Actor{Kind: "staff", Ref: f.Approver}, Approve: true,
		ImplementationDate: time.Now().Format(time.DateOnly)}
	if err := s.Journeys.UpdateWorkflow(ctx, mouID, workflows.UpdateApproveMOU, "", approve); err != nil {
		t.Fatalf("approve MOU: %v", err)
	}
}

// checkFacts asserts every fact of the journey landed in Postgres.
func checkFacts(t *testing.T, s *stack, journeyID string) {
	t.Helper()
	counts := map[string]string{
		"survey":         `SELECT count(*) FROM survey_responses WHERE journey_id = $1`,
		"accepted app":   `SELECT count(*) FROM applications WHERE journey_id = $1 AND status = 'accepted'`,
		"placement":      `SELECT count(*) FROM placements WHERE journey_id = $1 AND funding_source = 'district_cte'`,
		"approved MOU":   `SELECT count(*) FROM mous m JOIN placements p ON p.employer_id = m.employer_id WHERE p.journey_id = $1 AND m.status IN ('approved','active')`,
		"signed permit":  `SELECT count(*) FROM work_permits WHERE journey_id = $1 AND status = 'approved' AND signed_pdf_id IS NOT NULL`,
		"signatures":     `SELECT count(*) FROM signatures g JOIN work_permits w ON w.document_id = g.document_id WHERE w.journey_id = $1`,
		"training":       `SELECT count(*) FROM training_completions WHERE journey_id = $1`,
		"approved weeks": `SELECT count(*) FROM timesheets WHERE journey_id = $1 AND status = 'approved'`,
		"entries":        `SELECT count(*) FROM timesheet_entries e JOIN timesheets t ON t.id = e.timesheet_id WHERE t.journey_id = $1`,
		"reflection":     `SELECT count(*) FROM reflections WHERE journey_id = $1`,
		"feedback":       `SELECT count(*) FROM employer_feedback WHERE journey_id = $1`,
		"closed":         `SELECT count(*) FROM journeys WHERE id = $1 AND status = 'completed'`,
		"survey invite":  `SELECT count(*) FROM messages WHERE journey_id = $1 AND template = 'survey_invite' AND recipient_kind = 'student'`,
	}
	want := map[string]int{"signatures": 3, "approved weeks": 10, "entries": 50}
	for name, q := range counts {
		var n int
		if err := s.Pool.QueryRow(context.Background(), q, journeyID).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		w := want[name]
		if w == 0 {
			w = 1
		}
		if n != w {
			t.Errorf("%s: %d rows, want %d", name, n, w)
		}
	}
}

func historyLength(t *testing.T, s *stack, workflowID string) int {
	t.Helper()
	n := 0
	it := s.Temporal.GetWorkflowHistory(context.Background(), workflowID, "", false, 0)
	for it.HasNext() {
		if _, err := it.Next(); err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func checkSearchAttributes(t *testing.T, s *stack, workflowID string) {
	t.Helper()
	query := fmt.Sprintf(`WorkflowId = '%s' AND Stage = 'completed'`, workflowID)
	eventually(t, "visibility to show the completed stage", func() bool {
		resp, err := s.Temporal.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
		return err == nil && len(resp.Executions) == 1
	})
}

// recordHistories writes the workflows' histories to the replay test's
// testdata when INTERNFLOW_RECORD_HISTORIES is set: the replay test then
// proves later code still replays journeys that ran on this code.
func recordHistories(t *testing.T, s *stack, name string, workflowIDs ...string) {
	t.Helper()
	if os.Getenv("INTERNFLOW_RECORD_HISTORIES") == "" {
		return
	}
	dir := filepath.Join("..", "..", "workflows", "testdata", "histories")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, id := range workflowIDs {
		var hist historypb.History
		it := s.Temporal.GetWorkflowHistory(context.Background(), id, "", false, 0)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatal(err)
			}
			hist.Events = append(hist.Events, ev)
		}
		raw, err := protojson.MarshalOptions{Indent: " "}.Marshal(&hist)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s_%d.json", name, i))
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %s (%d events)", file, len(hist.Events))
	}
}

// TestIntegration_PermitRejectedThenWithdrawn covers the unhappy end: an
// employer-paid placement, a rejected permit re-signed as version 2, and a
// withdrawal by staff that closes the journey and stops its ladders.
func TestIntegration_PermitRejectedThenWithdrawn(t *testing.T) {
	s := newStackScaled(t, 1)
	f := apptest.NewFixture(t, s.Store, `{}`)
	ctx := context.Background()
	if _, err := s.Pool.Exec(ctx, `UPDATE postings SET funding_source = 'employer_paid' WHERE id = $1`, f.Posting); err != nil {
		t.Fatal(err)
	}
	js := s.Journeys
	e, err := js.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Journey.ID
	coord := workflows.Actor{Kind: "staff", Ref: f.Coordinator}
	student := workflows.Actor{Kind: "student", Ref: f.Student}
	employer := workflows.Actor{Kind: "supervisor", Ref: f.Supervisor}
	up := func(name string, in any) {
		t.Helper()
		if err := js.Update(ctx, id, name, "", in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	up(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Sciences", Transport: "car", ContactConsent: true})
	up(workflows.UpdateWaive, workflows.WaiveInput{By: coord, Step: "intern_ready", Reason: "Badge earned at the spring workshop"})
	var st workflows.JourneyStatus
	eventually(t, "applying", func() bool { st, _ = js.Query(ctx, id); return st.Stage == workflows.StageApplying })
	up(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: f.Posting})
	st, _ = js.Query(ctx, id)
	up(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: st.Applications[0].ID, Status: "offer"})
	up(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: st.Applications[0].ID})
	eventually(t, "the permit", func() bool { st, _ = js.Query(ctx, id); return st.Permit != nil })
	signAll := func(sha string) {
		for _, r := range []struct {
			role string
			by   workflows.Actor
		}{{"student", student}, {"guardian", workflows.Actor{Kind: "guardian", Ref: "g1"}}, {"employer", employer}} {
			up(workflows.UpdateSignPermit, workflows.SignInput{By: r.by, Role: r.role, TypedName: "Signer", DocumentSHA256: sha,
				Consent: true, ConsentAt: time.Now(), IP: "198.51.100.4", UserAgent: "it"})
		}
	}
	signAll(st.Permit.DocumentSHA256)
	up(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: f.Issuer}, Reason: "Worksite address missing a suite number"})
	eventually(t, "permit version 2", func() bool { st, _ = js.Query(ctx, id); return st.Permit != nil && st.Permit.Version == 2 })
	up(workflows.UpdateWithdraw, workflows.WithdrawInput{By: coord, Reason: "Family moved away"})
	var v store.JourneyView
	eventually(t, "withdrawn", func() bool { v, _ = js.Status(ctx, id); return v.Stage == "withdrawn" })
	var status string
	if err := s.Pool.QueryRow(ctx, `SELECT status FROM journeys WHERE id = $1`, id).Scan(&status); err != nil || status != "withdrawn" {
		t.Fatalf("journey row status %q (%v)", status, err)
	}
	var rejected, superseded int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'rejected'), count(*) FILTER (WHERE version = 2)
		FROM work_permits WHERE journey_id = $1`, id).Scan(&rejected, &superseded)
	if rejected != 1 || superseded != 1 {
		t.Errorf("permits: %d rejected, %d version 2", rejected, superseded)
	}
	var audited int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND actor_kind = 'staff'`, id).Scan(&audited)
	if audited < 3 { // waive, permit rejection, withdrawal
		t.Errorf("staff actions audited: %d, want at least 3", audited)
	}
	recordHistories(t, s, "permit_rejected_withdrawn", e.Journey.WorkflowID)
}

// TestIntegration_ProgramStartsLater runs a journey placed two weeks before
// the program's start date through its first timesheet week.
func TestIntegration_ProgramStartsLater(t *testing.T) {
	s := newStackScaled(t, weekScale)
	start := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
	f := apptest.NewFixture(t, s.Store, `{"required_hours": 10, "stages": ["working"], "calendar": {"start": "`+start+`"}}`)
	ctx := context.Background()
	if _, err := s.Pool.Exec(ctx, `UPDATE postings SET funding_source = 'employer_paid', required_trainings = '{}' WHERE id = $1`, f.Posting); err != nil {
		t.Fatal(err)
	}
	js := s.Journeys
	e, err := js.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Journey.ID
	student := workflows.Actor{Kind: "student", Ref: f.Student}
	employer := workflows.Actor{Kind: "supervisor", Ref: f.Supervisor}
	up := func(name string, in any) {
		t.Helper()
		if err := js.Update(ctx, id, name, "", in); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	up(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Sciences", Transport: "walk", ContactConsent: true})
	var st workflows.JourneyStatus
	eventually(t, "applying", func() bool { st, _ = js.Query(ctx, id); return st.Stage == workflows.StageApplying })
	up(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: f.Posting})
	st, _ = js.Query(ctx, id)
	up(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: st.Applications[0].ID, Status: "offer"})
	up(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: st.Applications[0].ID})
	eventually(t, "the first week", func() bool { st, _ = js.Query(ctx, id); return len(st.Weeks) > 0 })
	week := st.Weeks[0].Week
	monday, _ := time.Parse(time.DateOnly, week)
	var entries []workflows.TimesheetEntry
	for d := range 5 {
		entries = append(entries, workflows.TimesheetEntry{Date: monday.AddDate(0, 0, d).Format(time.DateOnly), Hours: 2})
	}
	if err := js.UpdateWeek(ctx, id, week, workflows.UpdateSubmitTimesheet, "", workflows.TimesheetInput{By: student, Entries: entries}); err != nil {
		t.Fatal(err)
	}
	if err := js.UpdateWeek(ctx, id, week, workflows.UpdateReviewTimesheet, "", workflows.TimesheetReviewInput{By: employer, Approve: true}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "completing", func() bool { st, _ = js.Query(ctx, id); return st.Stage == workflows.StageCompleting })
	up(workflows.UpdateWithdraw, workflows.WithdrawInput{By: workflows.Actor{Kind: "staff", Ref: f.Coordinator}, Reason: "test ends here"})
	recordHistories(t, s, "program_starts_later", e.Journey.WorkflowID)
}

// TestIntegration_ProgramEdit_OnlyExplicitMigrationMovesRunningJourneys
// edits a program while a journey runs: the journey keeps its version
// until staff migrate it.
func TestIntegration_ProgramEdit_OnlyExplicitMigrationMovesRunningJourneys(t *testing.T) {
	s := newStackScaled(t, 1)
	f := apptest.NewFixture(t, s.Store, `{}`)
	ctx := context.Background()
	e, err := s.Journeys.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	version := func() int {
		var v int
		_ = s.Pool.QueryRow(ctx, `SELECT program_version FROM journeys WHERE id = $1`, e.Journey.ID).Scan(&v)
		return v
	}
	if _, err := s.Store.UpdateProgramDefinition(ctx, f.Program, []byte(`{"required_hours": 80}`)); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != 1 {
		t.Fatalf("editing the program moved the running journey to version %d", v)
	}
	n, err := s.Journeys.MigrateProgram(ctx, f.Program, workflows.Actor{Kind: "staff", Ref: f.Coordinator})
	if err != nil || n != 1 {
		t.Fatalf("migrate: %d journeys, %v", n, err)
	}
	var view store.JourneyView
	eventually(t, "the journey to run version 2", func() bool {
		view, _ = s.Journeys.Status(ctx, e.Journey.ID)
		return version() == 2 && view.HoursRequired == 80
	})
	if n, _ := s.Journeys.MigrateProgram(ctx, f.Program, workflows.Actor{Kind: "staff", Ref: f.Coordinator}); n != 0 {
		t.Errorf("a second migration moved %d journeys", n)
	}
}
