package messaging

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/testenv"
)

func TestDispatcher_SendsTextAndRecordsProviderID(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(e.nudge("k"))
	st := e.drain()

	if st.Sent != 1 || e.tw.CountTo(emmaPhone) != 1 {
		t.Fatalf("stats %+v, texts to Emma %d; want 1 sent", st, e.tw.CountTo(emmaPhone))
	}
	m := e.message(out.Messages[0])
	sent := e.tw.Messages()[0]
	if m.Status != "sent" || m.Provider != "twilio" || m.ProviderID != sent.SID {
		t.Fatalf("row %+v, want sent with twilio id %s", m, sent.SID)
	}
	if sent.StatusCallback != "https://intern.example-district.org/webhooks/twilio/status" {
		t.Fatalf("status callback %q", sent.StatusCallback)
	}
	if again := e.drain(); again.Sent != 0 || e.tw.CountTo(emmaPhone) != 1 {
		t.Fatal("a second drain sent again")
	}
}

// The worker dies after the provider accepted the message and before the
// commit; a restarted worker must not text the student a second time.
func TestDispatcher_CrashAfterProviderCall_SendsExactlyOnce(t *testing.T) {
	cases := []struct {
		name  string
		req   func(e *env) Request
		count func(e *env) int
	}{
		{"twilio", func(e *env) Request { return e.nudge("crash") },
			func(e *env) int { return e.tw.CountTo(emmaPhone) }},
		{"sendgrid", func(e *env) Request {
			return Request{IdemKey: "crash", DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
				Template: "mou_sign_request", Params: map[string]string{"employer_name": "Harbor Clinic", "program_year": "2027"},
				Link: &LinkSpec{Action: "sign_mou"}}
		}, func(e *env) int { return e.sg.CountTo(hrEmail) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			out := e.enqueue(c.req(e))
			crashing := e.dispatcher(nil)
			crashing.afterSend = func(int64) error { return errors.New("worker killed") }
			e.drainWith(crashing)
			if c.count(e) != 1 || e.message(out.Messages[0]).Status != "sending" {
				t.Fatalf("after the crash: %d at provider, row %+v", c.count(e), e.message(out.Messages[0]))
			}

			e.clock.Advance(3 * time.Minute) // the dead worker's lease lapses
			st := e.drainWith(e.dispatcher(nil))

			if got := c.count(e); got != 1 {
				t.Fatalf("recipient received %d messages, want exactly 1", got)
			}
			m := e.message(out.Messages[0])
			if st.Reconciled != 1 || m.Status != "sent" || m.ProviderID == "" {
				t.Fatalf("stats %+v, row %+v: want the earlier send found and recorded", st, m)
			}
		})
	}
}

func TestDispatcher_ProviderAcceptedButTimedOut_SendsExactlyOnce(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(e.nudge("k"))
	e.tw.SetHang(2 * time.Second)
	e.tw.FailNext(1, fakeprovider.FaultAcceptThenTimeout)

	st := e.drain()
	if st.Retried != 1 || e.message(out.Messages[0]).Status != "sending" {
		t.Fatalf("stats %+v row %+v: a timeout must leave the row for a checked retry", st, e.message(out.Messages[0]))
	}
	e.clock.Advance(2 * time.Minute)
	st = e.drain()
	if e.tw.CountTo(emmaPhone) != 1 || st.Reconciled != 1 || e.message(out.Messages[0]).Status != "sent" {
		t.Fatalf("texts %d, stats %+v: want 1 text, found at Twilio", e.tw.CountTo(emmaPhone), st)
	}
}

func TestDispatcher_RateLimitsAndServerErrors_RetriedWithBackoffNeverLost(t *testing.T) {
	type fake interface {
		FailNext(int, fakeprovider.Fault)
		SetHang(time.Duration)
	}
	cases := []struct {
		name  string
		fake  func(e *env) fake
		req   func(e *env) Request
		count func(e *env) int
	}{
		{"twilio", func(e *env) fake { return e.tw }, func(e *env) Request { return e.nudge("k") },
			func(e *env) int { return e.tw.CountTo(emmaPhone) }},
		{"sendgrid", func(e *env) fake { return e.sg }, func(e *env) Request {
			return Request{IdemKey: "k", DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
				Template: "mou_reminder"}
		}, func(e *env) int { return e.sg.CountTo(hrEmail) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			out := e.enqueue(c.req(e))
			f := c.fake(e)
			f.FailNext(1, fakeprovider.Fault429)
			f.FailNext(1, fakeprovider.Fault500)
			f.FailNext(1, fakeprovider.FaultTimeout)
			f.SetHang(2 * time.Second)

			var last time.Duration
			for i := 1; i <= 3; i++ {
				st := e.drain()
				m := e.message(out.Messages[0])
				if st.Retried != 1 || m.Attempts != i || !m.SendAfter.After(e.clock.Now()) {
					t.Fatalf("attempt %d: stats %+v row %+v, want rescheduled later", i, st, m)
				}
				wait := m.SendAfter.Sub(e.clock.Now())
				if wait <= last {
					t.Fatalf("attempt %d waits %s, not longer than the previous %s", i, wait, last)
				}
				last = wait
				e.clock.Set(m.SendAfter)
			}
			e.drain()
			if c.count(e) != 1 || e.message(out.Messages[0]).Status != "sent" {
				t.Fatalf("after the faults cleared: %d messages, row %+v", c.count(e), e.message(out.Messages[0]))
			}
		})
	}
}

func TestDispatcher_PermanentProviderErrors_MarkUndeliverableAndAlertOnce(t *testing.T) {
	cases := []struct {
		name       string
		reject     func(e *env)
		req        func(e *env) Request
		wantReason string
		optout     string // contact_optouts row expected
	}{
		{"twilio 21211 invalid number", func(e *env) { e.tw.RejectNumber(emmaPhone, fakeprovider.TwilioInvalidNumber) },
			func(e *env) Request { return e.nudge("k") }, ReasonInvalid, "sms:" + emmaPhone + ":invalid"},
		{"twilio 21610 unsubscribed", func(e *env) { e.tw.RejectNumber(emmaPhone, fakeprovider.TwilioUnsubscribed) },
			func(e *env) Request { return e.nudge("k") }, ReasonUnsubscribed, "sms:" + emmaPhone + ":unsubscribed"},
		{"twilio 21614 not mobile", func(e *env) { e.tw.RejectNumber(emmaPhone, fakeprovider.TwilioNotMobile) },
			func(e *env) Request { return e.nudge("k") }, ReasonInvalid, "sms:" + emmaPhone + ":invalid"},
		{"sendgrid 400 bad address", func(e *env) { e.sg.RejectAddress(hrEmail) },
			func(e *env) Request {
				return Request{IdemKey: "k", DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
					Template: "mou_reminder"}
			}, ReasonInvalid, "email:" + hrEmail + ":invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			c.reject(e)
			out := e.enqueue(c.req(e))
			st := e.drain()

			m := e.message(out.Messages[0])
			if st.Undeliverable != 1 || m.Status != "undeliverable" || m.FailReason != c.wantReason {
				t.Fatalf("stats %+v row %+v, want undeliverable (%s)", st, m, c.wantReason)
			}
			if n := e.count(`SELECT count(*) FROM contact_optouts WHERE channel || ':' || address || ':' || reason = $1`, c.optout); n != 1 {
				t.Fatalf("contact not flagged %s", c.optout)
			}
			e.drain() // not retried, not reported twice
			alerts := e.alerts()
			if len(alerts) != 1 || alerts[0].MessageID != out.Messages[0] || alerts[0].Reason != c.wantReason ||
				alerts[0].DistrictID != e.w.district || alerts[0].Channel != m.Channel {
				t.Fatalf("alerts %+v, want one for message %d", alerts, out.Messages[0])
			}
			if posts := e.tw.Posts() + e.sg.Posts(); posts != 1 {
				t.Fatalf("%d provider calls, want 1 (no retry of a permanent error)", posts)
			}
		})
	}
}

func TestDispatcher_InvalidNumber_NextNudgeFallsBackToEmail(t *testing.T) {
	e := newEnv(t)
	e.tw.RejectNumber(emmaPhone, fakeprovider.TwilioInvalidNumber)
	e.enqueue(e.nudge("rung1"))
	e.drain()
	next := e.enqueue(e.nudge("rung2"))
	e.drain()
	if next.Channel != ChannelEmail || e.sg.CountTo(emmaEmail) != 1 {
		t.Fatalf("next nudge %+v; emails %d; want email fallback", next, e.sg.CountTo(emmaEmail))
	}
}

func TestDispatcher_StopAfterQueued_MessageSuppressedAndReported(t *testing.T) {
	e := newEnv(t)
	out := e.enqueue(e.nudge("k"))
	e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword')`, emmaPhone)
	st := e.drain()
	if st.Suppressed != 1 || e.tw.Posts() != 0 || e.message(out.Messages[0]).Status != "suppressed" {
		t.Fatalf("stats %+v, posts %d: a text went to a number that said STOP", st, e.tw.Posts())
	}
	if a := e.alerts(); len(a) != 1 || a[0].Reason != ReasonOptedOut {
		t.Fatalf("alerts %+v, want one opted_out", a)
	}
}

func TestDispatcher_BacklogRunsIntoQuietHours_DefersToMorning(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Date(2027, 6, 15, 20, 59, 0, 0, losAngeles))
	out := e.enqueue(e.nudge("k"))
	e.clock.Set(time.Date(2027, 6, 15, 21, 5, 0, 0, losAngeles)) // the backlog reached it late
	st := e.drain()
	m := e.message(out.Messages[0])
	if st.Deferred != 1 || e.tw.Posts() != 0 || m.Status != "queued" ||
		!m.SendAfter.Equal(time.Date(2027, 6, 16, 8, 0, 0, 0, losAngeles)) {
		t.Fatalf("stats %+v row %+v: want deferred to 8:00", st, m)
	}
	e.clock.Set(m.SendAfter)
	e.drain()
	if e.tw.CountTo(emmaPhone) != 1 {
		t.Fatal("deferred text never sent")
	}
}

func TestDispatcher_TwoReplicas_EveryMessageExactlyOnce(t *testing.T) {
	e := newEnv(t)
	const n = 300
	phones := seedStudents(t, e, n, e.w.school)
	a, b := e.dispatcher(nil), e.dispatcher(nil)
	var wg sync.WaitGroup
	var stats [2]DrainStats
	for i, d := range []*Dispatcher{a, b} {
		wg.Go(func() { stats[i] = e.drainWith(d) })
	}
	wg.Wait()
	counts := e.tw.CountsByRecipient()
	for _, p := range phones {
		if counts[p] != 1 {
			t.Fatalf("%s got %d texts, want 1", p, counts[p])
		}
	}
	if stats[0].Sent+stats[1].Sent != n {
		t.Fatalf("replicas sent %d + %d, want %d", stats[0].Sent, stats[1].Sent, n)
	}
}

// seedStudents enqueues a survey nudge for n new students at a school.
func seedStudents(t *testing.T, e *env, n int, school string) []string {
	t.Helper()
	var phones []string
	for i := range n {
		phone := fmt.Sprintf("+1555%03d%04d", len(school)%1000, i)
		if school == e.w.school2 {
			phone = fmt.Sprintf("+1556%03d%04d", 0, i)
		}
		st, j := addStudent(t, e.pool, e.w, school, fmt.Sprintf("S%d", i), phone, "", "en", "")
		e.enqueue(Request{IdemKey: "seed:" + j, DistrictID: e.w.district, JourneyID: j,
			To: Recipient{Kind: "student", Ref: st}, Template: "survey_nudge"})
		phones = append(phones, phone)
	}
	return phones
}

func TestDispatcher_BigSchoolDoesNotStarveSmallSchool(t *testing.T) {
	e := newEnv(t)
	seedStudents(t, e, 120, e.w.school) // queued first
	small := seedStudents(t, e, 4, e.w.school2)
	d := e.dispatcher(func(c *DispatcherConfig) { c.Workers, c.BatchSize = 1, 10 })
	e.drainWith(d)
	order := e.tw.Messages()
	pos := map[string]int{}
	for i, m := range order {
		pos[m.To] = i
	}
	for _, p := range small {
		if pos[p] >= 10 {
			t.Fatalf("small school's text sent %dth of %d; want among the first 10 (round robin)", pos[p]+1, len(order))
		}
	}
}

func TestDispatcher_RateLimit_PacesSends(t *testing.T) {
	e := newEnv(t)
	seedStudents(t, e, 40, e.w.school)
	d := e.dispatcher(func(c *DispatcherConfig) { c.SMSPerSecond = 40 })
	start := time.Now()
	st := e.drainWith(d)
	elapsed := time.Since(start)
	if st.Sent != 40 {
		t.Fatalf("sent %d", st.Sent)
	}
	// 40 texts at 40/s take about a second (a small initial burst allowed).
	if elapsed < 800*time.Millisecond {
		t.Fatalf("40 texts at 40/s took %s: not rate limited", elapsed)
	}
}

func TestDispatcher_SenderLock_OneReplicaSendsPerChannel(t *testing.T) {
	e := newEnv(t)
	a, b := e.dispatcher(nil), e.dispatcher(nil)
	conn, err := a.lockSender(e.ctx, ChannelSMS)
	if err != nil || conn == nil {
		t.Fatalf("first replica: %v", err)
	}
	if other, err := b.lockSender(e.ctx, ChannelSMS); err != nil || other != nil {
		t.Fatalf("second replica got the SMS sender lock too (%v)", err)
	}
	if other, err := b.lockSender(e.ctx, ChannelEmail); err != nil || other == nil {
		t.Fatalf("email sender lock is independent: %v", err)
	} else {
		other.Release()
	}
	conn.Conn().Close(e.ctx) //nolint:errcheck // the sender dies
	conn.Release()
	// PostgreSQL frees the lock when the dead sender's backend exits, a
	// moment after its connection closes; the standby keeps trying, as
	// its stand-by loop does.
	deadline := time.Now().Add(5 * time.Second)
	for {
		other, err := b.lockSender(e.ctx, ChannelSMS)
		if err == nil && other != nil {
			other.Release()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("standby did not take over within 5s after the sender died: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestDispatcher_Run_SendsUntilStopped(t *testing.T) {
	e := newEnv(t)
	d := e.dispatcher(func(c *DispatcherConfig) { c.PollInterval = 20 * time.Millisecond })
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	e.enqueue(e.nudge("k"))
	deadline := time.Now().Add(5 * time.Second)
	for e.tw.CountTo(emmaPhone) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if e.tw.CountTo(emmaPhone) != 1 {
		t.Fatal("Run did not send the queued text")
	}
}

func TestDispatcher_UndeliverableHookFails_RetriedUntilAccepted(t *testing.T) {
	e := newEnv(t)
	e.tw.RejectNumber(emmaPhone, fakeprovider.TwilioInvalidNumber)
	calls := 0
	d := e.dispatcher(func(c *DispatcherConfig) {
		c.OnUndeliverable = UndeliverableFunc(func(context.Context, Undeliverable) error {
			calls++
			if calls == 1 {
				return errors.New("temporal unavailable")
			}
			return nil
		})
	})
	e.enqueue(e.nudge("k"))
	if st := e.drainWith(d); st.Notified != 0 {
		t.Fatalf("notified %d though the hook failed", st.Notified)
	}
	d.notifyPauseTill = time.Time{}
	if st := e.drainWith(d); st.Notified != 1 || calls != 2 {
		t.Fatalf("notified %d after %d calls, want 1 after 2", st.Notified, calls)
	}
	d.notifyPauseTill = time.Time{}
	if st := e.drainWith(d); st.Notified != 0 || calls != 2 {
		t.Fatal("hook called again after it accepted")
	}
}

func TestDispatcher_LogProvider_RecordsWithoutKeys(t *testing.T) {
	e := newEnv(t)
	logs := &testenv.LogBuffer{}
	d := NewDispatcher(e.pool, Providers{SMS: NewLogProvider(slogTo(logs)), Email: NewLogProvider(slogTo(logs))},
		DispatcherConfig{Links: e.minter, Clock: e.clock, Program: "Summer Internships"})
	out := e.enqueue(e.nudge("k"))
	e.drainWith(d)
	m := e.message(out.Messages[0])
	if m.Status != "sent" || m.Provider != "log" {
		t.Fatalf("row %+v, want sent by the log provider", m)
	}
	line := logs.String()
	if !strings.Contains(line, "+1555***0101") || strings.Contains(line, emmaPhone) || strings.Contains(line, "Emma") {
		t.Fatalf("log line must name the redacted number only: %s", line)
	}
	if !strings.Contains(line, "local inbox") || strings.Contains(line, "not sent") {
		t.Fatalf("log line must point at the local inbox: %s", line)
	}
}

// TestDispatcher_NewMessage_SentWithoutWaitingForThePoll: with a long
// poll interval, a message still goes out as soon as its transaction
// commits (the outbox notifies the dispatcher).
func TestDispatcher_NewMessage_SentWithoutWaitingForThePoll(t *testing.T) {
	e := newEnv(t)
	d := e.dispatcher(func(c *DispatcherConfig) { c.PollInterval = time.Minute })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = d.Run(ctx) }()
	time.Sleep(500 * time.Millisecond) // the loops are idle, waiting out the minute
	e.enqueue(e.nudge("wake-me"))
	deadline := time.Now().Add(5 * time.Second)
	for e.tw.CountTo(emmaPhone) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the text waited for the poll instead of going out when it was queued")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
