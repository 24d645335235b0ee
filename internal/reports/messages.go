package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// ChannelRow counts outbox messages on one channel by what became of them.
type ChannelRow struct {
	Channel string
	// Total is every message intended, whatever happened to it.
	Total int
	// Queued are waiting to go (queued or being sent).
	Queued int
	// Sent left us: the provider accepted them (delivered ones included).
	Sent      int
	Delivered int
	// Failed could not be sent or delivered (failed, undeliverable).
	Failed int
	// Suppressed were never sent: opted out, or the address is known bad.
	Suppressed int
}

// DeliveryRate is delivered ÷ sent.
func (c ChannelRow) DeliveryRate() float64 { return ratio(c.Delivered, c.Sent) }

// MessagesByChannel counts the scope's messages per channel, both channels
// listed even when zero. With a program year, only messages about that
// year's journeys count.
func (q *Queries) MessagesByChannel(ctx context.Context, s store.Scope, f Filter) ([]ChannelRow, error) {
	rows, err := query(ctx, q, s, f, `
		, msgs AS (
			SELECT m.channel, m.status, m.sent_at FROM messages m
			WHERE m.district_id = $1 AND ($2::boolean OR m.school_id = ANY($3::uuid[]))
			  AND ($4::int = 0 OR m.journey_id IN (SELECT journey_id FROM scoped))
		)
		SELECT ch.channel, count(m.status),
			count(*) FILTER (WHERE m.status IN ('queued', 'sending')),
			count(*) FILTER (WHERE m.sent_at IS NOT NULL OR m.status IN ('sent', 'delivered')),
			count(*) FILTER (WHERE m.status = 'delivered'),
			count(*) FILTER (WHERE m.status IN ('failed', 'undeliverable')),
			count(*) FILTER (WHERE m.status = 'suppressed')
		FROM (VALUES ('sms', 1), ('email', 2)) AS ch(channel, ord)
		LEFT JOIN msgs m ON m.channel = ch.channel
		GROUP BY ch.channel, ch.ord ORDER BY ch.ord`,
		func(r pgx.CollectableRow) (ChannelRow, error) {
			var c ChannelRow
			err := r.Scan(&c.Channel, &c.Total, &c.Queued, &c.Sent, &c.Delivered, &c.Failed, &c.Suppressed)
			return c, err
		})
	if err != nil {
		return nil, fmt.Errorf("messages by channel: %w", err)
	}
	return rows, nil
}
