package messaging

import (
	"strings"
	"testing"
)

// Staff emails about one student (stuck alert, badge review, permit
// approval) link to that student's staff page.
func TestDispatcher_StaffEmailsAboutAStudent_LinkTheStudentsStaffPage(t *testing.T) {
	e := newEnv(t)
	page := "https://intern.example-district.org/staff/students/" + e.w.journey
	for template, params := range map[string]map[string]string{
		"coordinator_stuck":       {"step": "work permit", "since": "Jun 2"},
		"badge_review_request":    nil,
		"permit_approval_request": nil,
	} {
		e.enqueue(Request{IdemKey: template, DistrictID: e.w.district, SchoolID: e.w.school, JourneyID: e.w.journey,
			To: Recipient{Kind: "coordinator", Ref: e.w.school}, Template: template, Params: params})
	}
	e.drain()
	got := 0
	for _, m := range e.sg.Messages() {
		if m.To != "lopez@bay.example" {
			continue
		}
		got++
		if !strings.Contains(m.Text, "Open: "+page) || !strings.Contains(m.HTML, `href="`+page+`"`) {
			t.Errorf("%q: no link to the student's page %s:\n%s", m.Subject, page, m.Text)
		}
	}
	if got != 3 {
		t.Fatalf("coordinator got %d emails, want 3", got)
	}
}
