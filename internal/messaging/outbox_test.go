package messaging

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/links"
)

func TestEnqueue_SameKeyTwice_QueuesOneMessageAndOneLink(t *testing.T) {
	e := newEnv(t)
	first := e.enqueue(e.nudge("j1:survey:rung1"))
	second := e.enqueue(e.nudge("j1:survey:rung1"))

	if first.Status != StatusQueued || first.Channel != ChannelSMS || len(first.Messages) != 1 {
		t.Fatalf("first enqueue = %+v, want one queued SMS", first)
	}
	if second.Status != StatusDuplicate {
		t.Fatalf("second enqueue = %+v, want duplicate", second)
	}
	if n := e.count(`SELECT count(*) FROM messages`); n != 1 {
		t.Fatalf("%d messages, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM action_links`); n != 1 {
		t.Fatalf("%d links minted, want 1", n)
	}
}

func TestEnqueue_UnknownTemplate_IsAnError(t *testing.T) {
	e := newEnv(t)
	req := e.nudge("k")
	req.Template = "survey_nudg"
	err := pgx.BeginFunc(e.ctx, e.pool, func(tx pgx.Tx) error {
		_, err := e.outbox.Enqueue(e.ctx, tx, req)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "unknown message template") {
		t.Fatalf("err = %v, want unknown template", err)
	}
}

func TestEnqueue_ChannelFallback(t *testing.T) {
	cases := []struct {
		name        string
		setup       func(e *env)
		wantStatus  string
		wantChannel string
		wantReason  string
	}{
		{"phone works: text", func(*env) {}, StatusQueued, ChannelSMS, ""},
		{"said STOP: email instead", func(e *env) {
			e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword')`, emmaPhone)
		}, StatusQueued, ChannelEmail, ""},
		{"number invalid: email instead", func(e *env) {
			e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'invalid')`, emmaPhone)
		}, StatusQueued, ChannelEmail, ""},
		{"no phone: email", func(e *env) {
			e.exec(`UPDATE students SET phone = NULL WHERE id = $1`, e.w.student)
		}, StatusQueued, ChannelEmail, ""},
		{"opted out of both: unreachable", func(e *env) {
			e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword'),
				('email', $2, 'bounced')`, emmaPhone, emmaEmail)
		}, StatusUnreachable, ChannelSMS, "opted_out"}, // the channel refused, for the coordinator's alert
		{"said STOP, no email: unreachable by text", func(e *env) {
			e.exec(`UPDATE students SET email = NULL WHERE id = $1`, e.w.student)
			e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword')`, emmaPhone)
		}, StatusUnreachable, ChannelSMS, "opted_out"},
		{"no contact at all: unreachable", func(e *env) {
			e.exec(`UPDATE students SET phone = NULL, email = NULL WHERE id = $1`, e.w.student)
		}, StatusUnreachable, "", "no_contact"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			c.setup(e)
			out := e.enqueue(e.nudge("k"))
			if out.Status != c.wantStatus || out.Channel != c.wantChannel || out.Reason != c.wantReason {
				t.Fatalf("outcome %+v, want status %s channel %q reason %q", out, c.wantStatus, c.wantChannel, c.wantReason)
			}
			if out.Unreachable() && e.count(`SELECT count(*) FROM action_links`) != 0 {
				t.Fatal("a link was minted for an unreachable student")
			}
		})
	}
}

func TestEnqueue_CoordinatorRole_FansOutOnePerStaffMemberWithOwnLink(t *testing.T) {
	e := newEnv(t)
	req := Request{IdemKey: "j1:badge:review", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "coordinator", Ref: e.w.school}, Template: "badge_review_request",
		Link: &LinkSpec{Action: "badge_review"}}
	out := e.enqueue(req)
	if out.Status != StatusQueued || len(out.Messages) != 2 || out.Channel != ChannelEmail {
		t.Fatalf("outcome %+v, want 2 queued emails", out)
	}
	for _, staff := range e.w.coordinators {
		n := e.count(`SELECT count(*) FROM messages m JOIN action_links l ON l.id = m.link_id
			WHERE m.idem_key = $1 AND m.recipient_kind = 'staff' AND m.recipient_ref = $2
			AND l.person_kind = 'staff' AND l.person_ref = $2`, "j1:badge:review:"+staff, staff)
		if n != 1 {
			t.Fatalf("coordinator %s: %d rows with their own link, want 1", staff, n)
		}
	}
	if again := e.enqueue(req); again.Status != StatusDuplicate {
		t.Fatalf("fan-out again = %+v, want duplicate", again)
	}
}

func TestEnqueue_GuardiansOfStudent_ParentGetsSpanishText(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(Request{IdemKey: "j1:permit:guardian", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "guardian", Ref: "student:" + e.w.student}, Template: "permit_sign_request",
		Params: map[string]string{"employer_name": "Harbor Clinic"}, Link: &LinkSpec{Action: "sign_permit", SingleUse: true}})
	if out.Status != StatusQueued || out.Channel != ChannelSMS {
		t.Fatalf("outcome %+v", out)
	}
	e.drain()
	if e.tw.CountTo(anaPhone) != 1 {
		t.Fatalf("guardian got %d texts", e.tw.CountTo(anaPhone))
	}
	body := e.tw.Messages()[0].Body
	for _, want := range []string{"Emma", "Harbor Clinic", "firma", "Responde STOP para cancelar", "Summer Internships"} {
		if !strings.Contains(body, want) {
			t.Errorf("text %q lacks %q", body, want)
		}
	}
}

func TestEnqueue_TextDueAtNight_WaitsForMorningInStudentsTimeZone(t *testing.T) {
	e := newEnv(t)
	_, nyJourney := addStudent(t, e.pool, e.w, e.w.school, "Noah", "+15555550111", "", "en", "America/New_York")
	ny := location("America/New_York")
	e.clock.Set(time.Date(2027, 6, 15, 22, 30, 0, 0, ny)) // 19:30 in the district, 22:30 for Noah

	var noah string
	e.pool.QueryRow(e.ctx, `SELECT student_id FROM journeys WHERE id = $1`, nyJourney).Scan(&noah) //nolint:errcheck
	out := e.enqueue(Request{IdemKey: "noah:nudge", DistrictID: e.w.district, JourneyID: nyJourney,
		To: Recipient{Kind: "student", Ref: noah}, Template: "survey_nudge"})
	if got, want := e.message(out.Messages[0]).SendAfter, time.Date(2027, 6, 16, 8, 0, 0, 0, ny); !got.Equal(want) {
		t.Fatalf("send_after %v, want %v (8:00 next morning in New York)", got.In(ny), want)
	}
	if st := e.drain(); st.Sent != 0 || e.tw.CountTo("+15555550111") != 0 {
		t.Fatal("a text went out during quiet hours")
	}
	e.clock.Set(time.Date(2027, 6, 16, 8, 0, 0, 0, ny))
	e.drain()
	if e.tw.CountTo("+15555550111") != 1 {
		t.Fatal("the deferred nudge was not sent in the morning")
	}
}

func TestEnqueue_DistrictQuietHours_AreConfigurable(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE districts SET quiet_start = 19, quiet_end = 9 WHERE id = $1`, e.w.district)
	e.clock.Set(time.Date(2027, 6, 15, 19, 30, 0, 0, losAngeles))
	out := e.enqueue(e.nudge("k"))
	if got, want := e.message(out.Messages[0]).SendAfter, time.Date(2027, 6, 16, 9, 0, 0, 0, losAngeles); !got.Equal(want) {
		t.Fatalf("send_after %v, want %v", got.In(losAngeles), want)
	}
	// Email is not held by quiet hours.
	email := e.enqueue(Request{IdemKey: "k2", DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
		Template: "mou_sign_request"})
	if got := e.message(email.Messages[0]).SendAfter; !got.Equal(e.clock.Now()) {
		t.Fatalf("email send_after %v, want now", got)
	}
}

func TestEnqueue_OutboxStoresNoUsableLink_URLRenderedAtSendTime(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(e.nudge("k"))
	var params, linkID string
	e.pool.QueryRow(e.ctx, `SELECT params::text, link_id::text FROM messages WHERE id = $1`, out.Messages[0]).Scan(&params, &linkID) //nolint:errcheck
	if strings.Contains(params, "/l/") || strings.Contains(params, "http") {
		t.Fatalf("params hold a URL: %s", params)
	}
	e.drain()
	body := e.tw.Messages()[0].Body
	i := strings.Index(body, "/l/")
	if i < 0 {
		t.Fatalf("text has no link: %q", body)
	}
	token := strings.Fields(body[i+3:])[0]
	l, err := e.minter.Resolve(e.ctx, e.pool, token, time.Now())
	if err != nil || l.ID != linkID || l.PersonKind != "student" || l.PersonRef != e.w.student || l.Action != "survey" {
		t.Fatalf("link in text resolves to %+v, %v; want the student's survey link %s", l, err, linkID)
	}
}

func TestEnqueue_ConcurrentSameKey_OneMessageNoOrphanLink(t *testing.T) {
	e := newEnv(t)
	// Both transactions check the key before either commits.
	tx1, _ := e.pool.Begin(e.ctx)
	tx2, _ := e.pool.Begin(e.ctx)
	defer tx1.Rollback(e.ctx) //nolint:errcheck
	defer tx2.Rollback(e.ctx) //nolint:errcheck
	if _, err := e.outbox.Enqueue(e.ctx, tx1, e.nudge("race")); err != nil {
		t.Fatal(err)
	}
	done := make(chan Outcome)
	go func() {
		out, err := e.outbox.Enqueue(context.Background(), tx2, e.nudge("race"))
		if err != nil {
			t.Error(err)
		}
		done <- out
	}()
	time.Sleep(100 * time.Millisecond) // tx2 now waits on tx1's key
	if err := tx1.Commit(e.ctx); err != nil {
		t.Fatal(err)
	}
	if out := <-done; out.Status != StatusDuplicate {
		t.Fatalf("second = %+v, want duplicate", out)
	}
	if err := tx2.Commit(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(`SELECT count(*) FROM action_links`); n != 1 {
		t.Fatalf("%d links, want 1 (the loser's link is dropped)", n)
	}
}

func TestEnqueue_StaffLoginLink_IsBoundToStaff(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(Request{IdemKey: "login:1", DistrictID: e.w.district,
		To: Recipient{Kind: "staff", Ref: e.w.coordinators[0]}, Template: "staff_login",
		Link: &LinkSpec{Action: "staff_login", SingleUse: true}})
	e.drain()
	if out.Channel != ChannelEmail || e.sg.CountTo("lopez@bay.example") != 1 {
		t.Fatalf("outcome %+v; emails %d", out, e.sg.CountTo("lopez@bay.example"))
	}
	mail := e.sg.Messages()[0]
	if !strings.Contains(mail.Text, e.minter.BaseURL+"/l/") || !strings.Contains(mail.HTML, `href="`+e.minter.BaseURL+"/l/") {
		t.Fatalf("login email lacks its link:\n%s", mail.Text)
	}
	var l links.Link
	l.ID = e.message(out.Messages[0]).LinkID
	if n := e.count(`SELECT count(*) FROM action_links WHERE id = $1 AND action = 'staff_login' AND single_use`, l.ID); n != 1 {
		t.Fatal("login link is not single-use staff_login")
	}
}
