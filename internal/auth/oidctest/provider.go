// Package oidctest runs a small but real OpenID Connect provider for
// tests, built on go-jose: discovery, a JWKS, an authorize endpoint with a
// sign-in page a browser can use, and a token endpoint that checks the
// client, the redirect URI, single-use codes and PKCE (S256 only) before
// it signs an RS256 ID token. Tests make it misbehave the ways real
// providers or attackers do (another audience, an expired token, a
// signature by a key not in its JWKS, an unverified address) to see the
// sign-in refuse; internflow's own code is never replaced.
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// User is an account at the provider.
type User struct {
	Subject, Email string
	EmailVerified  bool
	// Claims are more ID token claims (e.g. Entra's preferred_username).
	Claims map[string]any
}

// Tamper makes the next ID tokens wrong in one way.
type Tamper struct {
	// Audience replaces the client ID in "aud".
	Audience string
	// Expired issues tokens that expired a minute ago.
	Expired bool
	// ForeignKey signs with a key the JWKS does not hold (same key id).
	ForeignKey bool
}

// Provider is a running provider; its URL is the issuer.
type Provider struct {
	URL                    string
	ClientID, ClientSecret string
	// RedirectURIs are the registered redirect URIs.
	RedirectURIs []string

	srv          *httptest.Server
	key, foreign *rsa.PrivateKey
	mu           sync.Mutex
	users        map[string]User
	codes        map[string]*grant
	tamper       Tamper
	// Tokens counts ID tokens issued.
	tokens int
}

type grant struct {
	user                          User
	clientID, redirect, challenge string
	nonce                         string
	used                          bool
}

const keyID = "test-key-1"

// Start runs a provider for clientID/secret until the test ends.
func Start(t testing.TB, clientID, clientSecret string, redirectURIs ...string) *Provider {
	t.Helper()
	p := &Provider{ClientID: clientID, ClientSecret: clientSecret, RedirectURIs: redirectURIs,
		users: map[string]User{}, codes: map[string]*grant{}}
	var err error
	if p.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if p.foreign, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /keys", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorizePage)
	mux.HandleFunc("POST /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	p.URL = p.srv.URL
	t.Cleanup(p.srv.Close)
	return p
}

// AddUser adds an account people sign in to by its email.
func (p *Provider) AddUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if u.Subject == "" {
		u.Subject = "sub-" + u.Email
	}
	p.users[u.Email] = u
}

// SetTamper makes the next ID tokens wrong (Tamper{} makes them right).
func (p *Provider) SetTamper(t Tamper) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tamper = t
}

// Tokens is how many ID tokens were issued.
func (p *Provider) Tokens() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tokens
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (p *Provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize", "token_endpoint": p.URL + "/token",
		"jwks_uri": p.URL + "/keys", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		"scopes_supported": []string{"openid", "email", "profile"}, "token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (p *Provider) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: keyID, Algorithm: "RS256", Use: "sig"}}})
}

var page = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test provider sign-in</title></head>
<body><h1>Sign in to the test provider</h1>
{{with .Error}}<p id="error">{{.}}</p>{{end}}
<form method="post" action="/authorize">
{{range $k, $v := .Params}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<label>Account <input id="login" name="login" value="{{.Login}}"></label>
<button type="submit" id="continue">Continue</button>
</form></body></html>`))

// authorizeError checks an authorization request as a real provider
// does; "" means it is good.
func (p *Provider) authorizeError(q url.Values) string {
	switch {
	case q.Get("client_id") != p.ClientID:
		return "unknown client"
	case !slices.Contains(p.RedirectURIs, q.Get("redirect_uri")):
		return "redirect_uri is not registered"
	case q.Get("response_type") != "code":
		return "response_type must be code"
	case q.Get("code_challenge") == "" || q.Get("code_challenge_method") != "S256":
		return "PKCE with S256 is required"
	case q.Get("state") == "" || q.Get("nonce") == "":
		return "state and nonce are required"
	}
	return ""
}

func (p *Provider) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	params := map[string]string{}
	for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"} {
		params[k] = q.Get(k)
	}
	status, msg := http.StatusOK, p.authorizeError(q)
	if msg != "" {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = page.Execute(w, map[string]any{"Params": params, "Login": q.Get("login_hint"), "Error": msg})
}

// authorize signs the account in and sends the browser back with a code.
func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil || p.authorizeError(r.PostForm) != "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	u, ok := p.users[r.PostFormValue("login")]
	p.mu.Unlock()
	if !ok {
		http.Error(w, "no such account", http.StatusForbidden)
		return
	}
	code := random()
	p.mu.Lock()
	p.codes[code] = &grant{user: u, clientID: r.PostFormValue("client_id"), redirect: r.PostFormValue("redirect_uri"),
		challenge: r.PostFormValue("code_challenge"), nonce: r.PostFormValue("nonce")}
	p.mu.Unlock()
	back, _ := url.Parse(r.PostFormValue("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", r.PostFormValue("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code for tokens: the client authenticates (basic or
// form), the code is used once, with its redirect URI and PKCE verifier.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	id, secret, basic := r.BasicAuth()
	if basic {
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(p.ClientSecret)) != 1 {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.codes[r.PostFormValue("code")]
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case r.PostFormValue("grant_type") != "authorization_code" || !ok || g.used || g.clientID != id:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	case r.PostFormValue("redirect_uri") != g.redirect:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "redirect_uri differs"})
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE verifier does not match"})
		return
	}
	g.used = true
	idToken, err := p.sign(g)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "server_error"})
		return
	}
	p.tokens++
	writeJSON(w, http.StatusOK, map[string]any{"access_token": random(), "token_type": "Bearer", "expires_in": 3600, "id_token": idToken})
}

// sign makes the ID token for a grant, as tampered with (p.mu is held).
func (p *Provider) sign(g *grant) (string, error) {
	now := time.Now()
	claims := map[string]any{"iss": p.URL, "sub": g.user.Subject, "aud": p.ClientID, "iat": now.Unix(),
		"exp": now.Add(time.Hour).Unix(), "nonce": g.nonce, "email": g.user.Email, "email_verified": g.user.EmailVerified}
	for k, v := range g.user.Claims {
		claims[k] = v
	}
	if p.tamper.Audience != "" {
		claims["aud"] = p.tamper.Audience
	}
	if p.tamper.Expired {
		claims["iat"], claims["exp"] = now.Add(-time.Hour).Unix(), now.Add(-time.Minute).Unix()
	}
	key := p.key
	if p.tamper.ForeignKey {
		key = p.foreign
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", keyID))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	obj, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

func random() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
