package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"golang.org/x/oauth2"

	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/store"
)

// OIDC signs staff in with their district's OpenID Connect provider
// (Google Workspace, Microsoft Entra ID, any standards-compliant issuer):
// the authorization code flow with PKCE (S256), state and nonce. The
// state, nonce and verifier are kept server-side (oidc_sign_ins, single
// use) and the state is bound to the browser by a short-lived cookie. The
// ID token's signature, issuer, audience and expiry are checked by
// go-oidc's verifier and its nonce here; the address it names must belong
// to an active staff member of that district, who then gets the same
// session as the magic link gives (Sessions.SignIn). Nobody is created.
type OIDC struct {
	Settings *SSOSettings
	Sessions *Sessions
	Store    *store.Store
	// BaseURL is this site's public address; the provider sends people
	// back to BaseURL + CallbackPath.
	BaseURL string
	// HTTPClient talks to providers (default: a 10-second timeout).
	HTTPClient *http.Client
	// TTL is how long a sign-in may take at the provider (default 10 minutes).
	TTL time.Duration
	// PerIP bounds sign-ins started per client IP (default 300 every 15
	// minutes: a school's staff share one address at 8 am).
	PerIP *Limiter

	mu        sync.Mutex
	providers map[string]*oidc.Provider
}

var _ Authenticator = (*OIDC)(nil)

// Paths of the flow: StartPath redirects to the provider, which sends the
// browser back to CallbackPath (the redirect URI registered with it).
const (
	StartPath    = "/staff/login/sso"
	CallbackPath = "/staff/login/callback"
)

// Method implements Authenticator; sessions record "oidc:<provider>".
func (o *OIDC) Method() string { return "oidc" }

// Mount implements Authenticator. Both are GETs: the start is a link (a
// form could not redirect off-site under the CSP's form-action 'self'),
// the callback the provider's redirect.
func (o *OIDC) Mount(r chi.Router) {
	r.Get(StartPath, o.start)
	r.Get(CallbackPath, o.callback)
}

// StartURL is the link a "Sign in with …" button opens.
func StartURL(districtID, next, loginHint string) string {
	q := url.Values{"district": {districtID}, "next": {LocalPath(next)}}
	if loginHint != "" {
		q.Set("login_hint", loginHint)
	}
	return StartPath + "?" + q.Encode()
}

func (o *OIDC) ttl() time.Duration { return orDefault(o.TTL, 10*time.Minute) }

func (o *OIDC) limiter() *Limiter {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.PerIP == nil {
		o.PerIP = &Limiter{Max: 300, Window: 15 * time.Minute}
	}
	return o.PerIP
}

func (o *OIDC) client() *http.Client {
	if o.HTTPClient != nil {
		return o.HTTPClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// discover returns the issuer's provider (discovery document and key set),
// kept per issuer: go-oidc refreshes the keys when a token names a new one.
func (o *OIDC) discover(issuer string) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if p, ok := o.providers[issuer]; ok {
		return p, nil
	}
	p, err := Discover(o.client(), issuer)
	if err != nil {
		return nil, err
	}
	if o.providers == nil {
		o.providers = map[string]*oidc.Provider{}
	}
	o.providers[issuer] = p
	return p, nil
}

// Discover reads an issuer's discovery document (the Sign-in page checks
// an issuer with it before saving).
func Discover(client *http.Client, issuer string) (*oidc.Provider, error) {
	p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), client), issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", issuer, err)
	}
	return p, nil
}

func (o *OIDC) oauthConfig(p Provider, op *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: strings.TrimRight(o.BaseURL, "/") + CallbackPath, Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

func stateCookieName(secure bool) string {
	if secure {
		return "__Host-internflow_oidc"
	}
	return "internflow_oidc"
}

// start records the sign-in and sends the browser to the provider.
func (o *OIDC) start(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	district, next := q.Get("district"), LocalPath(q.Get("next"))
	var p Provider
	ok, err := false, error(nil)
	if uuid.Validate(district) == nil {
		p, ok, err = o.Settings.ForDistrict(r.Context(), district)
	}
	if err != nil || !ok || !p.Enabled {
		if err != nil {
			slog.ErrorContext(r.Context(), "staff sso start", "district_id", district, "err", err)
		}
		renderRefusal(w, r, http.StatusNotFound, "This district does not sign in with an outside account. Use the sign-in page.")
		return
	}
	if !o.limiter().Allow(clientip.From(r)) {
		renderRefusal(w, r, http.StatusTooManyRequests, "Too many sign-ins from this network. Wait a few minutes and try again.")
		return
	}
	op, err := o.discover(p.Issuer)
	if err != nil {
		slog.ErrorContext(r.Context(), "staff sso discovery", "district_id", district, "err", err)
		renderRefusal(w, r, http.StatusBadGateway, "We could not reach "+p.Name+" just now. Try again in a minute.")
		return
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	now := o.Sessions.now()
	err = o.Store.BeginOIDCSignIn(r.Context(), store.OIDCSignIn{StateHash: hashID(state), DistrictID: district, Nonce: nonce,
		CodeVerifier: verifier, NextPath: next, CreatedAt: now, ExpiresAt: now.Add(o.ttl())})
	if err != nil {
		slog.ErrorContext(r.Context(), "staff sso start", "district_id", district, "err", err)
		renderRefusal(w, r, http.StatusInternalServerError, "Sign-in failed. Try again in a minute.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookieName(o.Sessions.Secure), Value: state, Path: "/", MaxAge: int(o.ttl().Seconds()),
		HttpOnly: true, Secure: o.Sessions.Secure, SameSite: http.SameSiteLaxMode})
	opts := []oauth2.AuthCodeOption{oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)}
	if hint := q.Get("login_hint"); hint != "" && len(hint) <= 254 {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", hint))
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, o.oauthConfig(p, op).AuthCodeURL(state, opts...), http.StatusFound)
}

// pendingSignIn is an oidc_sign_ins row taken by its callback.
type pendingSignIn struct {
	district, nonce, verifier, next string
}

// refusal is a sign-in turned away: code goes to the audit log, text to
// the person.
type refusal struct {
	code, text string
	status     int
	// staffID is set when the person is known (another district's staff).
	staffID, email string
}

func (e *refusal) Error() string { return "sign-in refused: " + e.code }

func refused(status int, code, text string) *refusal {
	return &refusal{status: status, code: code, text: text}
}

// callback finishes the flow: the state is taken once, the code exchanged
// with the verifier, the ID token verified, the staff member found.
func (o *OIDC) callback(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: stateCookieName(o.Sessions.Secure), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: o.Sessions.Secure, SameSite: http.SameSiteLaxMode})
	pending, err := o.take(r)
	if err != nil {
		// A provider's error answer still names its district (the state was good).
		o.refuse(w, r, pending.district, Provider{}, err)
		return
	}
	p, ok, err := o.Settings.ForDistrict(r.Context(), pending.district)
	if err == nil && (!ok || !p.Enabled) {
		err = refused(http.StatusForbidden, "sso_off", "Your district has switched this way of signing in off. Use the sign-in page.")
	}
	if err == nil {
		err = o.finish(w, r, p, pending)
	}
	if err != nil {
		o.refuse(w, r, pending.district, p, err)
		return
	}
	http.Redirect(w, r, LocalPath(pending.next), http.StatusSeeOther)
}

// take deletes and returns the sign-in the callback's state names, after
// checking the browser holds that state: a replayed, expired or planted
// state is refused.
func (o *OIDC) take(r *http.Request) (pendingSignIn, error) {
	q := r.URL.Query()
	state := q.Get("state")
	c, err := r.Cookie(stateCookieName(o.Sessions.Secure))
	if state == "" || err != nil || subtle.ConstantTimeCompare([]byte(state), []byte(c.Value)) != 1 {
		return pendingSignIn{}, refused(http.StatusBadRequest, "state_mismatch",
			"This sign-in was not started in this browser, or it was already used. Start again from the sign-in page.")
	}
	taken, err := o.Store.TakeOIDCSignIn(r.Context(), hashID(state), o.Sessions.now())
	p := pendingSignIn{district: taken.DistrictID, nonce: taken.Nonce, verifier: taken.CodeVerifier, next: taken.NextPath}
	if errors.Is(err, store.ErrNotFound) {
		return pendingSignIn{}, refused(http.StatusBadRequest, "state_used",
			"This sign-in was already used or took too long. Start again from the sign-in page.")
	}
	if err != nil {
		return pendingSignIn{}, fmt.Errorf("take sign-in: %w", err)
	}
	if e := q.Get("error"); e != "" {
		if !oauthErrorCode.MatchString(e) {
			e = "other"
		}
		return p, refused(http.StatusForbidden, "provider_error:"+e,
			"The sign-in was cancelled or refused at your district's account page. Start again from the sign-in page.")
	}
	return p, nil
}

// finish exchanges the code, verifies the ID token and starts the session.
func (o *OIDC) finish(w http.ResponseWriter, r *http.Request, p Provider, pending pendingSignIn) error {
	op, err := o.discover(p.Issuer)
	if err != nil {
		return err
	}
	ctx := oidc.ClientContext(r.Context(), o.client())
	tok, err := o.oauthConfig(p, op).Exchange(ctx, r.URL.Query().Get("code"), oauth2.VerifierOption(pending.verifier))
	if err != nil {
		slog.WarnContext(r.Context(), "staff sso code exchange", "district_id", p.DistrictID, "err", err)
		return refused(http.StatusBadGateway, "code_exchange", p.Name+" did not confirm this sign-in. Start again from the sign-in page.")
	}
	raw, _ := tok.Extra("id_token").(string)
	idToken, err := op.VerifierContext(ctx, &oidc.Config{ClientID: p.ClientID, Now: o.Sessions.now}).Verify(ctx, raw)
	if err == nil && subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(pending.nonce)) != 1 {
		err = errors.New("nonce does not match")
	}
	if err != nil {
		slog.WarnContext(r.Context(), "staff sso id token refused", "district_id", p.DistrictID, "err", err)
		return refused(http.StatusForbidden, "token_invalid", "The answer from "+p.Name+" was not valid for internflow, so you are not signed in. "+
			"Start again; if this keeps happening, tell your district administrator.")
	}
	email, err := emailFrom(idToken, p)
	if err != nil {
		return err
	}
	staffID, err := o.staffOf(r.Context(), p, email)
	if err != nil {
		return err
	}
	return o.Store.InTx(r.Context(), func(tx pgx.Tx) error {
		if err := o.Sessions.SignIn(r.Context(), tx, w, r, staffID, p.Method()); err != nil {
			return err
		}
		return store.AuditTx(r.Context(), tx, store.AuditEntry{DistrictID: p.DistrictID, ActorKind: "staff", ActorRef: staffID,
			Action: "signed_in", EntityKind: "staff", EntityID: staffID, IP: clientip.From(r), Reason: p.Method()})
	})
}

// idClaims are the ID token claims an address may come from.
type idClaims struct {
	Email         string `json:"email"`
	EmailVerified any    `json:"email_verified"`
	// XMSEdov is Entra's optional claim "the email's domain is verified
	// by the tenant" (Entra ID sends no email_verified).
	XMSEdov           any    `json:"xms_edov"`
	PreferredUsername string `json:"preferred_username"`
	UPN               string `json:"upn"`
}

// claimTrue reads a boolean claim some providers send as a string.
func claimTrue(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return b == "true" || b == "1"
	}
	return false
}

// emailFrom takes the staff member's address from the claim the district
// chose: "email" only when the provider says it is verified
// (email_verified, or Entra's xms_edov); "preferred_username" or "upn"
// (an Entra tenant's own sign-in names) only when the admin opted in.
// The domain must be one of the district's.
func emailFrom(t *oidc.IDToken, p Provider) (string, error) {
	var c idClaims
	if err := t.Claims(&c); err != nil {
		return "", refused(http.StatusForbidden, "token_invalid", "The answer from "+p.Name+" could not be read. Start again.")
	}
	var email string
	switch p.EmailClaim {
	case "preferred_username":
		email = c.PreferredUsername
	case "upn":
		email = c.UPN
	default:
		if !claimTrue(c.EmailVerified) && !claimTrue(c.XMSEdov) {
			return "", refused(http.StatusForbidden, "email_unverified", p.Name+" did not confirm that the email address of this account is verified, "+
				"so internflow cannot tell who you are. Sign in with your district work account, or ask your district administrator.")
		}
		email = c.Email
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return "", refused(http.StatusForbidden, "no_email", p.Name+" did not tell internflow your email address. Ask your district administrator.")
	}
	if !p.Allows(email) {
		r := refused(http.StatusForbidden, "domain_not_allowed", "You signed in with an account whose address is not one of your district's. "+
			"Sign in with your district work account.")
		r.email = email
		return "", r
	}
	return email, nil
}

// staffOf finds the active staff member of the provider's district with
// this address; signing in never creates one.
func (o *OIDC) staffOf(ctx context.Context, p Provider, email string) (string, error) {
	st, err := o.Store.StaffByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) {
		r := refused(http.StatusForbidden, "not_staff", "There is no internflow staff account for your address in this district. "+
			"Ask your district administrator to add you on the Staff page.")
		r.email = email
		return "", r
	}
	if err != nil {
		return "", err
	}
	if st.DistrictID != p.DistrictID {
		r := refused(http.StatusForbidden, "other_district", "Your internflow account belongs to another district, which signs in its own way. "+
			"Use your district's sign-in.")
		r.email, r.staffID = email, st.ID
		return "", r
	}
	return st.ID, nil
}

// refuse shows why a sign-in was turned away and audits it (the address
// only as a fingerprint and its domain).
func (o *OIDC) refuse(w http.ResponseWriter, r *http.Request, district string, p Provider, err error) {
	var rf *refusal
	if !errors.As(err, &rf) {
		slog.ErrorContext(r.Context(), "staff sso sign-in failed", "district_id", district, "err", err)
		renderRefusal(w, r, http.StatusInternalServerError, "Sign-in failed. Try again in a minute.")
		return
	}
	slog.InfoContext(r.Context(), "staff sso sign-in refused", "district_id", district, "reason", rf.code)
	// A callback whose state is unknown names no district; anyone can send
	// one, so those entries share the per-IP budget of sign-in starts.
	if district != "" || o.limiter().Allow(clientip.From(r)) {
		after := map[string]string{"method": p.Method()}
		if rf.email != "" {
			_, domain, _ := strings.Cut(rf.email, "@")
			after["email_domain"], after["email_fingerprint"] = domain, emailFingerprint(rf.email)
		}
		entry := store.AuditEntry{DistrictID: district, ActorKind: "system", ActorRef: "oidc", Action: "sign_in_refused",
			EntityKind: "staff_sign_in", EntityID: rf.staffID, Reason: rf.code, IP: clientip.From(r), After: mustJSON(after)}
		if rf.staffID != "" {
			entry.ActorKind, entry.ActorRef, entry.EntityKind = "staff", rf.staffID, "staff"
		}
		if err := o.Store.Audit(r.Context(), entry); err != nil {
			slog.ErrorContext(r.Context(), "audit refused sign-in", "district_id", district, "err", err)
		}
	}
	renderRefusal(w, r, rf.status, rf.text)
}

// oauthErrorCode is an OAuth error code as RFC 6749 spells them
// (access_denied, login_required); anything else is not kept.
var oauthErrorCode = regexp.MustCompile(`^[a-z_]{1,40}$`)
