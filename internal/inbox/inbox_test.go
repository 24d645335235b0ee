package inbox_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/inbox"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// TestInbox_ShowsEachMessageAsReceived_WithWorkingLinks plays what a
// newcomer does under `make run`: a student is enrolled, the supervisor
// gets a digest of two reminders, the coordinator an email; the inbox page shows the text
// as a bubble with its segment count, the emails with subject and body
// (escaped), and the survey link in the text opens the survey.
func TestInbox_ShowsEachMessageAsReceived_WithWorkingLinks(t *testing.T) {
	ctx := context.Background()
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	s.Outbox.DigestDelay = -1 // digest reminders are due at once: the drain below sends them

	e, err := s.Journeys.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the survey invitation in the outbox", func() bool {
		var n int
		_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE journey_id = $1 AND template = 'survey_invite'`, e.Journey.ID).Scan(&n)
		return n > 0
	})
	enqueue(t, s, messaging.Request{IdemKey: "t:ts1", JourneyID: e.Journey.ID, Template: "timesheet_approval_request",
		To: messaging.Recipient{Kind: "supervisor", Ref: f.Supervisor}, Params: map[string]string{"week": "2027-06-07"}, Reminder: true,
		Link: &messaging.LinkSpec{Action: "review_timesheet", SubjectRef: "2027-06-07"}})
	enqueue(t, s, messaging.Request{IdemKey: "t:ts2", JourneyID: e.Journey.ID, Template: "timesheet_approval_request",
		To: messaging.Recipient{Kind: "supervisor", Ref: f.Supervisor}, Params: map[string]string{"week": "2027-06-14"}, Reminder: true,
		Link: &messaging.LinkSpec{Action: "review_timesheet", SubjectRef: "2027-06-14"}})
	enqueue(t, s, messaging.Request{IdemKey: "t:review", JourneyID: e.Journey.ID, Template: "badge_review_request",
		To: messaging.Recipient{Kind: "staff", Ref: f.Coordinator}, Params: map[string]string{"student_first_name": "Maya <&> Co"}})
	s.Drain()

	sms := s.Twilio.Messages()
	if len(sms) != 1 {
		t.Fatalf("texts sent: %d, want the survey invitation", len(sms))
	}
	mails := s.SendGrid.Messages()
	if len(mails) != 2 {
		t.Fatalf("emails sent: %d, want one digest and one review request", len(mails))
	}

	srv := httptest.NewServer((&inbox.Inbox{Pool: s.Pool, Render: s.DispatcherConfig()}).Wrap(http.NotFoundHandler()))
	defer srv.Close()
	page := get(t, srv.URL+inbox.Path)

	// The text exactly as Twilio got it, in a bubble, with its segments.
	bubble := regexp.MustCompile(`(?s)<div class="bubble">(.*?)</div>\s*<div class="meta"><span class="segments">(\d) segments?</span>`).FindStringSubmatch(page)
	if bubble == nil {
		t.Fatalf("no SMS bubble with a segment count on the page:\n%s", page)
	}
	if got := html.UnescapeString(stripTags(bubble[1])); got != sms[0].Body {
		t.Fatalf("bubble text %q, Twilio received %q", got, sms[0].Body)
	}
	if want := messaging.SMSSegments(sms[0].Body); bubble[2] != string(rune('0'+want)) {
		t.Fatalf("segments shown %s, want %d", bubble[2], want)
	}
	// Emails: subject and body as SendGrid got them; the digest carries both weeks.
	for _, m := range mails {
		if !strings.Contains(page, html.EscapeString(m.Subject)) {
			t.Errorf("subject %q not on the page", m.Subject)
		}
	}
	for _, want := range []string{"June 7, 2027", "June 14, 2027", "digest: carries 1 more item",
		"Maya &lt;&amp;&gt; Co uploaded a resume", "to supervisor Dr. Kim", "to student Maya Lopez", "sent "} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "Maya <&> Co") {
		t.Error("email text is not HTML-escaped")
	}

	// The survey link in the bubble is clickable and opens the survey.
	link := regexp.MustCompile(`<a href="(` + regexp.QuoteMeta(s.URL) + `/l/[^"]+)">`).FindStringSubmatch(bubble[1])
	if link == nil {
		t.Fatalf("the text's link is not clickable: %s", bubble[1])
	}
	if survey := get(t, html.UnescapeString(link[1])); !strings.Contains(survey, `name="pathway"`) {
		t.Fatalf("the texted link did not open the survey:\n%s", survey)
	}

	// Filtered by person: only the supervisor's digest.
	only := get(t, srv.URL+inbox.Path+"?person=supervisor:"+f.Supervisor)
	if strings.Contains(only, `class="bubble"`) || strings.Contains(only, "Maya &lt;&amp;&gt; Co") || !strings.Contains(only, "June 14, 2027") {
		t.Fatalf("filter by the supervisor shows other people's messages:\n%s", only)
	}
}

// TestInbox_HeldAndCancelledMessages_SayWhenAndWhy: a text held for quiet
// hours is listed with when it will go, a cancelled one with its reason.
func TestInbox_HeldAndCancelledMessages_SayWhenAndWhy(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	out := enqueue(t, s, messaging.Request{IdemKey: "t:held", Template: "survey_nudge", Params: map[string]string{"student_first_name": "Maya"},
		To: messaging.Recipient{Kind: "student", Ref: f.Student}, Link: &messaging.LinkSpec{Action: "survey"}})
	until := time.Now().Add(3 * time.Hour).UTC()
	if _, err := s.Pool.Exec(context.Background(), `UPDATE messages SET send_after = $2 WHERE id = $1`, out.Messages[0], until); err != nil {
		t.Fatal(err)
	}
	stale := enqueue(t, s, messaging.Request{IdemKey: "t:stale", Template: "badge_upload_nudge", Params: map[string]string{"student_first_name": "Maya"},
		To: messaging.Recipient{Kind: "student", Ref: f.Student}, Link: &messaging.LinkSpec{Action: "upload_badge"}})
	if _, err := s.Pool.Exec(context.Background(), `UPDATE messages SET status = 'cancelled', fail_reason = 'step_closed' WHERE id = $1`,
		stale.Messages[0]); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&inbox.Inbox{Pool: s.Pool, Render: s.DispatcherConfig()}).Wrap(http.NotFoundHandler()))
	defer srv.Close()
	page := get(t, srv.URL+inbox.Path)
	if !strings.Contains(page, "cancelled: step_closed") {
		t.Fatalf("the cancelled message does not say why:\n%s", page)
	}
	if want := "held until " + until.Format("2006-01-02 15:04 UTC"); !strings.Contains(page, want) {
		t.Fatalf("page lacks %q:\n%s", want, page)
	}
	if !strings.Contains(page, "your internship survey is still waiting") {
		t.Fatalf("held text not rendered:\n%s", page)
	}
}

func enqueue(t *testing.T, s *apptest.Stack, req messaging.Request) messaging.Outcome {
	t.Helper()
	ctx := context.Background()
	tx, err := s.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if req.DistrictID == "" {
		if err := tx.QueryRow(ctx, `SELECT id::text FROM districts LIMIT 1`).Scan(&req.DistrictID); err != nil {
			t.Fatal(err)
		}
	}
	out, err := s.Outbox.Enqueue(ctx, tx, req)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if out.Status != messaging.StatusQueued {
		t.Fatalf("enqueue %s: %+v", req.IdemKey, out)
	}
	return out
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, b)
	}
	return string(b)
}

var tags = regexp.MustCompile(`<[^>]+>`)

func stripTags(s string) string { return tags.ReplaceAllString(s, "") }

// waitFor waits for the event (testenv.Eventually).
var waitFor = testenv.Eventually
