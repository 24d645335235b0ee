// Package apptest runs the whole app for end-to-end tests: a fresh
// database, a worker on the shared Temporal dev server, the HTTP server,
// and fake Twilio and SendGrid servers the real SDKs talk to. Tests act as
// people do: open the link a text carried, fill the form, sign.
package apptest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/testenv"
)

// Stack is a running app.
type Stack struct {
	*app.App
	// URL is the app's base URL (links in messages point here).
	URL        string
	Twilio     *fakeprovider.Twilio
	SendGrid   *fakeprovider.SendGrid
	Dispatcher *messaging.Dispatcher
	t          testing.TB
}

// Options tune a stack.
type Options struct {
	// TimeScale compresses program durations (default 1: real time).
	TimeScale float64
	// Configure edits the config before the app is built.
	Configure func(*config.Config)
}

// New starts a stack and stops it when the test ends.
func New(t testing.TB, o Options) *Stack {
	t.Helper()
	st := testenv.DB(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	tw, sg := fakeprovider.NewTwilio(), fakeprovider.NewSendGrid()
	t.Cleanup(tw.Close)
	t.Cleanup(sg.Close)
	if o.TimeScale == 0 {
		o.TimeScale = 1
	}
	cfg := config.Config{TaskQueue: testenv.TaskQueue(t), TimeScale: o.TimeScale, BaseURL: base, ProgramName: "Internships",
		ProgramContact: "your coordinator", SMSPerSecond: 1000, EmailPerSecond: 1000, Twilio: tw.Config(), SendGrid: sg.Config()}.WithDevDefaults()
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	a := app.New(cfg, st.Pool, testenv.Temporal(t))
	// A journey that sends a message its template cannot read whole
	// (a missing name, no link) fails here instead of texting a blank.
	a.Outbox.Strict = true
	w := a.NewWorker()
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	providers, err := messaging.NewProviders(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	enrolCtx, stopEnrolments := context.WithCancel(context.Background())
	enrolled := make(chan struct{})
	go func() { defer close(enrolled); _ = a.Enrolments.Work(enrolCtx) }()
	t.Cleanup(func() { stopEnrolments(); <-enrolled })
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return &Stack{App: a, URL: base, Twilio: tw, SendGrid: sg, Dispatcher: a.NewDispatcher(providers), t: t}
}

// Drain sends every message due now through the fake providers.
func (s *Stack) Drain() messaging.DrainStats {
	s.t.Helper()
	st, err := s.Dispatcher.Drain(context.Background())
	if err != nil {
		s.t.Fatalf("drain outbox: %v", err)
	}
	return st
}

// LastLink drains the outbox and returns the newest action link texted to
// a phone number or emailed to an address ("" if none).
func (s *Stack) LastLink(to string) string {
	s.t.Helper()
	s.Drain()
	re := regexp.MustCompile(regexp.QuoteMeta(s.URL) + `/l/[A-Za-z0-9_-]+`)
	var bodies []string
	if strings.Contains(to, "@") {
		for _, m := range s.SendGrid.Messages() {
			if m.To == to {
				bodies = append(bodies, m.Text)
			}
		}
	} else {
		for _, m := range s.Twilio.Messages() {
			if m.To == to {
				bodies = append(bodies, m.Body)
			}
		}
	}
	for i := len(bodies) - 1; i >= 0; i-- {
		if l := re.FindString(bodies[i]); l != "" {
			return l
		}
	}
	return ""
}

// BaseURL is URL (stafftest signs in through it).
func (s *Stack) BaseURL() string { return s.URL }

// Client is an HTTP client that keeps cookies (a staff browser session).
func (s *Stack) Client() *http.Client {
	jar := newJar()
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
