package transcripts_test

import (
	"html"
	"net/url"
	"regexp"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/workflows"
)

// foundOwn is the student page's (and the postings page's) button to
// report an internship the student found.
var foundOwn = regexp.MustCompile(`id="found-own">[^<]*<a class="button secondary" href="([^"]+)"`)

// foundValues is the found-internship form as Maya fills it.
func foundValues(schedule string) url.Values {
	return url.Values{
		"employer_name": {"Valley Clinic"}, "title": {"Front desk assistant"},
		"duties":          {"Greet patients, answer phones and file intake forms."},
		"supervisor_name": {"Dr. Kim"}, "supervisor_email": {supervisorAt},
		"address": {"200 Oak Ave"}, "city": {"Fresno"}, "state": {"CA"}, "postal_code": {"93721"},
		"pay_type": {"hourly"}, "pay_rate": {"17.50"}, "hours_per_week": {"15"},
		"start_date": {"2027-06-21"}, "end_date": {"2027-08-13"}, "schedule": {schedule},
	}
}

// studentFound plays a student who finds her own internship: she reports
// it from the postings page her text opened, the coordinator asks for the
// exact schedule, she fixes it from the text's link, the coordinator
// approves it with the district's own clinic and supervisor, and the
// supervisor confirms it from his email; the work permit follows.
func studentFound(p *play) {
	p.enrol()
	week := 0
	for st := p.status(); st.Stage != workflows.StageApplying; st = p.status() {
		p.advance(st, &week)
	}
	foundStatus := func(status string) func(workflows.JourneyStatus) bool {
		return func(st workflows.JourneyStatus) bool { return st.Found != nil && st.Found.Status == status }
	}
	p.r.step("Maya reports the internship she found herself, from the postings page her text opened", func() {
		page := stafftest.Anonymous(p.t, p.s).Get(p.r.await("apply", studentPhone)).Body
		m := foundOwn.FindStringSubmatch(page)
		if m == nil {
			p.t.Fatalf("the postings page offers no way to report a found internship:\n%s", page)
		}
		p.submit(html.UnescapeString(m[1]), foundValues("Mornings"), nil)
		p.until("the report", foundStatus(workflows.FoundSubmitted))
	})
	p.r.step("Coach Rivera asks Maya for the exact days and hours", func() {
		p.r.await("found_vetting", coordinatorAt)
		p.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: p.coord, Comment: "Which days and hours exactly?"})
		p.until("changes asked", foundStatus(workflows.FoundChangesRequested))
	})
	p.r.step("Maya fixes the schedule on the form her text opened (it opens with what she sent)", func() {
		p.submit(p.r.await("report_found_placement", studentPhone), foundValues("Mon, Wed, Fri 9-2"), nil)
		p.until("the corrected report", foundStatus(workflows.FoundSubmitted))
	})
	p.r.step("Coach Rivera approves it with the district's Valley Clinic and Dr. Kim", func() {
		p.r.await("found_vetting", coordinatorAt)
		p.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: p.coord, Approve: true, Checked: workflows.FoundChecklist,
			EmployerID: p.f.Employer, SupervisorID: p.f.Supervisor})
		p.until("the supervisor asked", foundStatus(workflows.FoundAwaitingSupervisor))
	})
	p.r.step("Dr. Kim confirms the internship from his email", func() {
		p.submit(p.r.await("confirm_found_placement", supervisorAt), url.Values{"decision": {"confirm"}}, nil)
		p.until("the work permit", func(st workflows.JourneyStatus) bool { return st.Stage == workflows.StageWorkPermit })
	})
}
