// Package links mints and checks action links: the secure URLs students,
// parents and employers open from a text or email instead of signing in.
//
// A token is the link's random id plus an HMAC of it under the server's
// secret. The database stores only the token's SHA-256, so a database leak
// yields no usable link, while the server can re-derive a token from the
// id when it renders a message (the outbox never stores the URL).
package links

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Link is one action link's row.
type Link struct {
	ID             string
	JourneyID      string
	PersonKind     string
	PersonRef      string
	Action         string
	SubjectRef     string
	DocumentSHA256 []byte
	SingleUse      bool
	ExpiresAt      time.Time
	UsedAt         *time.Time
	RevokedAt      *time.Time
	Uses           int
}

// Spec describes a link to mint.
type Spec struct {
	JourneyID      string
	PersonKind     string
	PersonRef      string
	Action         string
	SubjectRef     string
	DocumentSHA256 []byte
	SingleUse      bool
	TTL            time.Duration
}

// Errors Resolve returns; pages show a plain-language page for each.
var (
	ErrInvalid = errors.New("this link is not valid")
	ErrExpired = errors.New("this link has expired")
	ErrUsed    = errors.New("this link was already used")
	ErrRevoked = errors.New("this link was turned off by staff")
)

// Minter derives tokens and URLs; it is safe for concurrent use.
type Minter struct {
	Secret  []byte
	BaseURL string
	TTL     time.Duration
}

// DB is what link queries need: a pool or a transaction.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

const idLen, macLen = 16, 16

// Token derives the link token for a link id.
func (m *Minter) Token(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return "", fmt.Errorf("link id: %w", err)
	}
	mac := hmac.New(sha256.New, m.Secret)
	mac.Write(u[:])
	buf := append(u[:idLen:idLen], mac.Sum(nil)[:macLen]...)
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// URL is the address a person opens for a link id.
func (m *Minter) URL(id string) (string, error) {
	tok, err := m.Token(id)
	if err != nil {
		return "", err
	}
	return m.BaseURL + "/l/" + tok, nil
}

// HashToken is what the database stores and looks up.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// Create stores a new link and returns its id and token.
func (m *Minter) Create(ctx context.Context, db DB, s Spec) (id, token string, err error) {
	var raw [idLen]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", "", err
	}
	u, _ := uuid.FromBytes(raw[:])
	id = u.String()
	if token, err = m.Token(id); err != nil {
		return "", "", err
	}
	ttl := s.TTL
	if ttl == 0 {
		ttl = m.TTL
	}
	if ttl == 0 {
		ttl = 14 * 24 * time.Hour
	}
	_, err = db.Exec(ctx, `INSERT INTO action_links (id, token_hash, journey_id, person_kind, person_ref, action,
		document_sha256, subject_ref, single_use, expires_at) VALUES ($1,$2,NULLIF($3,'')::uuid,$4,$5,$6,$7,$8,$9, now() + $10::interval)`,
		id, HashToken(token), s.JourneyID, s.PersonKind, s.PersonRef, s.Action, s.DocumentSHA256, s.SubjectRef,
		s.SingleUse, fmt.Sprintf("%d seconds", int64(ttl.Seconds())))
	return id, token, err
}

// wellFormed checks the token's MAC before touching the database, so
// guessed tokens cost no query.
func (m *Minter) wellFormed(token string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != idLen+macLen {
		return false
	}
	mac := hmac.New(sha256.New, m.Secret)
	mac.Write(raw[:idLen])
	return hmac.Equal(raw[idLen:], mac.Sum(nil)[:macLen])
}

// Resolve finds the link for a token and checks it can still be used.
// An expired, used or revoked link is returned together with its error so
// the page can offer to send a new one.
func (m *Minter) Resolve(ctx context.Context, db DB, token string, now time.Time) (Link, error) {
	if !m.wellFormed(token) {
		return Link{}, ErrInvalid
	}
	var l Link
	err := db.QueryRow(ctx, `SELECT id, COALESCE(journey_id::text,''), person_kind, person_ref, action, subject_ref,
		document_sha256, single_use, expires_at, used_at, revoked_at, uses
		FROM action_links WHERE token_hash = $1`, HashToken(token)).Scan(&l.ID, &l.JourneyID, &l.PersonKind,
		&l.PersonRef, &l.Action, &l.SubjectRef, &l.DocumentSHA256, &l.SingleUse, &l.ExpiresAt, &l.UsedAt, &l.RevokedAt, &l.Uses)
	if errors.Is(err, pgx.ErrNoRows) {
		return Link{}, ErrInvalid
	}
	if err != nil {
		return Link{}, err
	}
	switch {
	case l.RevokedAt != nil:
		return l, ErrRevoked
	case l.SingleUse && l.UsedAt != nil:
		return l, ErrUsed
	case now.After(l.ExpiresAt):
		return l, ErrExpired
	}
	return l, nil
}

// MarkUsed records a use; for a single-use link only the first call
// succeeds (the second returns ErrUsed), so a double tap is one action.
func MarkUsed(ctx context.Context, db DB, id string) error {
	tag, err := db.Exec(ctx, `UPDATE action_links SET uses = uses + 1, used_at = COALESCE(used_at, now())
		WHERE id = $1 AND revoked_at IS NULL AND (NOT single_use OR used_at IS NULL)`, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrUsed
	}
	return nil
}

// Revoke turns a link off (staff action).
func Revoke(ctx context.Context, db DB, id string) error {
	_, err := db.Exec(ctx, `UPDATE action_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`, id)
	return err
}

// HexSHA decodes a hex document hash (empty stays nil).
func HexSHA(s string) ([]byte, error) {
	if s == "" {
		return nil, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != sha256.Size {
		return nil, errors.New("document hash must be 64 hex characters")
	}
	return b, nil
}
