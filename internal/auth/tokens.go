package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/internflow/internflow/internal/store"
)

// Tokens are district API tokens: service accounts for scripts (a nightly
// enrolment from the SIS). A token belongs to one district and acts there
// as district ops on the API routes that accept tokens (enrolment); it is
// shown once when made, stored only as its SHA-256, and works until a
// district admin revokes it.
type Tokens struct {
	Store *store.Store
}

// TokenPrefix starts every token, so one pasted in the wrong place is
// recognisable (and secret scanners can find it).
const TokenPrefix = "ifk_"

// Token is a token as its district's admins see it (never the secret).
type Token = store.APIToken

// ErrBadToken means no working token has this value.
var ErrBadToken = errors.New("unknown or revoked API token")

func tokenHash(raw string) []byte {
	h := sha256.Sum256([]byte(raw))
	return h[:]
}

// Create makes a token of the district named name and returns it with its
// secret value, which is never available again.
func (t *Tokens) Create(ctx context.Context, districtID, staffID, name string) (id, secret string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	secret = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	id, err = t.Store.CreateAPIToken(ctx, districtID, name, tokenHash(secret), staffID)
	if err != nil {
		return "", "", fmt.Errorf("create api token: %w", err)
	}
	return id, secret, nil
}

// List is the district's tokens, newest first.
func (t *Tokens) List(ctx context.Context, districtID string) ([]Token, error) {
	return t.Store.APITokens(ctx, districtID)
}

// Revoke stops a working token of the district at once; store.ErrNotFound
// when it has none such.
func (t *Tokens) Revoke(ctx context.Context, districtID, id, staffID string) (name string, err error) {
	return t.Store.RevokeAPIToken(ctx, districtID, id, staffID)
}

// Authenticate finds the working token of this value and returns what it
// may do: district ops of its district.
func (t *Tokens) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Principal{}, ErrBadToken
	}
	var p Principal
	var err error
	p.TokenID, p.DistrictID, err = t.Store.UseAPIToken(ctx, tokenHash(secret))
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, ErrBadToken
	}
	if err != nil {
		return Principal{}, err
	}
	p.Grants, p.Method = []Grant{{Role: RoleDistrictOps}}, "api_token"
	return p, nil
}

// Bearer reads "Authorization: Bearer <token>"; ok is false without one.
func Bearer(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// Require lets a request with a working token through with its Principal
// in the context; anything else is 401 with a JSON error. Tokens are not
// cookies, so these requests need no CSRF token.
func (t *Tokens) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, _ := Bearer(r)
		p, err := t.Authenticate(r.Context(), secret)
		switch {
		case errors.Is(err, ErrBadToken):
			writeJSONError(w, http.StatusUnauthorized, "this API token is unknown or revoked")
			return
		case err != nil:
			slog.ErrorContext(r.Context(), "check api token", "err", err)
			writeJSONError(w, http.StatusServiceUnavailable, "the service is having trouble (its database is not answering); try again in a minute")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// Actor is how audit entries and records name the principal: the staff
// member, or "api_token:<id>".
func (p Principal) Actor() (kind, ref string) {
	if p.TokenID != "" {
		return "system", "api_token:" + p.TokenID
	}
	return "staff", p.StaffID
}
