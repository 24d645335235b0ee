package messaging

import (
	"strings"
	"testing"
	"time"
)

func TestBulkEnqueue_OneMessagePerOpenJourney_RerunQueuesNothing(t *testing.T) {
	e := newEnv(t)
	liam, _ := addStudent(t, e.pool, e.w, e.w.school, "Liam", "+15555550103", "", "en", "")
	_, ava := addStudent(t, e.pool, e.w, e.w.school2, "Ava", "", "ava@example.org", "es", "")
	_, gone := addStudent(t, e.pool, e.w, e.w.school, "Zoe", "+15555550104", "", "en", "")
	e.exec(`UPDATE journeys SET status = 'withdrawn' WHERE id = $1`, gone)
	addStudent(t, e.pool, e.w, e.w.school, "Mia", "+15555550105", "", "en", "")
	e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', '+15555550105', 'stop_keyword')`)

	req := BulkRequest{DistrictID: e.w.district, Template: "survey_nudge", IdemPrefix: "nudge:survey:2027-06-15",
		Link: &LinkSpec{Action: "survey"}}
	n, err := e.outbox.BulkEnqueue(e.ctx, e.pool, req)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 { // Emma, Liam, Ava; Zoe withdrew, Mia opted out with nothing else
		t.Fatalf("queued %d, want 3", n)
	}
	if again, _ := e.outbox.BulkEnqueue(e.ctx, e.pool, req); again != 0 {
		t.Fatalf("rerun queued %d, want 0", again)
	}
	e.drain()
	if e.tw.CountTo(emmaPhone) != 1 || e.tw.CountTo("+15555550103") != 1 || e.sg.CountTo("ava@example.org") != 1 ||
		e.tw.CountTo("+15555550104") != 0 || e.tw.CountTo("+15555550105") != 0 {
		t.Fatalf("texts %v, emails to Ava %d", e.tw.CountsByRecipient(), e.sg.CountTo("ava@example.org"))
	}
	// Each student's link is their own and works.
	for _, m := range e.tw.Messages() {
		i := strings.Index(m.Body, "/l/")
		l, err := e.minter.Resolve(e.ctx, e.pool, strings.Fields(m.Body[i+3:])[0], time.Now())
		if err != nil || l.Action != "survey" {
			t.Fatalf("link in %s's text: %+v %v", Redact(m.To), l, err)
		}
		if m.To == "+15555550103" && l.PersonRef != liam {
			t.Fatal("Liam's text carries someone else's link")
		}
	}
	if mail := e.sg.Messages()[0]; !strings.Contains(mail.Subject, "encuesta") || !strings.Contains(mail.Text, "Ava") {
		t.Fatalf("Ava (Spanish, email only) got %q", mail.Subject)
	}
	_ = ava
}

func TestBulkEnqueue_OneSchool_AtNight_TextsWaitForMorning(t *testing.T) {
	e := newEnv(t)
	addStudent(t, e.pool, e.w, e.w.school2, "Ava", "+15555550106", "", "en", "")
	e.clock.Set(time.Date(2027, 6, 15, 23, 0, 0, 0, losAngeles))
	n, err := e.outbox.BulkEnqueue(e.ctx, e.pool, BulkRequest{DistrictID: e.w.district, SchoolID: e.w.school2,
		Template: "applying_nudge", IdemPrefix: "nudge:apply"})
	if err != nil || n != 1 {
		t.Fatalf("queued %d (%v), want only the one school's student", n, err)
	}
	morning := time.Date(2027, 6, 16, 8, 0, 0, 0, losAngeles)
	if got := e.count(`SELECT count(*) FROM messages WHERE send_after = $1`, morning); got != 1 {
		t.Fatal("the night-time bulk text is not held until 8:00")
	}
}

func TestBulkEnqueue_UnknownTemplate_IsAnError(t *testing.T) {
	e := newEnv(t)
	if _, err := e.outbox.BulkEnqueue(e.ctx, e.pool, BulkRequest{DistrictID: e.w.district, Template: "nope",
		IdemPrefix: "x"}); err == nil {
		t.Fatal("unknown template accepted")
	}
}
