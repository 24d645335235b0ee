package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestReachability_SupervisorBounce_NamedOnEveryPage_FixClears would have
// caught issue 26: an employer's bounced email named the student in the
// coordinator's alert, showed nowhere on the employer's page, and the
// journey's Unreachable flag stayed after the address was fixed.
func TestReachability_SupervisorBounce_NamedOnEveryPage_FixClears(t *testing.T) {
	e := newEnv(t)
	exec := func(q string, args ...any) { t.Helper(); e.exec(t, q, args...) }
	// Maya is placed with Dr. Kim, whose email has just bounced (what the
	// SendGrid webhook records), on a message the journey sent.
	exec(`INSERT INTO placements (journey_id, posting_id, employer_id, supervisor_id, funding_source, hours_required)
		VALUES ($1, $2, $3, $4, 'district_cte', 100)`, e.journeyA, e.f.Posting, e.f.Employer, e.f.Supervisor)
	exec(`INSERT INTO contact_optouts (channel, address, reason, detail) VALUES ('email', 'kim@clinic.example.org', 'bounced', 'sendgrid bounce')`)
	exec(`INSERT INTO messages (idem_key, district_id, school_id, journey_id, recipient_kind, recipient_ref, channel, to_address,
			template, status, fail_reason)
		VALUES ('bounced-approval', $1, $2, $3, 'supervisor', $4, 'email', 'kim@clinic.example.org', 'timesheet_approval_request',
			'undeliverable', 'bounced')`, e.f.District, e.f.School, e.journeyA, e.f.Supervisor)

	// The coordinator is told whom, and how, in words.
	var alert string
	eventually(t, "the coordinator's alert", func() bool {
		e.Drain()
		for _, m := range e.SendGrid.Messages() {
			if m.To == coachA && strings.HasPrefix(m.Subject, "We cannot reach") {
				alert = m.Subject + "\n" + m.Text
				return true
			}
		}
		return false
	})
	if !strings.HasPrefix(alert, "We cannot reach Dr. Kim (Maya's supervisor) by email\n") ||
		!strings.Contains(alert, "Messages to Dr. Kim (Maya's supervisor) by email are not getting through: the email bounced.") {
		t.Fatalf("alert:\n%s", alert)
	}

	// The employer's page shows the bounce and what it flags.
	admin := e.signIn(t, adminEmail)
	has(t, admin.Get("/staff/employers/"+e.f.Employer), `<h2 id="unreachable-h">Cannot reach</h2>`,
		`<strong>Dr. Kim</strong> (supervisor): Email kim@clinic.example.org: <span class="tag warn">the email bounced</span>`,
		"1 open journey flagged Unreachable")
	// The student's page and the dashboard flag the journey, naming who.
	coach := e.signIn(t, coachA)
	has(t, coach.Get("/staff"), `Maya Lopez</a> <span class="tag">Unreachable</span>`)
	has(t, coach.Get("/staff/students/"+e.journeyA), `<span class="tag">Unreachable</span>`,
		`<strong>Dr. Kim</strong> (Supervisor) by email: the email bounced, no other way to reach them.`)

	// The address is corrected on the supervisor's form: the flag clears.
	r := admin.Action("/staff/employers/"+e.f.Employer+"/supervisors/"+e.f.Supervisor, url.Values{
		"name": {"Dr. Kim"}, "email": {"dr.kim@clinic.example.org"}, "language": {"en"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("saving the supervisor: %d\n%s", r.Status, r.Body)
	}
	if strings.Contains(coach.Get("/staff").Body, `Maya Lopez</a> <span class="tag">Unreachable</span>`) {
		t.Fatal("Maya's journey is still Unreachable after Dr. Kim's address was corrected")
	}
	if strings.Contains(admin.Get("/staff/employers/"+e.f.Employer).Body, "Cannot reach") {
		t.Fatal("the employer's page still shows the old bounce")
	}
}

// TestReachability_StopThenStart_FlagClearsOnTheDashboard: a student with
// no email texts STOP (a signed Twilio webhook): flagged Unreachable, by
// text; START clears it.
func TestReachability_StopThenStart_FlagClearsOnTheDashboard(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	e.text(t, studentAPhone, "STOP")
	has(t, coach.Get("/staff"), `Maya Lopez</a> <span class="tag">Unreachable</span>`)
	has(t, coach.Get("/staff/students/"+e.journeyA), `<strong>Maya Lopez</strong> (Student) by text: replied STOP, no other way to reach them.`)
	e.text(t, studentAPhone, "START")
	if strings.Contains(coach.Get("/staff").Body, `<span class="tag">Unreachable</span>`) {
		t.Fatal("the journey is still Unreachable after START")
	}
}
