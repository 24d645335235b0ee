package messaging

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/internflow/internflow/internal/store"
)

// execer is a transaction or a pool.
type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Contact flag reasons as stored in contact_optouts.reason.
const optoutStopKeyword = "stop_keyword"

// flagContact records that an address must not be used on a channel.
// reason is a contact_optouts reason: stop_keyword, unsubscribed, bounced,
// invalid or spamreport.
func flagContact(ctx context.Context, db execer, channel, address, reason, detail string) error {
	if err := store.FlagContact(ctx, db, channel, address, reason, detail); err != nil {
		return fmt.Errorf("flag %s contact: %w", channel, err)
	}
	return nil
}
