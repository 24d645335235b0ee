package staff_test

import (
	"context"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/permit"
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
	page := e.toPermitDecision(t, coach, approver, issuer)
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

// toPermitDecision makes every decision on the staff pages (and plays the
// student and employer) until the permit, signed by all three, waits on
// the issuer; it returns the issuer's student page.
func (e *env) toPermitDecision(t *testing.T, coach, approver, issuer *stafftest.Client) stafftest.Response {
	t.Helper()
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

	mouWorkflow := workflows.MOUWorkflowID(e.f.Employer, time.Now().Year()+1)
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
	return page
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

// The permit issuer rejects the permit; the coordinator corrects the
// student's date of birth on the student page (a bad date is refused,
// naming the field); version 2 is drawn with the corrected date and its
// signers are told what changed, in their language.
func TestStaffCorrectsRejectedPermit_NewVersionCarriesTheCorrection(t *testing.T) {
	e := newEnv(t)
	coach, approver, issuer := e.signIn(t, coachA), e.signIn(t, approverOps), e.signIn(t, issuerA)
	e.toPermitDecision(t, coach, approver, issuer)
	nextTo(t, refused(t, issuer, e.journeyA, "permit", url.Values{"decision": {"reject"}}), "permit", "reason",
		"Give the reason for rejecting the permit.")
	has(t, act(t, issuer, e.journeyA, "permit", url.Values{"decision": {"reject"}, "reason": {"The date of birth is wrong"}}),
		"Work permit rejected; correct it below")
	var page stafftest.Response
	eventually(t, "the correction form", func() bool {
		page = coach.Get("/staff/students/" + e.journeyA)
		return strings.Contains(page.Body, `id="permit-correction"`)
	})
	has(t, page, "version 2 is drawn next", "The date of birth is wrong", "Hours per week")
	form := correctionForm(page)
	old := form.Get("date_of_birth")
	if old == "" {
		t.Fatalf("the form shows no date of birth:\n%s", page.Body)
	}
	// A bad date comes back next to the date, with everything typed kept
	// and the permit as it was.
	form.Set("date_of_birth", "31/02/2009")
	form.Set("job_title", "Front desk aide")
	ctx := context.Background()
	refusal := refused(t, coach, e.journeyA, "permit_correct", form)
	nextTo(t, refusal, "permit_correct", "date_of_birth", "Date of birth: must be a date like 2009-04-21.")
	kept(t, refusal, "permit_correct", "date_of_birth", "31/02/2009")
	kept(t, refusal, "permit_correct", "job_title", "Front desk aide")
	if st, err := e.Journeys.Query(ctx, e.journeyA); err != nil || st.Permit == nil || st.Permit.Version != 1 || !st.Permit.AwaitingCorrection {
		t.Fatalf("the refused correction moved the permit: %+v (%v)", st.Permit, err)
	}
	if next, _ := permit.CurrentFields(ctx, e.Store, e.journeyA, 2); next.JobTitle == "Front desk aide" {
		t.Fatal("the refused correction was saved")
	}
	// Sending the form as shown again, with the date fixed, saves it all.
	form = correctionForm(refusal)
	form.Set("date_of_birth", "2009-03-04")
	has(t, act(t, coach, e.journeyA, "permit_correct", form), "Permit corrected; the new version goes to the signers")

	eventually(t, "permit version 2", func() bool {
		st, err := e.Journeys.Query(ctx, e.journeyA)
		return err == nil && st.Permit != nil && st.Permit.Version == 2
	})
	v2, err := permit.CurrentFields(ctx, e.Store, e.journeyA, 2)
	if err != nil || v2.DateOfBirth == nil || v2.DateOfBirth.Format(time.DateOnly) != "2009-03-04" || v2.JobTitle != "Front desk aide" {
		t.Fatalf("version 2 date of birth = %v, job title %q (%v)", v2.DateOfBirth, v2.JobTitle, err)
	}
	v1, _ := permit.CurrentFields(ctx, e.Store, e.journeyA, 1)
	if v1.DateOfBirth.Format(time.DateOnly) != old {
		t.Errorf("version 1 now says %v, want it as signed (%s)", v1.DateOfBirth, old)
	}
	var changes []string
	eventually(t, "the re-sign requests", func() bool {
		changes = nil
		rows, err := e.Pool.Query(ctx, `SELECT recipient_kind || ' ' || language || ': ' || (params->>'changes')
			FROM messages WHERE journey_id = $1 AND template = 'permit_resign_request' ORDER BY recipient_kind`, e.journeyA)
		if err != nil {
			return false
		}
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			changes = append(changes, s)
		}
		return len(changes) >= 3
	})
	for _, c := range changes {
		if !strings.Contains(c, "March 4, 2009") && !strings.Contains(c, "4 de marzo de 2009") {
			t.Errorf("re-sign request does not say what changed: %q", c)
		}
	}
	if e.auditCount(t, coachA, "permit_corrected", e.journeyA) != 1 {
		t.Error("the correction is not in the audit log")
	}
}

// correctionForm is the permit correction form's inputs as the page fills
// them.
func correctionForm(page stafftest.Response) url.Values {
	form := url.Values{}
	section := page.Body[strings.Index(page.Body, `id="permit-correction"`):]
	section = section[:strings.Index(section, "</form>")]
	for _, m := range regexp.MustCompile(`<input name="(\w+)" value="([^"]*)"`).FindAllStringSubmatch(section, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return form
}
