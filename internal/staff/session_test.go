package staff_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/staff"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/web"
)

// clock is a session clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// siteWith serves the link pages and the staff side of the env's app on
// another server, with the given options (a fake clock, Secure cookies).
func siteWith(t *testing.T, e *env, cfg staff.SiteConfig) string {
	t.Helper()
	cfg.Store, cfg.Journeys, cfg.Outbox = e.Store, e.Journeys, e.Outbox
	site := staff.NewSite(cfg)
	pages := &web.Pages{Store: e.Store, Journeys: e.Journeys, Links: e.Links, StaffLogin: site.SignInLink()}
	r := chi.NewRouter()
	pages.Mount(r)
	site.Mount(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSession_IdleAndAbsoluteExpiry(t *testing.T) {
	e := newEnv(t)
	clk := &clock{t: time.Now()}
	base := siteWith(t, e, staff.SiteConfig{Now: clk.Now})
	coach := stafftest.SignInAt(t, e.Stack, base, coachA)
	signedIn := func() bool { return coach.Get("/staff").Status == http.StatusOK }

	// Used every 29 minutes, a session lives on...
	for range 3 {
		clk.Add(29 * time.Minute)
		if !signedIn() {
			t.Fatal("an active session ended before its idle timeout")
		}
	}
	// ...but 31 idle minutes end it, and the sign-in page says so.
	clk.Add(31 * time.Minute)
	r := coach.Get("/staff/students/" + e.journeyA)
	if r.Status != http.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "expired=1") {
		t.Fatalf("after 31 idle minutes: %d %q", r.Status, r.Header.Get("Location"))
	}
	if page := coach.Get(r.Header.Get("Location")); !strings.Contains(page.Body, "Your session ended") {
		t.Fatalf("sign-in page after expiry:\n%s", page.Body)
	}

	// A session in constant use still ends 12 hours after sign-in.
	coach.SignIn(e.Stack, coachA)
	for elapsed := time.Duration(0); elapsed < 12*time.Hour-20*time.Minute; elapsed += 20 * time.Minute {
		clk.Add(20 * time.Minute)
		if !signedIn() {
			t.Fatalf("session ended after %v of use", elapsed+20*time.Minute)
		}
	}
	clk.Add(20 * time.Minute)
	if signedIn() {
		t.Fatal("a session outlived its 12-hour limit")
	}
}

func TestSignIn_RotatesTheSessionAndSetsASafeCookie(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	first := sessionCookie(t, coach, e.URL)
	// A second sign-in in the same browser gets a new id; the old one is dead.
	stale := stafftest.Anonymous(t, e.Stack)
	u, _ := url.Parse(e.URL)
	stale.HTTP.Jar.SetCookies(u, []*http.Cookie{first})
	if stale.Get("/staff").Status != http.StatusOK {
		t.Fatal("the first session does not work before the second sign-in")
	}
	coach.SignIn(e.Stack, coachA)
	second := sessionCookie(t, coach, e.URL)
	if second.Value == first.Value {
		t.Fatal("sign-in kept the session id")
	}
	if r := stale.Get("/staff"); r.Status != http.StatusSeeOther {
		t.Fatalf("the replaced session still works: %d", r.Status)
	}
	// Only the id's hash is stored.
	var n int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM staff_sessions WHERE id_hash = convert_to($1, 'UTF8')`, second.Value).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the raw session id is in the database (%d, %v)", n, err)
	}

	flags := signInCookieHeader(t, e, staff.SiteConfig{})
	for _, want := range []string{"internflow_staff=", "Path=/", "HttpOnly", "SameSite=Lax", "Max-Age=43200"} {
		if !strings.Contains(flags, want) {
			t.Errorf("cookie %q lacks %s", flags, want)
		}
	}
	if strings.Contains(flags, "Secure") {
		t.Errorf("cookie %q is Secure without TLS configured", flags)
	}
	flags = signInCookieHeader(t, e, staff.SiteConfig{Secure: true})
	if !strings.HasPrefix(flags, "__Host-internflow_staff=") || !strings.Contains(flags, "; Secure") || strings.Contains(flags, "Domain") {
		t.Errorf("behind TLS the cookie is %q, want __Host- and Secure", flags)
	}
}

func sessionCookie(t *testing.T, c *stafftest.Client, base string) *http.Cookie {
	t.Helper()
	u, _ := url.Parse(base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == "internflow_staff" {
			return ck
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// signInCookieHeader signs in on a site with cfg and returns the session
// Set-Cookie header the link's Sign in button got.
func signInCookieHeader(t *testing.T, e *env, cfg staff.SiteConfig) string {
	t.Helper()
	base := siteWith(t, e, cfg)
	c := stafftest.Anonymous(t, e.Stack)
	c.Base = base
	link := requestLinkAt(t, e, c, cfg.Secure, coachA)
	page := c.Get(link)
	r := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d %s", r.Status, r.Body)
	}
	for _, h := range r.Header.Values("Set-Cookie") {
		if strings.Contains(h, "internflow_staff=") {
			return h
		}
	}
	t.Fatalf("no session cookie set: %v", r.Header.Values("Set-Cookie"))
	return ""
}

// requestLinkAt asks for a link; with Secure cookies the client's jar does
// not send the __Host- form cookie over http, so the test copies it.
func requestLinkAt(t *testing.T, e *env, c *stafftest.Client, secure bool, email string) string {
	t.Helper()
	if !secure {
		return c.RequestLink(e.Stack, email)
	}
	form := c.Get("/staff/login")
	var tok string
	for _, h := range form.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(h, "__Host-internflow_login="); ok {
			tok, _, _ = strings.Cut(v, ";")
		}
	}
	r := c.Do("POST", "/staff/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"email": {email}, "csrf_token": {tok}}.Encode()),
		http.Header{"Cookie": {"__Host-internflow_login=" + tok}})
	if r.Status != 200 {
		t.Fatalf("link request: %d", r.Status)
	}
	link := e.LastLink(email)
	// The link page's form needs the cookie too; plain http keeps the test simple.
	c.HTTP.Jar.SetCookies(mustURL(c.Base), []*http.Cookie{{Name: "__Host-internflow_login", Value: tok, Path: "/"}})
	return c.Base + strings.TrimPrefix(link, e.URL)
}

func mustURL(s string) *url.URL { u, _ := url.Parse(s); return u }
