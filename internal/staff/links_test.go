package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/staff/stafftest"
)

// "Turn off a person's links" needs its confirmation, then turns off
// every link of that party of the journey (not the guardian's), audited;
// a "Resend link" afterwards gives the student a working one.
func TestRevokeLinks_EveryLinkOfThatPersonRefuses_Audited_ResendGivesANewOne(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	person := stafftest.Anonymous(t, e.Stack) // opens links as the person would
	openLink := func(t *testing.T, u string) (int, string) {
		r := person.Get(u)
		return r.Status, r.Body
	}
	invite := e.LastLink(studentAPhone)
	if status, body := openLink(t, invite); status != http.StatusOK || !strings.Contains(body, "Your internship interests") {
		t.Fatalf("the invite does not open: %d", status)
	}
	mint := func(kind, ref, action string) string {
		_, tok, err := e.Links.Create(ctx, e.Pool, links.Spec{JourneyID: e.journeyA, PersonKind: kind, PersonRef: ref, Action: action})
		if err != nil {
			t.Fatal(err)
		}
		return e.URL + "/l/" + tok
	}
	other := mint("student", e.f.Student, "upload_badge")
	guardian := mint("guardian", "g1", "sign_permit")

	coach := e.signIn(t, coachA)
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, `<details id="revoke_links">`, "Turn off a person's links")
	r := refused(t, coach, e.journeyA, "revoke_links", url.Values{"party": {"student"}})
	nextTo(t, r, "revoke_links", "confirm", "Tick the box to confirm: their links stop working at once.")
	has(t, r, `<details id="revoke_links" open>`)
	if status, _ := openLink(t, invite); status != http.StatusOK {
		t.Fatal("an unconfirmed revocation turned the link off")
	}

	page = act(t, coach, e.journeyA, "revoke_links", url.Values{"party": {"student"}, "confirm": {"yes"}})
	// The invite's survey link, the student's own page it also carried,
	// and the other link.
	has(t, page, "Turned off 3 link(s) of the student.")
	for _, u := range []string{invite, other} {
		status, body := openLink(t, u)
		if status != http.StatusGone || !strings.Contains(body, "This link was turned off") || strings.Contains(body, "Send me a new link") {
			t.Errorf("a revoked link of the student: %d\n%s", status, body)
		}
	}
	var guardianOff bool
	if err := e.Pool.QueryRow(ctx, `SELECT revoked_at IS NOT NULL FROM action_links WHERE person_kind = 'guardian'`).Scan(&guardianOff); err != nil || guardianOff {
		t.Errorf("the guardian's link was turned off with the student's (%v)", err)
	}
	_ = guardian
	if n := e.auditCount(t, coachA, "links_revoked", e.journeyA); n != 1 {
		t.Fatalf("revocations audited: %d, want 1", n)
	}

	act(t, coach, e.journeyA, "resend", url.Values{"party": {"student"}})
	var fresh string
	eventually(t, "a new link texted to the student", func() bool {
		fresh = e.LastLink(studentAPhone)
		return fresh != "" && fresh != invite
	})
	if status, body := openLink(t, fresh); status != http.StatusOK || !strings.Contains(body, "Your internship interests") {
		t.Fatalf("the resent link does not open: %d", status)
	}
}
