package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/workflows"
)

// up delivers a student's or employer's input (their link pages are
// tested elsewhere; here they only move the journey to the staff).
func (e *env) up(t *testing.T, name string, in any) {
	t.Helper()
	if err := e.Journeys.Update(context.Background(), e.journeyA, name, "", in); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func (e *env) waitStage(t *testing.T, c *stafftest.Client, stage string) stafftest.Response {
	t.Helper()
	var page stafftest.Response
	eventually(t, "the student page at "+stage, func() bool {
		page = c.Get("/staff/students/" + e.journeyA)
		return strings.Contains(page.Body, `<dd id="stage">`+stage)
	})
	return page
}

// Every staff decision on a district-funded placement, made on the staff
// pages: the coordinator approves the Intern Ready badge, the MOU approver
// approves the employer's MOU, the permit issuer reads the permit PDF and
// approves it. Each one moves the real workflow on.
func TestStaffDecisions_BadgeMOUAndPermitMoveTheJourney(t *testing.T) {
	e := newEnv(t)
	coach, approver, issuer := e.signIn(t, coachA), e.signIn(t, approverOps), e.signIn(t, issuerA)
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	employer := workflows.Actor{Kind: "employer", Ref: e.f.Employer}

	e.up(t, workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true})
	e.waitStage(t, coach, "Intern Ready")
	for _, kind := range []string{"resume", "cover_letter"} {
		e.up(t, workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: kind,
			DocumentID: apptest.Document(t, e.Store, e.journeyA, kind)})
	}
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, `id="badge"`, "Resume", "Cover letter")
	has(t, act(t, coach, e.journeyA, "badge", url.Values{"decision": {"approve"}}), "Intern Ready badge approved.")
	e.waitStage(t, coach, "Applying")

	e.up(t, workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: e.f.Posting})
	st, err := e.Journeys.Query(context.Background(), e.journeyA)
	if err != nil {
		t.Fatal(err)
	}
	app := st.Applications[0].ID
	e.up(t, workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: app, Status: "offer"})
	e.up(t, workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app})
	e.waitStage(t, coach, "Employer MOU")

	mouWorkflow := activities.MOUWorkflowID(e.f.Employer, time.Now().Year()+1)
	employerSignsMOU(t, e, mouWorkflow)
	var mouID string
	eventually(t, "the signed MOU on the approvals page", func() bool {
		_ = e.Pool.QueryRow(context.Background(), `SELECT id FROM mous WHERE workflow_id = $1 AND status = 'employer_signed'`, mouWorkflow).Scan(&mouID)
		return mouID != "" && strings.Contains(approver.Get("/staff/mous").Body, "/staff/mous/"+mouID+"/decide")
	})
	if doc := approver.Get("/staff/mous/" + mouID + "/document"); doc.Status != 200 || !strings.Contains(doc.Body, "MEMORANDUM OF UNDERSTANDING") {
		t.Fatalf("MOU document: %d", doc.Status)
	}
	r := approver.Action("/staff/mous/"+mouID+"/decide", url.Values{"decision": {"approve"},
		"implementation_date": {time.Now().Format(time.DateOnly)}})
	has(t, approver.Get(r.Header.Get("Location")), "MOU for Valley Clinic approved")
	page = e.waitStage(t, issuer, "Work permit")

	st, _ = e.Journeys.Query(context.Background(), e.journeyA)
	e.signPermit(t, st.Permit.DocumentSHA256, student, employer)
	eventually(t, "the permit waiting on the issuer", func() bool {
		page = issuer.Get("/staff/students/" + e.journeyA)
		return strings.Contains(page.Body, `<dd id="waiting">Permit issuer`)
	})
	has(t, page, `id="permit"`, "3 signatures", "Permit PDF")
	pdf := issuer.Get(stafftest.LinkText(page.Body, "Permit PDF"))
	if pdf.Status != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF") {
		t.Fatalf("permit PDF: %d %s", pdf.Status, pdf.Header.Get("Content-Type"))
	}
	has(t, act(t, issuer, e.journeyA, "permit", url.Values{"decision": {"approve"}}), "Work permit approved.")
	e.waitStage(t, issuer, "Trainings")
	for who, action := range map[string]string{coachA: "badge_approved", issuerA: "permit_approved"} {
		if e.auditCount(t, who, action, e.journeyA) != 1 {
			t.Errorf("%s's %s is not in the audit log", who, action)
		}
	}
	if r := coach.Get("/staff/students/" + e.journeyA); strings.Contains(r.Body, `id="permit"`) {
		t.Error("the coordinator is offered the permit decision")
	}
}

// signPermit has the student, a parent and the employer sign the permit.
func (e *env) signPermit(t *testing.T, sha string, student, employer workflows.Actor) {
	t.Helper()
	for _, s := range []struct {
		role string
		by   workflows.Actor
	}{{"student", student}, {"guardian", workflows.Actor{Kind: "guardian", Ref: "g1"}}, {"employer", employer}} {
		e.up(t, workflows.UpdateSignPermit, workflows.SignInput{By: s.by, Role: s.role, TypedName: "Signer " + s.role,
			DocumentSHA256: sha, Consent: true, ConsentAt: time.Now(), IP: "203.0.113.7", UserAgent: "test"})
	}
}

// employerSignsMOU signs the employer's MOU as the employer's link page would.
func employerSignsMOU(t *testing.T, e *env, workflowID string) {
	t.Helper()
	ctx := context.Background()
	var ms workflows.MOUStatus
	eventually(t, "the MOU document", func() bool {
		v, err := e.Temporal.QueryWorkflow(ctx, workflowID, "", workflows.QueryMOUStatus)
		return err == nil && v.Get(&ms) == nil && ms.DocumentSHA256 != ""
	})
	sign := workflows.MOUSignInput{SignInput: workflows.SignInput{By: workflows.Actor{Kind: "employer", Ref: e.f.Employer},
		Role: "employer", TypedName: "Pat Lee", DocumentSHA256: ms.DocumentSHA256, Consent: true, ConsentAt: time.Now()}}
	if err := e.Journeys.UpdateWorkflow(ctx, workflowID, workflows.UpdateSignMOU, "", sign); err != nil {
		t.Fatalf("sign MOU: %v", err)
	}
}
