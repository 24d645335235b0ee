package transcripts_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// supervisorInbox: Maya applies to two internships Dr. Kim supervises.
// He hears of each applicant at once; five days later one email reminds
// him of both and points to his inbox, where he offers Maya one of them.
func supervisorInbox(p *play) {
	// Reminders joining a digest gather for a while before they go (the
	// app's 15 minutes are days of this script's program time): long
	// enough here for the second application's reminder, due moments
	// after the first's, on a busy machine too.
	p.s.Outbox.DigestDelay = 2 * programDay
	second, err := p.s.Store.CreatePosting(p.ctx, store.Posting{EmployerID: p.f.Employer, WorksiteID: p.f.Worksite,
		SupervisorID: p.f.Supervisor, Title: "Front desk assistant", Description: "Check patients in and answer the phone",
		HoursPerWeek: 20, PayType: "hourly", PayCents: 1700, FundingSource: "employer_paid", Status: "published"})
	p.must(err)
	p.enrol()
	week := 0
	for st := p.status(); st.Stage != workflows.StageApplying; st = p.status() {
		p.advance(st, &week)
	}
	p.r.step("Maya applies to two of Valley Clinic's internships, both with Dr. Kim", func() {
		p.submit(p.r.await("apply", studentPhone), url.Values{"posting_id": {p.posting}}, func() {
			p.update(workflows.UpdateApply, workflows.ApplyInput{By: p.student, PostingID: p.posting})
		})
		p.update(workflows.UpdateApply, workflows.ApplyInput{By: p.student, PostingID: second})
		p.until("both applications", func(s workflows.JourneyStatus) bool { return len(s.Applications) == 2 })
	})
	var inbox string
	p.r.step("Five days later Dr. Kim has decided on neither: one reminder for both", func() {
		deadline := time.Now().Add(8*programDay + 10*time.Second)
		for inbox == "" {
			if time.Now().After(deadline) {
				var got []string
				for _, m := range p.r.all {
					if m.to == supervisorAt {
						got = append(got, m.subject)
					}
				}
				p.t.Fatalf("no reminder of both applications reached Dr. Kim; he got %q", got)
			}
			p.r.collect()
			for _, m := range p.r.all {
				if m.to == supervisorAt && strings.Contains(m.subject, "items waiting") {
					inbox = linkPattern.FindString(m.text)
				}
			}
			time.Sleep(25 * time.Millisecond)
		}
	})
	p.r.step("Dr. Kim opens his inbox and offers Maya the patient navigator internship from it", func() {
		kim := stafftest.Anonymous(p.t, p.s)
		page := kim.Get(inbox).Body
		// The items in the order the inbox lists them (the older first).
		hrefs := regexp.MustCompile(`<a class="button" href="([^"]+)">`).FindAllStringSubmatch(page, -1)
		if len(hrefs) != 2 || !strings.Contains(page, "Patient navigator intern") || !strings.Contains(page, "Front desk assistant") {
			p.t.Fatalf("Dr. Kim's inbox does not list both applications:\n%s", page)
		}
		done := kim.PostForm(html.UnescapeString(hrefs[0][1]), url.Values{"status": {"offer"}})
		if !strings.Contains(done.Body, "Back to your inbox") {
			p.t.Fatalf("deciding from the inbox (%d) does not lead back to it:\n%s", done.Status, done.Body)
		}
		p.r.acted([]string{supervisorAt})
	})
	p.r.step("Maya accepts the offer", func() {
		p.submit(p.r.await("accept_offer", studentPhone), url.Values{"decision": {"accept"}}, nil)
		p.until("placed", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageApplying })
	})
}
