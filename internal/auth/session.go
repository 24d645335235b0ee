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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Sessions issues, loads and ends staff sessions.
type Sessions struct {
	Pool *pgxpool.Pool
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
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// SignIn starts a session for staffID inside the caller's transaction
// (the magic link consumes its link in the same one), ending the session
// the request already carried so a planted session id is never upgraded,
// and sets the cookie.
func (s *Sessions) SignIn(ctx context.Context, db DB, w http.ResponseWriter, r *http.Request, staffID, method string) error {
	if c, err := r.Cookie(s.CookieName()); err == nil {
		if _, err := db.Exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = $1`, hashID(c.Value)); err != nil {
			return fmt.Errorf("end previous session: %w", err)
		}
	}
	now := s.now()
	if _, err := db.Exec(ctx, `DELETE FROM staff_sessions WHERE staff_id = $1 AND expires_at < $2`, staffID, now); err != nil {
		return fmt.Errorf("sweep expired sessions: %w", err)
	}
	id, csrf := randomToken(), randomToken()
	_, err := db.Exec(ctx, `INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at, method)
		VALUES ($1, $2, $3, $4, $4, $5, $6)`, hashID(id), staffID, csrf, now, now.Add(s.absolute()), method)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
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
		if _, err := s.Pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = $1`, hash); err != nil {
			return Principal{}, fmt.Errorf("end expired session: %w", err)
		}
		return Principal{}, ErrExpired
	}
	if now.Sub(seen.lastSeen) >= touchEvery {
		if _, err := s.Pool.Exec(ctx, `UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1`, hash, now); err != nil {
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
	rows, err := s.Pool.Query(ctx, `
		SELECT s.staff_id::text, st.district_id::text, s.csrf_token, s.method, s.created_at, s.last_seen_at, st.active,
			COALESCE(r.role, ''), COALESCE(r.school_id::text, '')
		FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
		LEFT JOIN staff_roles r ON r.staff_id = s.staff_id
		WHERE s.id_hash = $1 ORDER BY r.role, r.school_id`, hash)
	if err != nil {
		return Principal{}, sessionTimes{}, fmt.Errorf("load session: %w", err)
	}
	defer rows.Close()
	var p Principal
	var t sessionTimes
	found := false
	for rows.Next() {
		var g Grant
		if err := rows.Scan(&p.StaffID, &p.DistrictID, &p.CSRFToken, &p.Method, &t.created, &t.lastSeen, &t.active,
			&g.Role, &g.SchoolID); err != nil {
			return Principal{}, t, fmt.Errorf("load session: %w", err)
		}
		found = true
		if g.Role != "" {
			p.Grants = append(p.Grants, g)
		}
	}
	if err := rows.Err(); err != nil {
		return Principal{}, t, fmt.Errorf("load session: %w", err)
	}
	if !found {
		return Principal{}, t, ErrNoSession
	}
	return p, t, nil
}

// SignOut ends the request's session and clears the cookie.
func (s *Sessions) SignOut(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(s.CookieName()); err == nil {
		if _, err := s.Pool.Exec(ctx, `DELETE FROM staff_sessions WHERE id_hash = $1`, hashID(c.Value)); err != nil {
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
