package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// SignInURL mints a single-use sign-in link for an active staff member
// and returns its URL, for a command to print: `internflow dev` (locally
// the log provider emails nothing) and `district create`, whose first
// admin has no other way in yet. Servers never mint links to show.
func SignInURL(ctx context.Context, pool *pgxpool.Pool, minter *links.Minter, email string, ttl time.Duration) (string, error) {
	staffID, err := store.New(pool).ActiveStaffIDByEmail(ctx, email)
	if err != nil {
		return "", fmt.Errorf("staff %s: %w", email, err)
	}
	if minter == nil {
		return "", errors.New("no link minter")
	}
	id, _, err := minter.Create(ctx, pool, links.Spec{PersonKind: "staff", PersonRef: staffID, Action: "staff_login",
		SingleUse: true, TTL: ttl})
	if err != nil {
		return "", fmt.Errorf("sign-in link: %w", err)
	}
	return minter.URL(id)
}
