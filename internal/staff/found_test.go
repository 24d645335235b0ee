package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/workflows"
)

// toApplyingA takes school A's journey to the applying stage.
func (e *env) toApplyingA(t *testing.T) {
	t.Helper()
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	e.up(t, workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true})
	coord := workflows.Actor{Kind: "staff", Ref: e.f.Coordinator}
	for _, kind := range []string{"resume", "cover_letter"} {
		eventually(t, "the badge upload to open", func() bool {
			return e.Journeys.Update(context.Background(), e.journeyA, workflows.UpdateBadgeDocument, "",
				workflows.BadgeDocumentInput{By: student, Kind: kind, DocumentID: apptest.Document(t, e.Store, e.journeyA, kind)}) == nil
		})
	}
	e.up(t, workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord, Approve: true})
}

// foundEntry is the staff form for a student's internship at the
// fixture's clinic, typed a little differently from how it is stored.
func foundEntry() url.Values {
	return url.Values{
		"employer_name": {"Valley Clinic, Inc."}, "title": {"Front desk assistant"},
		"duties":          {"Greet patients, answer phones and file intake forms."},
		"supervisor_name": {"Dr. Kim"}, "supervisor_email": {"Kim@Clinic.example.org"},
		"address": {"200 Oak Ave"}, "city": {"Fresno"}, "state": {"CA"},
		"pay_type": {"hourly"}, "pay_rate": {"12"}, "hours_per_week": {"30"},
		"start_date": {"2027-06-21"}, "end_date": {"2027-08-13"}, "schedule": {"Mon-Fri 9-3"},
	}
}

// The coordinator enters an internship the student found, sees what
// the checklist should weigh (pay under the minimum wage, the minors'
// weekly limit) and the district's own clinic suggested, asks
// for changes, then approves it with the existing clinic and supervisor:
// no second "Valley Clinic" is created and Dr. Kim is asked to confirm.
func TestStaffFound_EnterVetMatchApprove(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	e.toApplyingA(t)
	page := e.waitStage(t, coach, "Applying")
	has(t, page, `id="found_report"`, "Enter an internship the student found")

	missing := foundEntry()
	missing.Del("supervisor_email")
	has(t, refused(t, coach, e.journeyA, "found_report", missing), "Give your supervisor&#39;s phone or email", `value="Valley Clinic, Inc."`)

	has(t, act(t, coach, e.journeyA, "found_report", foundEntry()), "Internship recorded for the student")
	var vet string
	eventually(t, "the vetting form", func() bool {
		vet = coach.Get("/staff/students/" + e.journeyA).Body
		return strings.Contains(vet, `id="found_vet"`)
	})
	for _, want := range []string{"below the minimum wage of $16.50 an hour (CA)", "(limit 48 hours a week at age 16)",
		"Use existing: Valley Clinic (supervisor Dr. Kim) — matched by name, email", `value="` + e.f.Employer + ` ` + e.f.Supervisor + `"`} {
		if !strings.Contains(vet, want) {
			t.Fatalf("vetting form lacks %q:\n%s", want, vet)
		}
	}
	has(t, refused(t, coach, e.journeyA, "found_vet", url.Values{"decision": {"approve"}, "checked": {"supervisor", "pay"}}),
		"Check worksite before approving.", `value="supervisor" checked`, `value="pay" checked`)
	has(t, act(t, coach, e.journeyA, "found_vet", url.Values{"decision": {"changes"}, "comment": {"Pay must be at least $16.50 and hours at most 28 a week."}}),
		"Sent back to the student with your comment.")
	eventually(t, "the student's text with the form", func() bool {
		return e.count(t, `SELECT count(*) FROM messages WHERE journey_id = $1 AND template = 'found_changes_request'`, e.journeyA) == 1
	})

	fixed := foundEntry()
	fixed.Set("pay_rate", "17")
	fixed.Set("hours_per_week", "20")
	has(t, act(t, coach, e.journeyA, "found_report", fixed), "Internship recorded")
	eventually(t, "the vetting form again", func() bool {
		return strings.Contains(coach.Get("/staff/students/"+e.journeyA).Body, `id="found_vet"`)
	})
	approve := url.Values{"decision": {"approve"}, "checked": workflows.FoundChecklist,
		"employer_id": {e.f.Employer + " " + e.f.Supervisor}, "funding": {"employer_paid"}}
	has(t, act(t, coach, e.journeyA, "found_vet", approve), "Approved; the supervisor is asked to confirm it.")
	eventually(t, "Dr. Kim's request to confirm", func() bool {
		return e.count(t, `SELECT count(*) FROM messages WHERE journey_id = $1 AND template = 'found_confirm_request'
			AND recipient_kind = 'supervisor' AND recipient_ref = $2`, e.journeyA, e.f.Supervisor) == 1
	})
	if n := e.count(t, `SELECT count(*) FROM employers WHERE district_id = $1`, e.f.District); n != 1 {
		t.Fatalf("%d employers in the district, want the one clinic", n)
	}
	if e.auditCount(t, coachA, "found_approved", e.journeyA) != 1 || e.auditCount(t, coachA, "found_changes_requested", e.journeyA) != 1 {
		t.Error("the coordinator's vetting is not in the audit log")
	}
	// Dr. Kim confirms (from his link, tested with the pages): the
	// dashboard's funnel tells the placed apart by source.
	e.up(t, workflows.UpdateConfirmFound, workflows.ConfirmFoundInput{By: workflows.Actor{Kind: "supervisor", Ref: e.f.Supervisor}, Confirm: true})
	e.waitStage(t, coach, "Work permit")
	has(t, coach.Get("/staff"), `id="placed-by-source"`, "Placed: 0 through a posting, 1 found by the student.")
}
