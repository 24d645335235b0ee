package loadtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/links"
)

// staffMember is a signed-in browser session.
type staffMember struct {
	email  string
	client *http.Client
	csrf   string
}

func newClient(withCookies bool) *http.Client {
	c := &http.Client{Timeout: 60 * time.Second, Transport: forwarding{&http.Transport{MaxIdleConnsPerHost: 64}}}
	if withCookies {
		c.Jar, _ = cookiejar.New(nil)
	}
	return c
}

// signIn does what a coordinator does: ask for a sign-in link on the
// login page, open the email, press "Sign in".
func signIn(ctx context.Context, sys *system, minter *links.Minter, email string) (*staffMember, error) {
	ctx = asPerson(ctx, email)
	m := &staffMember{email: email, client: newClient(true)}
	asked := time.Now()
	if err := open(ctx, m.client, sys.URL+"/staff/login", cooperative(email), linkForm); err != nil {
		return nil, fmt.Errorf("ask for a sign-in link: %w", err)
	}
	link, err := waitForLink(ctx, sys, minter, email, asked)
	if err != nil {
		return nil, err
	}
	if err := open(ctx, m.client, link, cooperative(email), linkForm); err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	_, body, err := get(ctx, m.client, sys.URL+"/api/me")
	if err != nil {
		return nil, err
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &me); err != nil || me.CSRF == "" {
		return nil, fmt.Errorf("not signed in: %s", body)
	}
	m.csrf = me.CSRF
	return m, nil
}

// waitForLink reads the sign-in email once the dispatcher has sent it.
func waitForLink(ctx context.Context, sys *system, minter *links.Minter, email string, since time.Time) (string, error) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		var linkID string
		err := sys.Store.Pool.QueryRow(ctx, `SELECT m.link_id FROM messages m JOIN staff s ON s.id::text = m.recipient_ref
			WHERE s.email = $1 AND m.template = 'staff_login' AND m.status IN ('sent','delivered') AND m.created_at >= $2
			ORDER BY m.id DESC LIMIT 1`, email, since.Add(-time.Second)).Scan(&linkID)
		if err == nil {
			return minter.URL(linkID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", errors.New("no sign-in email arrived for " + email)
}

// enrol opens a student's journey through the staff JSON API.
func (m *staffMember) enrol(ctx context.Context, base, studentID, programID string) (string, error) {
	body := fmt.Sprintf(`{"student_id":%q,"program_id":%q}`, studentID, programID)
	req, _ := http.NewRequestWithContext(asPerson(ctx, m.email), http.MethodPost, base+"/api/journeys", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", m.csrf)
	req.Header.Set("Origin", base)
	resp, err := m.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		JourneyID string `json:"journey_id"`
		Error     string `json:"error"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode >= 300 {
		return "", fmt.Errorf("enrol: %d %s", resp.StatusCode, out.Error)
	}
	return out.JourneyID, nil
}

type ipKey struct{}

// asPerson marks requests as coming from one person's phone: behind the
// load balancer (TRUSTED_PROXIES) each has its own address, so per-address
// rate limits see people, not the load generator.
func asPerson(ctx context.Context, who string) context.Context {
	h := fnv.New32a()
	h.Write([]byte(who))
	n := h.Sum32()
	return context.WithValue(ctx, ipKey{}, fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff))
}

// forwarding adds X-Forwarded-For from the request's context.
type forwarding struct{ next http.RoundTripper }

func (f forwarding) RoundTrip(r *http.Request) (*http.Response, error) {
	if ip, ok := r.Context().Value(ipKey{}).(string); ok {
		r = r.Clone(r.Context())
		r.Header.Set("X-Forwarded-For", ip)
	}
	return f.next.RoundTrip(r)
}
