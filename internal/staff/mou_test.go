package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// toMOUGate takes journey A to the MOU gate: placed with the fixture's
// employer (Valley Clinic) in a district-funded placement.
func (e *env) toMOUGate(t *testing.T, c *stafftest.Client) {
	t.Helper()
	e.toApplying(t, c)
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	e.up(t, workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: e.f.Posting})
	st, err := e.Journeys.Query(context.Background(), e.journeyA)
	if err != nil {
		t.Fatal(err)
	}
	app := st.Applications[0].ID
	e.up(t, workflows.UpdateDecideApplication, workflows.DecisionInput{By: workflows.Actor{Kind: "employer", Ref: e.f.Employer},
		ApplicationID: app, Status: "offer"})
	e.up(t, workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app})
	e.waitStage(t, c, "Employer MOU")
}

// waitingOn waits for the student page and the dashboard to say who the
// journey waits on.
func (e *env) waitingOn(t *testing.T, c *stafftest.Client, party string) {
	t.Helper()
	eventually(t, "waiting on "+party, func() bool {
		student := c.Get("/staff/students/" + e.journeyA).Body
		return (strings.Contains(student, `<dd id="waiting">`+party+`</dd>`) || strings.Contains(student, `<dd id="waiting">`+party+` <span`)) &&
			strings.Contains(c.Get("/staff?stage=mou_gate").Body, `<td data-label="Waiting on">`+party+`</td>`)
	})
}

// TestMOU_WaitingOnFollowsTheSignature_AndTheDistrictAdminReturnsIt would
// have caught the dashboard's "waiting on District MOU approval" before
// the employer had signed, the district admin's "Not allowed" on the MOU
// page, and "Return to employer" sending the employer nothing and losing
// the reason in the audit log.
func TestMOU_WaitingOnFollowsTheSignature_AndTheDistrictAdminReturnsIt(t *testing.T) {
	e := newEnv(t)
	coach, admin := e.signIn(t, coachA), e.signIn(t, adminEmail)
	e.toMOUGate(t, coach)
	e.waitingOn(t, coach, "Employer")
	// Overdue there, the ops console groups it under the employer too.
	if _, err := e.Pool.Exec(context.Background(), `UPDATE journey_view SET overdue = true WHERE journey_id = $1`, e.journeyA); err != nil {
		t.Fatal(err)
	}
	has(t, admin.Get("/staff/ops"), "Overdue: Employer MOU, waiting on Employer")

	mouWorkflow := workflows.MOUWorkflowID(e.f.Employer, time.Now().Year()+1)
	employerSignsMOU(t, e, mouWorkflow)
	e.waitingOn(t, coach, "District MOU approval")

	var mouID string
	eventually(t, "the signed MOU on the district admin's approvals page", func() bool {
		_ = e.Pool.QueryRow(context.Background(), `SELECT id FROM mous WHERE workflow_id = $1 AND status = 'employer_signed'`, mouWorkflow).Scan(&mouID)
		return mouID != "" && strings.Contains(admin.Get("/staff/mous").Body, "/staff/mous/"+mouID+"/decide")
	})
	// The form proposes the planned start (no program calendar here: the next June 1), not today.
	planned, _ := time.Parse(time.DateOnly, store.MOUPlannedStart("", time.Now().UTC()))
	has(t, admin.Get("/staff/mous"), "Interns are planned to start <strong>"+planned.Format("January 2, 2006")+"</strong>",
		`name="implementation_date" value="`+planned.Format(time.DateOnly)+`"`, "the MOU runs until August 31, ")
	r := admin.Action("/staff/mous/"+mouID+"/decide", url.Values{"decision": {"reject"},
		"reason": {"The insurance certificate is missing."}})
	has(t, follow(t, admin, r), "MOU for Valley Clinic returned to the employer.")
	e.waitingOn(t, coach, "Employer")

	// The employer reads the reason and gets a new link to sign again.
	var body string
	eventually(t, "the returned MOU email to the employer", func() bool {
		e.Drain()
		for _, m := range e.SendGrid.Messages() {
			if m.To == "hr@clinic.example.org" && strings.Contains(m.Subject, "needs a change") {
				body = m.Text
			}
		}
		return body != ""
	})
	for _, want := range []string{"Valley Clinic", "returned it:", "The insurance certificate is missing.", "/l/"} {
		if !strings.Contains(body, want) {
			t.Errorf("the employer's email lacks %q:\n%s", want, body)
		}
	}
	link := e.linkTo(t, "hr@clinic.example.org", "sign_mou")
	if !strings.Contains(body, strings.TrimPrefix(link, e.URL)) {
		t.Errorf("the returned-MOU email does not carry the newest signing link %s:\n%s", link, body)
	}
	var reason string
	if err := e.Pool.QueryRow(context.Background(), `SELECT COALESCE(a.reason, '') FROM audit_log a JOIN staff s ON s.id::text = a.actor_ref
		WHERE s.email = $1 AND a.action = 'mou_returned' AND a.entity_id = $2 AND a.district_id = $3`,
		adminEmail, mouID, e.f.District).Scan(&reason); err != nil || reason != "The insurance certificate is missing." {
		t.Errorf("the audit entry for the return: reason %q, err %v", reason, err)
	}
}
