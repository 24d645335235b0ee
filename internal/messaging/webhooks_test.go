package messaging

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/messaging/fakeprovider"
)

// hooks is a webhook server in front of the env's database.
type hooks struct {
	e      *env
	srv    *httptest.Server
	signer *fakeprovider.EventSigner

	mu      sync.Mutex
	replies []Reply
}

func (e *env) webhooks() *hooks {
	e.t.Helper()
	h := &hooks{e: e, signer: fakeprovider.NewEventSigner()}
	r := chi.NewRouter()
	h.srv = httptest.NewServer(r)
	e.t.Cleanup(h.srv.Close)
	wh, err := NewWebhooks(e.pool, e.outbox, WebhooksConfig{
		BaseURL: h.srv.URL, TwilioAuthToken: e.tw.AuthToken, SendGridPublicKey: h.signer.PublicKey(),
		Clock:  e.clock,
		Logger: slog.New(slog.NewTextHandler(e.logs, nil)),
		OnReply: ReplyFunc(func(_ context.Context, r Reply) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.replies = append(h.replies, r)
			return nil
		}),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	wh.Mount(r)
	return h
}

// twilio posts a signed Twilio webhook and returns the status code.
func (h *hooks) twilio(path string, form url.Values) int {
	h.e.t.Helper()
	resp, err := h.e.tw.PostSigned(h.e.ctx, h.srv.URL+path, "", form)
	if err != nil {
		h.e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (h *hooks) text(from, body string) url.Values {
	h.e.t.Helper()
	form := h.e.tw.InboundForm(from, body)
	if code := h.twilio(PathTwilioInbound, form); code != http.StatusOK {
		h.e.t.Fatalf("inbound %q: status %d", body, code)
	}
	return form
}

func (h *hooks) events(events ...map[string]any) int {
	h.e.t.Helper()
	resp, err := h.signer.Post(h.e.ctx, h.srv.URL+PathSendGridEvents, events, h.e.clock.Now())
	if err != nil {
		h.e.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestTwilioInbound_Stop_NoMoreTextsEmailInstead(t *testing.T) {
	for _, word := range []string{"STOP", "stop", " Unsubscribe ", "CANCEL", "end", "QUIT", "STOPALL"} {
		t.Run(word, func(t *testing.T) {
			e := newEnv(t)
			h := e.webhooks()
			h.text(emmaPhone, word)
			out := e.enqueue(e.nudge("after-stop"))
			e.drain()
			if out.Channel != ChannelEmail || e.tw.CountTo(emmaPhone) != 0 || e.sg.CountTo(emmaEmail) != 1 {
				t.Fatalf("after %q: outcome %+v, texts %d, emails %d", word, out, e.tw.CountTo(emmaPhone), e.sg.CountTo(emmaEmail))
			}
			if len(h.replies) != 0 {
				t.Fatal("a keyword was shown to the coordinator as a reply")
			}
		})
	}
}

func TestTwilioInbound_Start_OptsBackIn(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	h.text(emmaPhone, "STOP")
	h.text(emmaPhone, "unstop")
	if out := e.enqueue(e.nudge("k")); out.Channel != ChannelSMS {
		t.Fatalf("after UNSTOP the nudge goes by %s, want sms", out.Channel)
	}
}

func TestTwilioInbound_Reply_AttachedToStudentsJourneyOnce(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	form := h.text(emmaPhone, "Can I do my interview on Thursday instead?")
	h.twilio(PathTwilioInbound, form) // Twilio redelivers the same message

	if len(h.replies) != 1 || h.replies[0].StudentID != e.w.student || h.replies[0].JourneyID != e.w.journey {
		t.Fatalf("replies %+v, want one for Emma's journey", h.replies)
	}
	if n := e.count(`SELECT count(*) FROM inbound_messages WHERE journey_id = $1 AND student_id = $2 AND keyword IS NULL
		AND body LIKE 'Can I do my interview%'`, e.w.journey, e.w.student); n != 1 {
		t.Fatalf("%d timeline rows, want 1", n)
	}
}

func TestTwilioInbound_FromParent_AttachedToTheirStudent(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	h.text(anaPhone, "¿A qué hora termina?")
	if len(h.replies) != 1 || h.replies[0].StudentID != e.w.student {
		t.Fatalf("replies %+v, want Emma's", h.replies)
	}
}

func TestTwilioWebhooks_UnsignedOrForged_Rejected(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	form := e.tw.InboundForm(emmaPhone, "STOP")
	post := func(path string, body string, sig string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set("X-Twilio-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error
	}
	for _, path := range []string{PathTwilioInbound, PathTwilioStatus} {
		good := fakeprovider.SignTwilio(e.tw.AuthToken, h.srv.URL+path, form)
		tampered := url.Values{}
		for k, v := range form {
			tampered[k] = v
		}
		tampered.Set("From", "+15555550199")
		cases := map[string]struct{ body, sig string }{
			"unsigned":        {form.Encode(), ""},
			"wrong token":     {form.Encode(), fakeprovider.SignTwilio("not-the-token", h.srv.URL+path, form)},
			"other url":       {form.Encode(), fakeprovider.SignTwilio(e.tw.AuthToken, h.srv.URL+"/elsewhere", form)},
			"tampered params": {tampered.Encode(), good},
		}
		for name, c := range cases {
			if code, msg := post(path, c.body, c.sig); code != http.StatusForbidden || msg == "" {
				t.Errorf("%s %s: status %d error %q, want 403 with a JSON error", path, name, code, msg)
			}
		}
	}
	if n := e.count(`SELECT count(*) FROM contact_optouts`) + e.count(`SELECT count(*) FROM inbound_messages`); n != 0 {
		t.Fatal("a rejected request changed something")
	}
}

func TestTwilioStatus_DeliveryRecordedNeverMovesBack(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	out := e.enqueue(e.nudge("k"))
	e.drain()
	sent := e.tw.Messages()[0]
	for _, status := range []string{"delivered", "sent", "delivered"} { // late "sent", then a redelivery
		if code := h.twilio(PathTwilioStatus, e.tw.StatusForm(sent, status, "")); code != http.StatusNoContent {
			t.Fatalf("status callback %s: %d", status, code)
		}
	}
	if m := e.message(out.Messages[0]); m.Status != "delivered" {
		t.Fatalf("status %s, want delivered", m.Status)
	}
}

func TestTwilioStatus_CallbackBeforeSendRecorded_StillApplied(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	out := e.enqueue(e.nudge("k"))
	d := e.dispatcher(nil)
	d.afterSend = func(int64) error { // Twilio calls back before our commit
		h.twilio(PathTwilioStatus, e.tw.StatusForm(e.tw.Messages()[0], "delivered", ""))
		return nil
	}
	e.drainWith(d)
	if m := e.message(out.Messages[0]); m.Status != "delivered" {
		t.Fatalf("status %s, want delivered", m.Status)
	}
}

func TestTwilioStatus_Landline_MarksNumberInvalidAndAlerts(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	out := e.enqueue(e.nudge("k"))
	e.drain()
	h.twilio(PathTwilioStatus, e.tw.StatusForm(e.tw.Messages()[0], "undelivered", "30006"))
	e.drain()
	if m := e.message(out.Messages[0]); m.Status != "undeliverable" || m.FailReason != ReasonInvalid {
		t.Fatalf("row %+v", m)
	}
	if a := e.alerts(); len(a) != 1 || a[0].Reason != ReasonInvalid {
		t.Fatalf("alerts %+v", a)
	}
	if next := e.enqueue(e.nudge("k2")); next.Channel != ChannelEmail {
		t.Fatalf("next nudge by %s, want email", next.Channel)
	}
}

func (e *env) employerEmail(key string) Outcome {
	return e.enqueue(Request{IdemKey: key, DistrictID: e.w.district, To: Recipient{Kind: "employer", Ref: e.w.employer},
		Template: "mou_reminder", Params: map[string]string{"employer_name": "Harbor Clinic", "implementation_date": "June 16"}})
}

func TestSendGridEvents_DeliveredThenBounce_AddressMarkedBad(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	first := e.employerEmail("m1")
	e.drain()
	mail := e.sg.Messages()[0]
	if code := h.events(e.sg.Event(mail, "processed"), e.sg.Event(mail, "delivered")); code != http.StatusNoContent {
		t.Fatalf("events: %d", code)
	}
	if m := e.message(first.Messages[0]); m.Status != "delivered" {
		t.Fatalf("status %s, want delivered", m.Status)
	}

	second := e.employerEmail("m2")
	e.drain()
	h.events(e.sg.Event(e.sg.Messages()[1], "bounce"))
	e.drain()
	if m := e.message(second.Messages[0]); m.Status != "undeliverable" || m.FailReason != ReasonBounced {
		t.Fatalf("bounced row %+v", m)
	}
	if a := e.alerts(); len(a) != 1 || a[0].MessageID != second.Messages[0] || a[0].Reason != ReasonBounced {
		t.Fatalf("alerts %+v", a)
	}
	if next := e.employerEmail("m3"); next.Status != StatusUnreachable || next.Reason != "invalid" {
		t.Fatalf("next email to a bounced address: %+v", next)
	}
}

func TestSendGridEvents_SpamReport_StopsEmails(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	e.employerEmail("m1")
	e.drain()
	h.events(e.sg.Event(e.sg.Messages()[0], "spamreport"))
	if next := e.employerEmail("m2"); next.Status != StatusUnreachable || next.Reason != "opted_out" {
		t.Fatalf("email after a spam report: %+v", next)
	}
}

func TestSendGridEvents_UnsignedStaleOrForged_Rejected(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	e.employerEmail("m1")
	e.drain()
	events := []map[string]any{e.sg.Event(e.sg.Messages()[0], "bounce")}
	body, _ := json.Marshal(events)
	post := func(body []byte, sig, ts string) int {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+PathSendGridEvents, strings.NewReader(string(body)))
		if sig != "" {
			req.Header.Set("X-Twilio-Email-Event-Webhook-Signature", sig)
			req.Header.Set("X-Twilio-Email-Event-Webhook-Timestamp", ts)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	staleSig, staleTS := h.signer.Sign(body, e.clock.Now().Add(-10*time.Minute))
	forgedSig, forgedTS := fakeprovider.NewEventSigner().Sign(body, e.clock.Now())
	goodSig, goodTS := h.signer.Sign(body, e.clock.Now())
	cases := map[string]int{
		"unsigned":         post(body, "", ""),
		"replayed (stale)": post(body, staleSig, staleTS),
		"forged":           post(body, forgedSig, forgedTS),
		"tampered body":    post([]byte(strings.Replace(string(body), "bounce", "delivered", 1)), goodSig, goodTS),
	}
	for name, code := range cases {
		if code != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, code)
		}
	}
	if n := e.count(`SELECT count(*) FROM contact_optouts`); n != 0 {
		t.Fatal("a rejected event flagged the address")
	}
	if code := post(body, goodSig, goodTS); code != http.StatusNoContent {
		t.Fatalf("properly signed: %d", code)
	}
}

func TestSendGridEvents_Redelivered_AppliedOnce(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	e.employerEmail("m1")
	e.drain()
	bounce := e.sg.Event(e.sg.Messages()[0], "bounce")
	h.events(bounce)
	e.exec(`DELETE FROM contact_optouts`) // staff corrected the address
	if code := h.events(bounce); code != http.StatusNoContent {
		t.Fatalf("redelivery: %d", code)
	}
	if n := e.count(`SELECT count(*) FROM contact_optouts`); n != 0 {
		t.Fatal("a redelivered event flagged the corrected address again")
	}
}

func TestSendGridEvents_DigestDelivered_AllItemsDelivered(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	a := e.timesheetApproval("ts:Emma", "Emma")
	b := e.timesheetApproval("ts:Noah", "Noah")
	e.clock.Advance(16 * time.Minute)
	e.drain()
	h.events(e.sg.Event(e.sg.Messages()[0], "delivered"))
	for _, id := range append(a.Messages, b.Messages...) {
		if m := e.message(id); m.Status != "delivered" {
			t.Fatalf("row %d %s, want delivered", id, m.Status)
		}
	}
}
