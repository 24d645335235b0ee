package staff_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/auth/oidctest"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
)

// Staff signing in with the district's OpenID Connect provider: a real
// provider (oidctest) runs in the test process; internflow's sign-in runs
// unchanged against it.

const (
	ssoClientID     = "internflow-test"
	ssoClientSecret = "s3cret-client-value-for-tests"
	// movedAway is staff of the other district with an address in this
	// district's domain (someone who moved between districts).
	movedAway = "moved@district.example.org"
)

// ssoEnv is the staff env with a provider the district admin set up on
// the Sign-in page.
type ssoEnv struct {
	*env
	idp   *oidctest.Provider
	admin *stafftest.Client
}

func newSSOEnv(t *testing.T, form url.Values) *ssoEnv {
	t.Helper()
	e := newEnv(t)
	idp := oidctest.Start(t, ssoClientID, ssoClientSecret, e.URL+auth.CallbackPath)
	for _, email := range []string{coachA, coachB, adminEmail, movedAway, "nobody@district.example.org"} {
		idp.AddUser(oidctest.User{Email: email, EmailVerified: true})
	}
	other := e.otherDistrict(t)
	if _, err := e.Store.CreateStaff(context.Background(), store.Staff{DistrictID: other, Name: "Moved Away", Email: movedAway,
		Roles: []store.StaffRole{{Role: "district_ops"}}}); err != nil {
		t.Fatal(err)
	}
	s := &ssoEnv{env: e, idp: idp, admin: e.signIn(t, adminEmail)}
	r := s.admin.Action("/staff/sso", s.settings(form))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("saving sign-in settings: %d\n%s", r.Status, r.Body)
	}
	return s
}

// settings is the Sign-in page's form for the test provider, with changes.
func (s *ssoEnv) settings(change url.Values) url.Values {
	v := url.Values{"provider": {"oidc"}, "issuer": {s.idp.URL}, "name": {"Test Provider"}, "client_id": {ssoClientID},
		"client_secret": {ssoClientSecret}, "email_domains": {"district.example.org"}, "email_claim": {"email"},
		"enabled": {"1"}, "magic_link": {"1"}}
	for k, vals := range change {
		v[k] = vals
	}
	return v
}

func (e *env) otherDistrict(t *testing.T) string {
	t.Helper()
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT district_id::text FROM staff WHERE email = $1`, otherOps).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

var ssoHref = regexp.MustCompile(`id="sso" href="([^"]+)"`)

// ssoAttempt is one trip through the provider.
type ssoAttempt struct {
	// Done is internflow's answer to the provider's redirect back.
	Done stafftest.Response
	// Callback is the URL the provider sent the browser back to, and
	// StateCookie the state the browser held (to replay both).
	Callback, StateCookie string
}

// signInWith types the address on the sign-in page, presses "Sign in with
// Test Provider", signs in at the provider as login and follows it back.
func (s *ssoEnv) signInWith(t *testing.T, c *stafftest.Client, email, login string) ssoAttempt {
	t.Helper()
	a, authorize := s.begin(t, c, email)
	page := c.Get(authorize)
	if page.Status != http.StatusOK {
		t.Fatalf("provider page: %d\n%s", page.Status, page.Body)
	}
	fields := url.Values{"login": {login}}
	for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"} {
		fields.Set(k, stafftest.Field(page.Body, k))
	}
	back := c.PostForm(s.idp.URL+"/authorize", fields)
	a.Callback = back.Header.Get("Location")
	if back.Status != http.StatusFound || !strings.HasPrefix(a.Callback, s.URL+auth.CallbackPath) {
		t.Fatalf("provider sign-in: %d %q\n%s", back.Status, a.Callback, back.Body)
	}
	a.Done = c.Get(a.Callback)
	return a
}

// begin types the address and presses the provider button; it returns the
// state cookie set and the provider's authorization URL.
func (s *ssoEnv) begin(t *testing.T, c *stafftest.Client, email string) (ssoAttempt, string) {
	t.Helper()
	form := c.Get("/staff/login")
	choice := c.PostForm("/staff/login", url.Values{"email": {email}, "csrf_token": {stafftest.CSRFField(form.Body)}})
	m := ssoHref.FindStringSubmatch(choice.Body)
	if choice.Status != http.StatusOK || m == nil || !strings.Contains(choice.Body, "Sign in with Test Provider") {
		t.Fatalf("the sign-in page offers no provider button for %s: %d\n%s", email, choice.Status, choice.Body)
	}
	start := c.Get(html.UnescapeString(m[1]))
	authorize := start.Header.Get("Location")
	if start.Status != http.StatusFound || !strings.HasPrefix(authorize, s.idp.URL+"/authorize?") {
		t.Fatalf("start: %d %q", start.Status, authorize)
	}
	var a ssoAttempt
	for _, sc := range start.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "internflow_oidc=") {
			a.StateCookie = strings.TrimPrefix(strings.SplitN(sc, ";", 2)[0], "internflow_oidc=")
			if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
				t.Fatalf("state cookie %q is not HttpOnly and SameSite=Lax", sc)
			}
		}
	}
	q, _ := url.Parse(authorize)
	if q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("nonce") == "" || q.Query().Get("login_hint") != email {
		t.Fatalf("authorization request lacks PKCE, nonce or hint: %s", authorize)
	}
	return a, authorize
}

// Cancelling at the provider (it answers error=access_denied) says so,
// is audited, and uses the state up.
func TestSSO_CancelledAtTheProviderIsRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	a, _ := s.begin(t, c, coachA)
	a.Callback = s.URL + auth.CallbackPath + "?" + url.Values{"error": {"access_denied"}, "state": {a.StateCookie}}.Encode()
	a.Done = c.Get(a.Callback)
	s.refusedAs(t, c, a, "provider_error:access_denied", "cancelled or refused", coachA)
	again := c.Do(http.MethodGet, a.Callback, "", nil, http.Header{"Cookie": {"internflow_oidc=" + a.StateCookie}})
	if again.Status != http.StatusBadRequest {
		t.Fatalf("the state of a cancelled sign-in answered %d again", again.Status)
	}
}

// refusedAs checks a sign-in was turned away with words and an audit entry
// that names the reason but never the address.
func (s *ssoEnv) refusedAs(t *testing.T, c *stafftest.Client, a ssoAttempt, reason, words, email string) {
	t.Helper()
	if a.Done.Status < 400 || !strings.Contains(a.Done.Body, words) || !strings.Contains(a.Done.Body, "You are not signed in") {
		t.Fatalf("refusal (%s): %d\n%s", reason, a.Done.Status, a.Done.Body)
	}
	if r := c.Get("/staff"); r.Status != http.StatusSeeOther {
		t.Fatalf("after a refused sign-in /staff answers %d", r.Status)
	}
	var n, leaks int
	if err := s.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE reason = $2),
			count(*) FILTER (WHERE after::text LIKE '%' || $3 || '%' OR entity_id LIKE '%' || $3 || '%')
		FROM audit_log WHERE district_id = $1 AND action = 'sign_in_refused'`, s.f.District, reason, email).Scan(&n, &leaks); err != nil {
		t.Fatal(err)
	}
	if n != 1 || leaks != 0 {
		t.Fatalf("%d sign_in_refused audit rows with reason %s (want 1), %d naming the address", n, reason, leaks)
	}
}

func TestSSO_StaffSignsInWithTheDistrictProvider_SameSessionAsTheMagicLink(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	a := s.signInWith(t, c, coachA, coachA)
	if a.Done.Status != http.StatusSeeOther || a.Done.Header.Get("Location") != "/staff" {
		t.Fatalf("callback: %d %q\n%s", a.Done.Status, a.Done.Header.Get("Location"), a.Done.Body)
	}
	home := c.Get("/staff")
	has(t, home, "Fixture High", "Maya")
	// The same session as the magic link's: hashed id, CSRF token, expiry.
	var method string
	var withCSRF bool
	if err := s.Pool.QueryRow(context.Background(), `SELECT method, csrf_token <> '' AND expires_at > now() FROM staff_sessions ss
		JOIN staff st ON st.id = ss.staff_id WHERE st.email = $1`, coachA).Scan(&method, &withCSRF); err != nil {
		t.Fatal(err)
	}
	if method != "oidc:oidc" || !withCSRF || stafftest.CSRFField(home.Body) == "" {
		t.Fatalf("session method %q, csrf %v", method, withCSRF)
	}
	if n := s.auditCount(t, coachA, "signed_in", ""); n != 1 {
		t.Fatalf("%d signed_in audit rows, want 1", n)
	}
	// Writes still need the session's CSRF token.
	if r := c.PostForm("/staff/tokens", url.Values{"name": {"x"}}); r.Status != http.StatusForbidden {
		t.Fatalf("a write without the CSRF token: %d", r.Status)
	}
}

func TestSSO_ReplayedStateIsRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	a := s.signInWith(t, c, coachA, coachA)
	if a.Done.Status != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d\n%s", a.Done.Status, a.Done.Body)
	}
	// The same callback again, with the state cookie the browser had.
	thief := stafftest.Anonymous(t, s.Stack)
	r := thief.Do(http.MethodGet, a.Callback, "", nil, http.Header{"Cookie": {"internflow_oidc=" + a.StateCookie}})
	if r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "already used") {
		t.Fatalf("replayed state: %d\n%s", r.Status, r.Body)
	}
	if thief.Get("/staff").Status != http.StatusSeeOther {
		t.Fatal("a replayed state signed someone in")
	}
	// A callback in a browser that never started the sign-in is refused too.
	if r := stafftest.Anonymous(t, s.Stack).Get(a.Callback); r.Status != http.StatusBadRequest {
		t.Fatalf("callback without the state cookie: %d", r.Status)
	}
	if n := s.auditCount(t, coachA, "signed_in", ""); n != 1 {
		t.Fatalf("%d sign-ins, want 1", n)
	}
	var refusals int
	if err := s.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'sign_in_refused'
		AND reason IN ('state_used', 'state_mismatch')`).Scan(&refusals); err != nil || refusals != 2 {
		t.Fatalf("%d audited refusals of replayed or foreign states, want 2 (%v)", refusals, err)
	}
}

func TestSSO_InvalidIDTokensAreRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	for _, tc := range []struct {
		name   string
		tamper oidctest.Tamper
	}{
		{"wrong audience", oidctest.Tamper{Audience: "some-other-app"}},
		{"expired", oidctest.Tamper{Expired: true}},
		{"bad signature", oidctest.Tamper{ForeignKey: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.exec(t, `DELETE FROM audit_log WHERE action = 'sign_in_refused'`)
			s.idp.SetTamper(tc.tamper)
			c := stafftest.Anonymous(t, s.Stack)
			a := s.signInWith(t, c, coachA, coachA)
			s.refusedAs(t, c, a, "token_invalid", "was not valid for internflow", coachA)
		})
	}
	s.idp.SetTamper(oidctest.Tamper{})
	if n := s.auditCount(t, coachA, "signed_in", ""); n != 0 {
		t.Fatalf("%d sign-ins from invalid tokens", n)
	}
}

func TestSSO_UnverifiedEmailIsRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	s.idp.AddUser(oidctest.User{Email: coachB, EmailVerified: false})
	c := stafftest.Anonymous(t, s.Stack)
	s.refusedAs(t, c, s.signInWith(t, c, coachB, coachB), "email_unverified", "did not confirm that the email address", coachB)
	// Entra sends no email_verified but, when asked, xms_edov: the domain's
	// owner verified the address.
	s.idp.AddUser(oidctest.User{Email: issuerA, EmailVerified: false, Claims: map[string]any{"xms_edov": true}})
	c2 := stafftest.Anonymous(t, s.Stack)
	if a := s.signInWith(t, c2, issuerA, issuerA); a.Done.Status != http.StatusSeeOther {
		t.Fatalf("sign-in with xms_edov: %d\n%s", a.Done.Status, a.Done.Body)
	}
}

// An account at the provider whose address is outside the district's
// domains (a personal account) does not sign in.
func TestSSO_AnAddressOutsideTheDistrictsDomainsIsRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	const personal = "coach.rivera@personal.example.com"
	s.idp.AddUser(oidctest.User{Email: personal, EmailVerified: true})
	c := stafftest.Anonymous(t, s.Stack)
	s.refusedAs(t, c, s.signInWith(t, c, coachA, personal), "domain_not_allowed", "is not one of your district", personal)
}

func TestSSO_SomeoneWhoIsNotStaffIsRefusedAndNobodyIsCreated(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	const nobody = "nobody@district.example.org"
	s.refusedAs(t, c, s.signInWith(t, c, nobody, nobody), "not_staff", "no internflow staff account", nobody)
	var n int
	if err := s.Pool.QueryRow(context.Background(), `SELECT count(*) FROM staff WHERE email = $1`, nobody).Scan(&n); err != nil || n != 0 {
		t.Fatalf("signing in created %d staff (%v)", n, err)
	}
	// A staff member who signs in at the provider as someone else gets that
	// someone's answer, not their own account.
	c2 := stafftest.Anonymous(t, s.Stack)
	a := s.signInWith(t, c2, coachA, nobody)
	if a.Done.Status != http.StatusForbidden {
		t.Fatalf("signed in as another account at the provider: %d", a.Done.Status)
	}
}

func TestSSO_StaffOfAnotherDistrictIsRefused(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	s.refusedAs(t, c, s.signInWith(t, c, movedAway, movedAway), "other_district", "belongs to another district", movedAway)
}

// An Entra tenant whose users have no verified email claim: the admin opts
// in to the tenant's sign-in name (preferred_username).
func TestSSO_AdminMayTakeTheAddressFromTheTenantsSignInName(t *testing.T) {
	s := newSSOEnv(t, url.Values{"email_claim": {"preferred_username"}})
	s.idp.AddUser(oidctest.User{Email: "", EmailVerified: false, Subject: "entra-coach-b",
		Claims: map[string]any{"preferred_username": strings.ToUpper(coachB)}})
	c := stafftest.Anonymous(t, s.Stack)
	a := s.signInWith(t, c, coachB, "")
	if a.Done.Status != http.StatusSeeOther {
		t.Fatalf("sign-in by preferred_username: %d\n%s", a.Done.Status, a.Done.Body)
	}
	has(t, c.Get("/staff"), "Second High")
}

func TestSSO_MagicLinkSwitchedOffIsRefused(t *testing.T) {
	s := newSSOEnv(t, url.Values{"magic_link": nil})
	// A link minted before (or by a command) no longer signs in.
	link, err := auth.SignInURL(context.Background(), s.Pool, s.Links, coachA, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c := stafftest.Anonymous(t, s.Stack)
	page := c.Get(link)
	r := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}})
	if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "switched emailed sign-in links off") {
		t.Fatalf("magic link of a district that switched them off: %d\n%s", r.Status, r.Body)
	}
	if c.Get("/staff").Status != http.StatusSeeOther {
		t.Fatal("signed in by a switched-off magic link")
	}
	// The sign-in page offers the provider only, and a link asked for anyway is not sent.
	form := c.Get("/staff/login")
	choice := c.PostForm("/staff/login", url.Values{"email": {coachA}, "csrf_token": {stafftest.CSRFField(form.Body)}})
	if !strings.Contains(choice.Body, "Sign in with Test Provider") || strings.Contains(choice.Body, `id="email-link"`) {
		t.Fatalf("sign-in page with links off:\n%s", choice.Body)
	}
	forced := c.PostForm("/staff/login", url.Values{"email": {coachA}, "method": {"link"}, "csrf_token": {stafftest.CSRFField(form.Body)}})
	if forced.Status != http.StatusUnprocessableEntity || !strings.Contains(forced.Body, "switched emailed sign-in links off") {
		t.Fatalf("asking for a link anyway: %d\n%s", forced.Status, forced.Body)
	}
	if s.LastLink(coachA) != "" {
		t.Fatal("a sign-in link was emailed although the district switched them off")
	}
	// The provider still signs the coordinator in; the other district keeps its links.
	if a := s.signInWith(t, c, coachA, coachA); a.Done.Status != http.StatusSeeOther {
		t.Fatalf("provider sign-in with links off: %d", a.Done.Status)
	}
	s.signIn(t, otherOps)
}

// With the link on, the sign-in page offers both, and the link still works.
func TestSSO_MagicLinkStaysAFallback(t *testing.T) {
	s := newSSOEnv(t, nil)
	c := stafftest.Anonymous(t, s.Stack)
	form := c.Get("/staff/login")
	choice := c.PostForm("/staff/login", url.Values{"email": {coachA}, "csrf_token": {stafftest.CSRFField(form.Body)}})
	if !strings.Contains(choice.Body, `id="email-link"`) {
		t.Fatalf("no emailed-link fallback:\n%s", choice.Body)
	}
	sent := c.PostForm("/staff/login", url.Values{"email": {coachA}, "method": {"link"}, "csrf_token": {stafftest.CSRFField(choice.Body)}})
	if !strings.Contains(sent.Body, "Check your email") || s.LastLink(coachA) == "" {
		t.Fatalf("fallback link: %d\n%s", sent.Status, sent.Body)
	}
}

func TestSSOSettings_AdminOnlySealedAuditedAndCheckedNextToTheField(t *testing.T) {
	s := newSSOEnv(t, nil)
	var sealed string
	if err := s.Pool.QueryRow(context.Background(), `SELECT client_secret_sealed FROM district_sso WHERE district_id = $1`, s.f.District).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, ssoClientSecret) {
		t.Fatal("the client secret is stored in the clear")
	}
	var audited, leaked int
	if err := s.Pool.QueryRow(context.Background(), `SELECT count(*), count(*) FILTER (WHERE after::text LIKE '%' || $2 || '%')
		FROM audit_log WHERE district_id = $1 AND action = 'sso_settings_changed'`, s.f.District, ssoClientSecret).Scan(&audited, &leaked); err != nil {
		t.Fatal(err)
	}
	if audited != 1 || leaked != 0 {
		t.Fatalf("%d audit rows of the settings, %d with the secret", audited, leaked)
	}
	page := s.admin.Get("/staff/sso")
	has(t, page, s.URL+auth.CallbackPath, "leave blank to keep it", s.idp.URL)
	if strings.Contains(page.Body, ssoClientSecret) {
		t.Fatal("the settings page shows the secret")
	}
	// Bad input: the message next to the field, the rest kept as typed.
	bad := s.admin.Action("/staff/sso", s.settings(url.Values{"email_domains": {"district.example.org, not a domain"},
		"client_id": {"kept-client"}, "client_secret": {""}}))
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "is not an email domain") ||
		!strings.Contains(bad.Body, `value="kept-client"`) {
		t.Fatalf("bad domain: %d\n%s", bad.Status, bad.Body)
	}
	unreachable := s.admin.Action("/staff/sso", s.settings(url.Values{"issuer": {"http://127.0.0.1:1/nowhere"}}))
	if unreachable.Status != http.StatusUnprocessableEntity || !strings.Contains(unreachable.Body, "could not read the OpenID configuration") {
		t.Fatalf("unreachable issuer: %d\n%s", unreachable.Status, unreachable.Body)
	}
	// Another district cannot claim the domain; a coordinator cannot open the page.
	other := s.signIn(t, otherOps)
	taken := other.Action("/staff/sso", s.settings(nil))
	if taken.Status != http.StatusUnprocessableEntity || !strings.Contains(taken.Body, "Another district already signs in district.example.org") {
		t.Fatalf("a taken domain: %d\n%s", taken.Status, taken.Body)
	}
	coach := s.signIn(t, coachB)
	if r := coach.Get("/staff/sso"); r.Status != http.StatusForbidden {
		t.Fatalf("coordinator on the Sign-in page: %d", r.Status)
	}
	if r := coach.Action("/staff/sso", s.settings(nil)); r.Status != http.StatusForbidden {
		t.Fatalf("coordinator saving sign-in settings: %d", r.Status)
	}
	// A blank secret keeps the stored one: sign-in still works after a save.
	if r := s.admin.Action("/staff/sso", s.settings(url.Values{"client_secret": {""}, "name": {"Test Provider"}})); r.Status != http.StatusSeeOther {
		t.Fatalf("save without the secret: %d\n%s", r.Status, r.Body)
	}
	c := stafftest.Anonymous(t, s.Stack)
	if a := s.signInWith(t, c, coachA, coachA); a.Done.Status != http.StatusSeeOther {
		t.Fatalf("sign-in after a save that kept the secret: %d\n%s", a.Done.Status, a.Done.Body)
	}
}
