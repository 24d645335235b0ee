package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// Sessions issues, loads and ends staff sessions.
type Sessions struct {
	Store *store.Store
	// Secure marks the cookie Secure and gives it the __Host- prefix
	// (config SESSION_SECURE: set it behind TLS).
	Secure bool
	// Idle ends a session nobody used for this long (default 30 minutes);
	// Absolute ends any session this long after sign-in (default 12 hours).
	Idle, Absolute time.Duration
	// Now is the clock (tests move it); default time.Now.
	Now func() time.Time
}

// Session errors; callers send the person to sign in again.
var (
	ErrNoSession = errors.New("not signed in")
	ErrExpired   = errors.New("session expired")
)

// touchEvery spaces out last-seen writes: idle expiry needs minutes, not
// a write per request.
const touchEvery = time.Minute

func (s *Sessions) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sessions) idle() time.Duration     { return orDefault(s.Idle, 30*time.Minute) }
func (s *Sessions) absolute() time.Duration { return orDefault(s.Absolute, 12*time.Hour) }

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// CookieName is the session cookie's name; __Host- (Secure, Path=/, no
// Domain) when the cookie is Secure, so a sibling subdomain cannot set it.
func (s *Sessions) CookieName() string {
	if s.Secure {
		return "__Host-internflow_staff"
	}
	return "internflow_staff"
}

// DB is a pool or a transaction.
type DB = store.DB

// SignIn starts a session for staffID inside the caller's transaction
// (the magic link consumes its link in the same one), ending the session
// the request already carried so a planted session id is never upgraded,
// and sets the cookie.
func (s *Sessions) SignIn(ctx context.Context, db DB, w http.ResponseWriter, r *http.Request, staffID, method string) error {
	var previous []byte
	if c, err := r.Cookie(s.CookieName()); err == nil {
		previous = hashID(c.Value)
	}
	now := s.now()
	id, csrf := randomToken(), randomToken()
	err := store.StartSession(ctx, db, previous, store.NewSession{IDHash: hashID(id), StaffID: staffID, CSRFToken: csrf,
		Method: method, Now: now, ExpiresAt: now.Add(s.absolute())})
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(id, int(s.absolute().Seconds())))
	return nil
}

func (s *Sessions) cookie(value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: s.CookieName(), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode}
}

// Load returns the principal of the request's session. An expired session
// is deleted and reported as ErrExpired.
func (s *Sessions) Load(ctx context.Context, r *http.Request) (Principal, error) {
	c, err := r.Cookie(s.CookieName())
	if err != nil || c.Value == "" {
		return Principal{}, ErrNoSession
	}
	hash := hashID(c.Value)
	p, seen, err := s.lookup(ctx, hash)
	if err != nil {
		return Principal{}, err
	}
	now := s.now()
	if now.Sub(seen.created) >= s.absolute() || now.Sub(seen.lastSeen) >= s.idle() || !seen.active {
		if err := s.Store.EndSession(ctx, hash); err != nil {
			return Principal{}, fmt.Errorf("end expired session: %w", err)
		}
		return Principal{}, ErrExpired
	}
	if now.Sub(seen.lastSeen) >= touchEvery {
		if err := s.Store.TouchSession(ctx, hash, now); err != nil {
			return Principal{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return p, nil
}

type sessionTimes struct {
	created, lastSeen time.Time
	active            bool
}

// lookup reads the session, its staff member and their roles in one query.
func (s *Sessions) lookup(ctx context.Context, hash []byte) (Principal, sessionTimes, error) {
	ss, err := s.Store.LoadSession(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return Principal{}, sessionTimes{}, ErrNoSession
	}
	if err != nil {
		return Principal{}, sessionTimes{}, err
	}
	p := Principal{StaffID: ss.StaffID, DistrictID: ss.DistrictID, CSRFToken: ss.CSRFToken, Method: ss.Method}
	for _, g := range ss.Grants {
		p.Grants = append(p.Grants, Grant{Role: g.Role, SchoolID: g.SchoolID})
	}
	return p, sessionTimes{created: ss.CreatedAt, lastSeen: ss.LastSeen, active: ss.Active}, nil
}

// SignOut ends the request's session and clears the cookie.
func (s *Sessions) SignOut(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(s.CookieName()); err == nil {
		if err := s.Store.EndSession(ctx, hashID(c.Value)); err != nil {
			return fmt.Errorf("end session: %w", err)
		}
	}
	s.Clear(w)
	return nil
}

// Clear removes the session cookie from the browser.
func (s *Sessions) Clear(w http.ResponseWriter) { http.SetCookie(w, s.cookie("", -1)) }

// randomToken is 32 random bytes, base64url.
func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // since Go 1.24 it never returns an error (it crashes instead)
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// hashID is what the database keeps of a session id: a stolen table dump
// holds no usable session.
func hashID(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}
