package messaging

import (
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/links"
)

// timesheetApproval is a reminder to approve an intern's week: reminders
// to a supervisor join the daily digest.
func (e *env) timesheetApproval(key, intern string) Outcome {
	return e.enqueue(Request{IdemKey: key, DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "supervisor", Ref: e.w.supervisor}, Template: "timesheet_approval_request",
		Params: map[string]string{"student_first_name": intern, "week": "June 7"},
		Link:   &LinkSpec{Action: "approve_timesheet", SubjectRef: key}, Reminder: true})
}

// inboxLinkOf is the link the digest led by one of ids pointed to.
func (e *env) inboxLinkOf(ids []int64) links.Link {
	e.t.Helper()
	var l links.Link
	err := e.pool.QueryRow(e.ctx, `SELECT l.action, l.person_kind, l.person_ref, COALESCE(l.journey_id::text, '')
		FROM messages m JOIN action_links l ON l.id = m.inbox_link_id
		WHERE m.id = ANY($1) AND m.digest_lead = m.id`, ids).Scan(&l.Action, &l.PersonKind, &l.PersonRef, &l.JourneyID)
	if err != nil {
		e.t.Fatalf("inbox link of digest %v: %v", ids, err)
	}
	return l
}

func TestDispatcher_Digest_OneEmailPerSupervisorPerDay(t *testing.T) {
	e := newEnv(t)
	var ids []int64
	for _, intern := range []string{"Emma", "Noah", "Liam"} {
		ids = append(ids, e.timesheetApproval("ts:"+intern, intern).Messages...)
	}
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 0 {
		t.Fatalf("%d emails before the burst window closed", n)
	}

	e.clock.Advance(16 * time.Minute)
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 1 {
		t.Fatalf("supervisor got %d emails for 3 timesheets, want 1 digest", n)
	}
	mail := e.sg.Messages()[0]
	for _, want := range []string{"Emma", "Noah", "Liam", "3 items"} {
		if !strings.Contains(mail.Text, want) && !strings.Contains(mail.Subject, want) {
			t.Errorf("digest lacks %q:\n%s\n%s", want, mail.Subject, mail.Text)
		}
	}
	// One link: the supervisor's inbox, where every pending item waits.
	if n := strings.Count(mail.Text, e.minter.BaseURL+"/l/"); n != 1 || !strings.Contains(mail.Text, "Open your inbox: ") {
		t.Errorf("digest has %d links, want the inbox's only:\n%s", n, mail.Text)
	}
	if inbox := e.inboxLinkOf(ids); inbox.Action != "inbox" || inbox.PersonKind != "supervisor" ||
		inbox.PersonRef != e.w.supervisor || inbox.JourneyID != "" {
		t.Errorf("digest points to link %+v, want the supervisor's inbox", inbox)
	}
	for _, id := range ids {
		if m := e.message(id); m.Status != "sent" || m.ProviderID != mail.ID {
			t.Fatalf("row %d = %+v, want sent with the digest's id %s", id, m, mail.ID)
		}
	}

	// Later the same day: waits for tomorrow's digest.
	late := e.timesheetApproval("ts:Ava", "Ava")
	e.clock.Advance(16 * time.Minute)
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 1 {
		t.Fatalf("a second email the same day (%d)", n)
	}
	tomorrow8 := time.Date(2027, 6, 16, 8, 0, 0, 0, losAngeles)
	if m := e.message(late.Messages[0]); m.Status != "queued" || !m.SendAfter.Equal(tomorrow8) {
		t.Fatalf("late item %+v, want queued for %v", m, tomorrow8)
	}
	e.clock.Set(tomorrow8)
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 2 || !strings.Contains(e.sg.Messages()[1].Text, "Ava") {
		t.Fatalf("next day's digest missing (%d emails)", n)
	}
}

func TestDispatcher_Digest_SingleItemIsAPlainEmail_OtherAddressesSeparate(t *testing.T) {
	e := newEnv(t)
	e.timesheetApproval("ts:Emma", "Emma")
	e.enqueue(Request{IdemKey: "fb:hr", DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
		Template: "feedback_request", Params: map[string]string{"student_first_name": "Noah"}, Reminder: true})
	e.clock.Advance(16 * time.Minute)
	e.drain()
	if e.sg.CountTo(samEmail) != 1 || e.sg.CountTo(hrEmail) != 1 {
		t.Fatalf("emails: sam %d, hr %d; want one each", e.sg.CountTo(samEmail), e.sg.CountTo(hrEmail))
	}
	for _, m := range e.sg.Messages() {
		if strings.Contains(m.Subject, "items waiting") {
			t.Fatalf("a single item was sent as a digest: %q", m.Subject)
		}
	}
}

func TestDispatcher_Digest_CrashAfterSend_ResentNeverAndAllRowsRecorded(t *testing.T) {
	e := newEnv(t)
	a := e.timesheetApproval("ts:Emma", "Emma")
	b := e.timesheetApproval("ts:Noah", "Noah")
	e.clock.Advance(16 * time.Minute)
	crashing := e.dispatcher(nil)
	crashing.afterSend = func(int64) error { return errErrCrash }
	e.drainWith(crashing)
	e.timesheetApproval("ts:Liam", "Liam") // arrives while the digest is in limbo
	e.clock.Advance(3 * time.Minute)
	e.drainWith(e.dispatcher(nil))

	if n := e.sg.CountTo(samEmail); n != 1 {
		t.Fatalf("supervisor got %d emails, want the one digest", n)
	}
	for _, id := range append(a.Messages, b.Messages...) {
		if m := e.message(id); m.Status != "sent" {
			t.Fatalf("row %d %+v, want sent", id, m)
		}
	}
}

// A supervisor without an email gets their reminders as one text too: how
// many, for whom, and one link, their inbox, within two segments.
func TestDispatcher_Digest_SupervisorByText_OneTextPointingToTheInbox(t *testing.T) {
	e := newEnv(t)
	const phone = "+15555550177"
	var texter string
	if err := e.pool.QueryRow(e.ctx, `INSERT INTO supervisors (employer_id, name, phone) VALUES ($1, 'Ray Diaz', $2) RETURNING id`,
		e.w.employer, phone).Scan(&texter); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, intern := range []string{"Emma", "Noah", "Liam"} {
		out := e.enqueue(Request{IdemKey: "ts:" + intern, DistrictID: e.w.district, JourneyID: e.w.journey,
			To: Recipient{Kind: "supervisor", Ref: texter}, Template: "timesheet_approval_request",
			Params: map[string]string{"student_first_name": intern, "week": "2027-06-07"},
			Link:   &LinkSpec{Action: "review_timesheet", SubjectRef: intern}, Reminder: true})
		ids = append(ids, out.Messages...)
	}
	e.clock.Advance(16 * time.Minute)
	e.drain()
	texts := e.tw.Messages()
	if len(texts) != 1 {
		t.Fatalf("the supervisor got %d texts for 3 reminders, want 1", len(texts))
	}
	inbox := e.inboxLinkOf(ids)
	if inbox.Action != "inbox" || inbox.PersonRef != texter {
		t.Fatalf("the text points to %+v, want the supervisor's inbox", inbox)
	}
	body := texts[0].Body
	if !strings.HasPrefix(body, "Summer Internships: 3 items wait for you (Emma, Liam, Noah). See and do them all here: "+e.minter.BaseURL+"/l/") ||
		!strings.HasSuffix(body, " Reply STOP to opt out.") || strings.Count(body, "/l/") != 1 {
		t.Fatalf("the text reads %q", body)
	}
	if n := SMSSegments(body); n > 2 {
		t.Errorf("the text takes %d segments", n)
	}
	for _, id := range ids {
		if m := e.message(id); m.Status != "sent" {
			t.Fatalf("row %d %+v, want sent with the text", id, m)
		}
	}
}

// A text digest for a supervisor of many interns with long names still
// fits two segments in both languages, and still carries the inbox link.
func TestTemplates_TextDigest_ManyLongNames_TwoSegmentsWithTheLink(t *testing.T) {
	const inbox = "https://intern.example-district.org/l/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGh"
	var items []DigestItem
	for _, n := range []string{"Maximiliano", "Guadalupe", "Bartholomew", "Anastasia", "Christopher", "Evangelina", "Jean-Baptiste",
		"Nicolás", "Esperanza", "Alessandro", "Konstantin", "Marie-Claire"} {
		items = append(items, DigestItem{Template: "timesheet_approval_request", RecipientKind: "supervisor",
			Params: map[string]string{"student_first_name": n, "week": "2027-06-07"}})
	}
	for code := range languages {
		body := DefaultTemplates().RenderDigestSMS(code, "Bay Area Summer Internship Program", inbox, items).Text
		if n := SMSSegments(body); n > 2 || !strings.Contains(body, " "+inbox+" ") || !strings.Contains(body, "12 ") {
			t.Errorf("%s: %d segments, or no count or link: %q", code, n, body)
		}
	}
}

// A digest never carries an inbox link about to expire: the person may
// read it days later. A lasting one is reused, not minted again.
func TestDispatcher_Digest_InboxLinkLastsDays(t *testing.T) {
	e := newEnv(t)
	old, _, err := e.minter.Create(e.ctx, e.pool, links.InboxSpec("supervisor", e.w.supervisor))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Exec(e.ctx, `UPDATE action_links SET expires_at = now() + interval '2 hours' WHERE id = $1`, old); err != nil {
		t.Fatal(err)
	}
	day1 := append(e.timesheetApproval("ts:Emma", "Emma").Messages, e.timesheetApproval("ts:Noah", "Noah").Messages...)
	e.clock.Advance(16 * time.Minute)
	e.drain()
	var carried string
	if err := e.pool.QueryRow(e.ctx, `SELECT inbox_link_id::text FROM messages WHERE id = ANY($1) AND digest_lead = id`, day1).
		Scan(&carried); err != nil {
		t.Fatal(err)
	}
	if carried == old {
		t.Fatal("the digest carried an inbox link that expires in two hours")
	}
	if n := e.count(`SELECT count(*) FROM action_links WHERE action = 'inbox' AND person_ref = $1 AND revoked_at IS NULL`, e.w.supervisor); n != 1 {
		t.Errorf("%d live inbox links after the digest went, want the one it carried (it supersedes the old)", n)
	}
}
