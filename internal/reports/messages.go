package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// ChannelRow counts outbox messages on one channel by what became of them.
type ChannelRow = store.ChannelRow

// MessagesByChannel counts the scope's messages per channel, both channels
// listed even when zero. With a program year, only messages about that
// year's journeys count.
func (q *Queries) MessagesByChannel(ctx context.Context, s store.Scope, f Filter) ([]ChannelRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportMessagesByChannel(ctx, sc)
}
