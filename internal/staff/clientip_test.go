package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/staff/stafftest"
)

// askWithForwardedFor requests a sign-in link, claiming to come from ip.
func askWithForwardedFor(c *stafftest.Client, email, ip string) stafftest.Response {
	form := c.Get("/staff/login")
	v := url.Values{"email": {email}, "csrf_token": {stafftest.CSRFField(form.Body)}}
	return c.Do(http.MethodPost, "/staff/login", "application/x-www-form-urlencoded", strings.NewReader(v.Encode()),
		http.Header{"X-Forwarded-For": {ip}, "X-Real-Ip": {ip}})
}

// signInLinkIP is the address audited for the last sign-in link request.
func (e *env) signInLinkIP(t *testing.T, email string) string {
	t.Helper()
	var ip string
	if err := e.Pool.QueryRow(context.Background(), `SELECT coalesce(a.ip, '') FROM audit_log a JOIN staff s ON s.id::text = a.actor_ref
		WHERE s.email = $1 AND a.action = 'sign_in_link_requested' ORDER BY a.id DESC LIMIT 1`, email).Scan(&ip); err != nil {
		t.Fatal(err)
	}
	return ip
}

// A made-up X-Forwarded-For from someone who is not a trusted proxy changes
// nothing: 40 requests from one peer, each claiming another address, run
// into that peer's limit (30 per 15 minutes), and the audit log records
// the peer.
func TestSignIn_ForgedForwardedForFromUntrustedPeer_HitsThePerIPLimitAndAuditsThePeer(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	codes := map[int]int{}
	for i := range 40 {
		email := fmt.Sprintf("nobody%d@district.example.org", i)
		if i == 0 {
			email = coachA
		}
		codes[askWithForwardedFor(c, email, fmt.Sprintf("203.0.113.%d", i+1)).Status]++
	}
	if codes[http.StatusOK] != 30 || codes[http.StatusTooManyRequests] != 10 {
		t.Fatalf("40 requests with forged addresses: %v, want 30 answered then 10 too-many", codes)
	}
	if ip := e.signInLinkIP(t, coachA); ip != "127.0.0.1" {
		t.Fatalf("audit log recorded %q, want the real peer 127.0.0.1", ip)
	}
}

// Behind a trusted proxy (TRUSTED_PROXIES) the forwarded address is the
// client: each has its own limit and is what the audit log records.
func TestSignIn_ForwardedForFromTrustedProxy_IsBelieved(t *testing.T) {
	e := newEnv(t, func(c *config.Config) {
		var err error
		if c.TrustedProxies, err = clientip.Parse("127.0.0.1"); err != nil {
			t.Fatal(err)
		}
	})
	c := stafftest.Anonymous(t, e.Stack)
	for i := range 35 {
		email := fmt.Sprintf("nobody%d@district.example.org", i)
		if i == 0 {
			email = coachA
		}
		if r := askWithForwardedFor(c, email, fmt.Sprintf("198.51.100.%d", i+1)); r.Status != http.StatusOK {
			t.Fatalf("request %d from its own address behind the proxy: %d", i+1, r.Status)
		}
	}
	if ip := e.signInLinkIP(t, coachA); ip != "198.51.100.1" {
		t.Fatalf("audit log recorded %q, want the forwarded client 198.51.100.1", ip)
	}
}
