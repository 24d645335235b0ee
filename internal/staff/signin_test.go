package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/staff/stafftest"
)

func TestSignIn_LinkIsSingleUseShortLivedAndSurvivesMailScanners(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	link := c.RequestLink(e.Stack, coachA)
	if link == "" {
		t.Fatal("no link emailed")
	}
	var ttl time.Duration
	if err := e.Pool.QueryRow(context.Background(), `SELECT expires_at - created_at FROM action_links
		WHERE action = 'staff_login' ORDER BY created_at DESC LIMIT 1`).Scan(&ttl); err != nil {
		t.Fatal(err)
	}
	if ttl < 14*time.Minute || ttl > 16*time.Minute {
		t.Fatalf("sign-in link lives %v, want 15 minutes", ttl)
	}
	// A mail scanner fetching the link does not use it up.
	scanner := stafftest.Anonymous(t, e.Stack)
	for range 2 {
		if r := scanner.Get(link); r.Status != 200 || !strings.Contains(r.Body, `id="sign-in"`) {
			t.Fatalf("GET of the link: %d", r.Status)
		}
	}
	// Pressing Sign in without the page's token (a forged form) fails...
	if r := scanner.PostForm(link, url.Values{}); r.Status != http.StatusForbidden {
		t.Fatalf("sign-in POST without the form token: %d", r.Status)
	}
	// ...the person's press works, and lands on the dashboard...
	page := c.Get(link)
	r := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}})
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/staff" {
		t.Fatalf("sign in: %d %q", r.Status, r.Header.Get("Location"))
	}
	has(t, c.Get("/staff"), "Fixture High", "Maya")
	// ...and the link never works again.
	again := stafftest.Anonymous(t, e.Stack)
	page = again.Get(link)
	if r := again.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}}); r.Status == http.StatusSeeOther {
		t.Fatal("a used sign-in link signed someone in again")
	}
	if n := e.auditCount(t, coachA, "signed_in", ""); n != 1 {
		t.Fatalf("%d signed_in audit rows, want 1", n)
	}
}

func TestSignIn_AnswersTheSameForUnknownAddressesAndLimitsRequests(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	ask := func(email string) stafftest.Response {
		form := c.Get("/staff/login")
		return c.PostForm("/staff/login", url.Values{"email": {email}, "csrf_token": {stafftest.CSRFField(form.Body)}})
	}
	known, unknown := ask(coachA), ask("nobody@district.example.org")
	if known.Status != unknown.Status || !strings.Contains(unknown.Body, "Check your email") {
		t.Fatalf("known %d, unknown %d:\n%s", known.Status, unknown.Status, unknown.Body)
	}
	if e.LastLink("nobody@district.example.org") != "" {
		t.Fatal("an unknown address was emailed")
	}
	// Deactivated staff get nothing either.
	if _, err := e.Pool.Exec(context.Background(), `UPDATE staff SET active = false WHERE email = $1`, coachB); err != nil {
		t.Fatal(err)
	}
	ask(coachB)
	if e.LastLink(coachB) != "" {
		t.Fatal("a deactivated staff member was emailed a link")
	}
	// Five links per address per 15 minutes, the page looks the same after.
	for range 6 {
		if r := ask(approverOps); r.Status != 200 || !strings.Contains(r.Body, "Check your email") {
			t.Fatalf("request answered %d", r.Status)
		}
	}
	e.Drain()
	var sent int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM messages m JOIN staff s ON s.id::text = m.recipient_ref
		WHERE s.email = $1 AND m.template = 'staff_login'`, approverOps).Scan(&sent); err != nil {
		t.Fatal(err)
	}
	if sent != 5 {
		t.Fatalf("%d sign-in emails for one address, want 5", sent)
	}
}

func TestSignIn_DeactivatedBeforeUsingTheLink_IsRefused(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	link := c.RequestLink(e.Stack, coachB)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE staff SET active = false WHERE email = $1`, coachB); err != nil {
		t.Fatal(err)
	}
	page := c.Get(link)
	r := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}})
	if r.Status != http.StatusForbidden || c.Get("/staff").Status != http.StatusSeeOther {
		t.Fatalf("deactivated staff signing in: %d", r.Status)
	}
}

func TestSignOut_EndsTheSessionAndIsAudited(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	r := coach.Action("/staff/logout", nil)
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login") {
		t.Fatalf("sign out: %d %q", r.Status, r.Header.Get("Location"))
	}
	if coach.Get("/staff").Status != http.StatusSeeOther || coach.Get("/api/me").Status != http.StatusUnauthorized {
		t.Fatal("still signed in after signing out")
	}
	if e.auditCount(t, coachA, "signed_out", "") != 1 {
		t.Fatal("sign-out not audited")
	}
}

// After sign-in the person lands where they were going.
func TestSignIn_ReturnsToThePageAsked(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	want := "/staff/students/" + e.journeyA
	r := c.Get(want)
	form := c.Get(r.Header.Get("Location"))
	c.PostForm("/staff/login", url.Values{"email": {coachA}, "csrf_token": {stafftest.CSRFField(form.Body)},
		"next": {stafftest.Field(form.Body, "next")}})
	link := e.LastLink(coachA)
	page := c.Get(link)
	done := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}})
	if done.Header.Get("Location") != want {
		t.Fatalf("after sign-in went to %q, want %q", done.Header.Get("Location"), want)
	}
	// A "next" pointing off-site is ignored.
	form = c.Get("/staff/login?next=//evil.example.com/x")
	if strings.Contains(form.Body, "evil.example.com") {
		t.Fatal("the sign-in form kept an off-site next")
	}
}

// TestSignIn_EmailTellsStaffToAskTheirDistrict would have caught the
// staff sign-in email telling a coordinator to "contact your school's
// internship coordinator".
func TestSignIn_EmailTellsStaffToAskTheirDistrict(t *testing.T) {
	e := newEnv(t)
	if stafftest.Anonymous(t, e.Stack).RequestLink(e.Stack, coachA) == "" {
		t.Fatal("no link emailed")
	}
	var body string
	for _, m := range e.SendGrid.Messages() {
		if m.To == coachA {
			body = m.Subject + "\n" + m.Text
		}
	}
	if !strings.Contains(body, "Contact your district's internflow administrator.") || strings.Contains(body, "coordinator") {
		t.Fatalf("the sign-in email tells staff whom to ask:\n%s", body)
	}
}
