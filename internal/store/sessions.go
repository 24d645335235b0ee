package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Staff sign-in: sessions, OpenID Connect sign-ins in flight, and the
// staff look-ups signing in needs.
const (
	qEndSession   = `DELETE FROM staff_sessions WHERE id_hash = $1`
	qSweepSession = `DELETE FROM staff_sessions WHERE staff_id = $1 AND expires_at < $2`
	qStartSession = `INSERT INTO staff_sessions (id_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at, method)
		VALUES ($1, $2, $3, $4, $4, $5, $6)`
	qTouchSession = `UPDATE staff_sessions SET last_seen_at = $2 WHERE id_hash = $1`
	// qLoadSession is the session, its staff member and their roles in one query.
	qLoadSession = `
		SELECT s.staff_id::text, st.district_id::text, s.csrf_token, s.method, s.created_at, s.last_seen_at, st.active,
			COALESCE(r.role, ''), COALESCE(r.school_id::text, '')
		FROM staff_sessions s JOIN staff st ON st.id = s.staff_id
		LEFT JOIN staff_roles r ON r.staff_id = s.staff_id
		WHERE s.id_hash = $1 ORDER BY r.role, r.school_id`

	qSweepOIDCSignIns = `DELETE FROM oidc_sign_ins WHERE expires_at < $1`
	qBeginOIDCSignIn  = `INSERT INTO oidc_sign_ins (state_hash, district_id, nonce, code_verifier, next_path, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`
	qTakeOIDCSignIn = `DELETE FROM oidc_sign_ins WHERE state_hash = $1 AND expires_at > $2
		RETURNING district_id::text, nonce, code_verifier, next_path`

	qActiveStaffDistrict = `SELECT district_id::text FROM staff WHERE id = $1 AND active`
	qActiveStaffByEmail  = `SELECT id::text FROM staff WHERE email = $1 AND active`
)

// NewSession is a staff session to start; the database keeps only the
// hash of its id.
type NewSession struct {
	IDHash            []byte
	StaffID           string
	CSRFToken, Method string
	Now, ExpiresAt    time.Time
}

// StartSession starts a session inside the caller's transaction (the
// sign-in link is used in the same one): it ends the session whose hash
// is previous (the one the request carried, nil when none), sweeps the
// staff member's expired sessions and inserts the new one.
func StartSession(ctx context.Context, db DB, previous []byte, s NewSession) error {
	if previous != nil {
		if _, err := db.Exec(ctx, qEndSession, previous); err != nil {
			return fmt.Errorf("end previous session: %w", err)
		}
	}
	if _, err := db.Exec(ctx, qSweepSession, s.StaffID, s.Now); err != nil {
		return fmt.Errorf("sweep expired sessions: %w", err)
	}
	if _, err := db.Exec(ctx, qStartSession, s.IDHash, s.StaffID, s.CSRFToken, s.Now, s.ExpiresAt, s.Method); err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionGrant is one of a session's staff roles ("" school: all schools).
type SessionGrant struct{ Role, SchoolID string }

// StaffSession is a stored session with its staff member and roles.
type StaffSession struct {
	StaffID, DistrictID string
	CSRFToken, Method   string
	CreatedAt, LastSeen time.Time
	// Active is the staff member's flag: a deactivated member's sessions end.
	Active bool
	Grants []SessionGrant
}

// LoadSession reads the session whose id hashes to hash; ErrNotFound
// when there is none.
func (s *Store) LoadSession(ctx context.Context, hash []byte) (StaffSession, error) {
	rows, err := s.Pool.Query(ctx, qLoadSession, hash)
	if err != nil {
		return StaffSession{}, fmt.Errorf("load session: %w", err)
	}
	defer rows.Close()
	var ss StaffSession
	found := false
	for rows.Next() {
		var g SessionGrant
		if err := rows.Scan(&ss.StaffID, &ss.DistrictID, &ss.CSRFToken, &ss.Method, &ss.CreatedAt, &ss.LastSeen, &ss.Active,
			&g.Role, &g.SchoolID); err != nil {
			return StaffSession{}, fmt.Errorf("load session: %w", err)
		}
		found = true
		if g.Role != "" {
			ss.Grants = append(ss.Grants, g)
		}
	}
	if err := rows.Err(); err != nil {
		return StaffSession{}, fmt.Errorf("load session: %w", err)
	}
	if !found {
		return StaffSession{}, ErrNotFound
	}
	return ss, nil
}

// EndSession deletes the session whose id hashes to hash.
func (s *Store) EndSession(ctx context.Context, hash []byte) error {
	_, err := s.Pool.Exec(ctx, qEndSession, hash)
	return err
}

// TouchSession records that the session was used at now.
func (s *Store) TouchSession(ctx context.Context, hash []byte, now time.Time) error {
	_, err := s.Pool.Exec(ctx, qTouchSession, hash, now)
	return err
}

// OIDCSignIn is an OpenID Connect sign-in between its start and its
// callback, found by the hash of its state.
type OIDCSignIn struct {
	StateHash              []byte
	DistrictID, Nonce      string
	CodeVerifier, NextPath string
	CreatedAt, ExpiresAt   time.Time
}

// BeginOIDCSignIn sweeps expired sign-ins and keeps this one, in one
// transaction.
func (s *Store) BeginOIDCSignIn(ctx context.Context, in OIDCSignIn) error {
	return s.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, qSweepOIDCSignIns, in.CreatedAt); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, qBeginOIDCSignIn, in.StateHash, in.DistrictID, in.Nonce, in.CodeVerifier, in.NextPath,
			in.CreatedAt, in.ExpiresAt)
		return err
	})
}

// TakeOIDCSignIn deletes and returns the unexpired sign-in of this state,
// so a state works once; ErrNotFound when there is none.
func (s *Store) TakeOIDCSignIn(ctx context.Context, stateHash []byte, now time.Time) (OIDCSignIn, error) {
	in := OIDCSignIn{StateHash: stateHash}
	err := s.Pool.QueryRow(ctx, qTakeOIDCSignIn, stateHash, now).Scan(&in.DistrictID, &in.Nonce, &in.CodeVerifier, &in.NextPath)
	return in, notFound(err)
}

// ActiveStaffDistrict is the district of an active staff member, read in
// the caller's transaction; ErrNotFound when the member is not active.
func ActiveStaffDistrict(ctx context.Context, db DB, staffID string) (string, error) {
	var district string
	err := db.QueryRow(ctx, qActiveStaffDistrict, staffID).Scan(&district)
	return district, notFound(err)
}

// ActiveStaffIDByEmail is the id of the active staff member with this
// address (pgx.ErrNoRows when none).
func (s *Store) ActiveStaffIDByEmail(ctx context.Context, email string) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, qActiveStaffByEmail, email).Scan(&id)
	return id, err
}
