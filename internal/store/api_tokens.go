package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// District API tokens, kept only as the SHA-256 of their secret.
const (
	qCreateAPIToken = `INSERT INTO api_tokens (district_id, name, token_hash, created_by) VALUES ($1, $2, $3, $4)
		RETURNING id::text`
	qListAPITokens = `SELECT t.id::text, t.name, c.name, t.created_at, t.last_used_at, t.revoked_at, COALESCE(r.name, '')
		FROM api_tokens t JOIN staff c ON c.id = t.created_by LEFT JOIN staff r ON r.id = t.revoked_by
		WHERE t.district_id = $1 ORDER BY t.created_at DESC, t.id`
	qRevokeAPIToken = `UPDATE api_tokens SET revoked_at = now(), revoked_by = $3
		WHERE id = $1 AND district_id = $2 AND revoked_at IS NULL RETURNING name`
	qUseAPIToken = `UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL
		RETURNING id::text, district_id::text`
)

// APIToken is a token as its district's admins see it (never the secret).
type APIToken struct {
	ID         string
	Name       string
	CreatedBy  string // staff name
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
	RevokedBy  string
}

// Active reports whether the token still works.
func (t APIToken) Active() bool { return t.RevokedAt == nil }

// CreateAPIToken keeps a new token of the district by its hash.
func (s *Store) CreateAPIToken(ctx context.Context, districtID, name string, hash []byte, staffID string) (id string, err error) {
	err = s.Pool.QueryRow(ctx, qCreateAPIToken, districtID, name, hash, staffID).Scan(&id)
	return id, err
}

// APITokens is the district's tokens, newest first.
func (s *Store) APITokens(ctx context.Context, districtID string) ([]APIToken, error) {
	rows, err := s.Pool.Query(ctx, qListAPITokens, districtID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[APIToken])
}

// RevokeAPIToken stops a working token of the district and returns its
// name; ErrNotFound when it has none such.
func (s *Store) RevokeAPIToken(ctx context.Context, districtID, id, staffID string) (name string, err error) {
	err = s.Pool.QueryRow(ctx, qRevokeAPIToken, id, districtID, staffID).Scan(&name)
	return name, notFound(err)
}

// UseAPIToken marks the working token of this hash used and returns its
// id and district; ErrNotFound when no working token has it.
func (s *Store) UseAPIToken(ctx context.Context, hash []byte) (id, districtID string, err error) {
	err = s.Pool.QueryRow(ctx, qUseAPIToken, hash).Scan(&id, &districtID)
	return id, districtID, notFound(err)
}
