package faults_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/time/rate"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/web"
)

// Malformed input must be answered with a 4xx, never a 500 or a panic.
// These fuzzers drive real handlers over HTTP against the real database
// and Temporal; their seeds run in every `make test`.

// FuzzLinkPageForm posts arbitrary form bodies to a student's survey link.
func FuzzLinkPageForm(f *testing.F) {
	s := apptest.New(f, apptest.Options{})
	fx := apptest.NewFixture(f, s.Store, `{}`)
	if _, err := s.Journeys.Enroll(context.Background(), fx.Student, fx.Program); err != nil {
		f.Fatal(err)
	}
	var link string
	deadline := time.Now().Add(20 * time.Second)
	for link == "" && time.Now().Before(deadline) {
		link = s.LastLink("+15555550142")
		time.Sleep(100 * time.Millisecond)
	}
	if link == "" {
		f.Fatal("no survey link was texted")
	}
	// Pages without rate limits, so the fuzzer reaches the form handling.
	pages := &web.Pages{Store: s.Store, Journeys: s.Journeys, Links: s.Links,
		Limits: web.Limits{PerIP: rate.Inf, IPBurst: 1, PerLink: rate.Inf, LinkBurst: 1, NewLinkEvery: time.Millisecond}}
	r := chi.NewRouter()
	pages.Mount(r)
	srv := httptest.NewServer(r)
	defer srv.Close()
	target := srv.URL + strings.TrimPrefix(link, s.URL)
	for _, seed := range []string{"pathway=it&transport=walk&contact_consent=on", "pathway=%zz", "transport=" + strings.Repeat("x", 5000),
		"interests=a&interests=b&languages=" + strings.Repeat("&languages=es", 50), "", "====&&&"} {
		f.Add([]byte(seed), "application/x-www-form-urlencoded")
	}
	f.Add([]byte("--b\r\nContent-Disposition: form-data; name=\"pathway\"\r\n\r\nit\r\n--b--"), "multipart/form-data; boundary=b")
	f.Add([]byte{0xff, 0x00, 0x01}, "multipart/form-data")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		code := post(t, target, contentType, body, nil)
		if code >= 500 {
			t.Fatalf("POST %q (%s) answered %d", body, contentType, code)
		}
	})
}

// FuzzTwilioInbound posts arbitrary, correctly signed inbound-SMS forms.
func FuzzTwilioInbound(f *testing.F) {
	s := apptest.New(f, apptest.Options{})
	token := s.Cfg.Twilio.AuthToken
	path := messaging.PathTwilioInbound
	for _, seed := range [][3]string{{"+15555550142", "STOP", "SM1"}, {"+15555550142", "hello", "SM2"}, {"", "", ""},
		{"not a phone", strings.Repeat("é", 2000), "SM3"}, {"+1", "HELP", "SM\x00"}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, from, body, sid string) {
		form := url.Values{"From": {from}, "Body": {body}, "MessageSid": {sid}, "To": {s.Cfg.Twilio.From}}
		sig := fakeprovider.SignTwilio(token, s.URL+path, form)
		code := post(t, s.URL+path, "application/x-www-form-urlencoded", []byte(form.Encode()), map[string]string{"X-Twilio-Signature": sig})
		if code >= 500 {
			t.Fatalf("inbound %q from %q answered %d", body, from, code)
		}
	})
}

// FuzzSendGridEvents posts arbitrary, correctly signed event payloads.
func FuzzSendGridEvents(f *testing.F) {
	signer := fakeprovider.NewEventSigner()
	s := apptest.New(f, apptest.Options{Configure: func(c *config.Config) { c.SendGrid.WebhookPublicKey = signer.PublicKey() }})
	for _, seed := range []string{`[{"event":"delivered","sg_event_id":"e1","custom_args":{"outbox_id":"1"}}]`, `[]`, `{}`, `[{"event":7}]`,
		`[{"event":"bounce","email":"x@y.z","sg_event_id":"e2","outbox_id":"abc"}]`, `[` + strings.Repeat(`{},`, 100) + `{}]`, "\x00"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		sig, ts := signer.Sign(body, time.Now())
		code := post(t, s.URL+"/webhooks/sendgrid/events", "application/json", body, map[string]string{
			"X-Twilio-Email-Event-Webhook-Signature": sig, "X-Twilio-Email-Event-Webhook-Timestamp": ts})
		if code >= 500 {
			t.Fatalf("events %q answered %d", body, code)
		}
	})
}

func post(t *testing.T, url, contentType string, body []byte, headers map[string]string) int {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if strings.Contains(err.Error(), "invalid header") {
			t.Skip("no HTTP client can send this header")
		}
		t.Fatalf("POST: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
