package messaging

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
)

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
	m, err := store.StoredMessage(ctx, pool, id)
	if err != nil {
		return Rendered{}, fmt.Errorf("load message %d: %w", id, err)
	}
	r := rowOf(m)
	if withDigest {
		items, err := store.StoredDigestItems(ctx, pool, id)
		if err != nil {
			return Rendered{}, fmt.Errorf("load digest of message %d: %w", id, err)
		}
		r.followers = rowsOf(items)
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
