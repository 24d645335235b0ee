package messaging

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// storedCols are outboxCols for a row that may never have been claimed
// (no lease, no claim time yet), so any message can be rendered.
var storedCols = strings.NewReplacer(
	"m.lease_until", "COALESCE(m.lease_until, 'epoch')",
	"m.claimed_at", "COALESCE(m.claimed_at, 'epoch')",
).Replace(outboxCols)

// RenderStored renders outbox message id exactly as the dispatcher sent
// it, through the same code (link derived from link_id, Render or
// RenderDigest with the rows a sent digest carried). The local inbox and
// the transcripts use it; cfg is the dispatcher's config.
func RenderStored(ctx context.Context, pool *pgxpool.Pool, cfg DispatcherConfig, id int64) (Rendered, error) {
	return renderStored(ctx, pool, cfg, id, true)
}

// RenderStoredAlone renders message id as it reads on its own, even when a
// digest email carried it with other rows: a student's record export shows
// their message, never the other students' items of the same digest.
func RenderStoredAlone(ctx context.Context, pool *pgxpool.Pool, cfg DispatcherConfig, id int64) (Rendered, error) {
	return renderStored(ctx, pool, cfg, id, false)
}

func renderStored(ctx context.Context, pool *pgxpool.Pool, cfg DispatcherConfig, id int64, withDigest bool) (Rendered, error) {
	r, err := scanOutboxRow(pool.QueryRow(ctx, `SELECT `+storedCols+` FROM messages m WHERE m.id = $1`, id))
	if err != nil {
		return Rendered{}, fmt.Errorf("load message %d: %w", id, err)
	}
	if withDigest {
		rows, err := pool.Query(ctx, `SELECT `+storedCols+` FROM messages m
			WHERE m.digest_lead = $1 AND m.id <> $1 ORDER BY m.id`, id)
		if err != nil {
			return Rendered{}, fmt.Errorf("load digest of message %d: %w", id, err)
		}
		if r.followers, err = collectFollowers(rows); err != nil {
			return Rendered{}, fmt.Errorf("load digest of message %d: %w", id, err)
		}
	}
	msg, err := NewDispatcher(pool, Providers{}, cfg).render(r)
	return Rendered{Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML}, err
}

// SMSSegments is how many parts carriers bill for an SMS body (what the
// dispatcher keeps to two at most).
func SMSSegments(body string) int {
	n, _ := smsSegments(body)
	return n
}
