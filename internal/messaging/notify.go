package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// notifyPause spaces retries when the hook fails (Temporal down).
const notifyPause = 15 * time.Second

// notifyUndeliverable tells the hook about final failures not yet
// reported, marking each once the hook accepted it: at least once, even
// across crashes and replicas.
func (d *Dispatcher) notifyUndeliverable(ctx context.Context) (int, error) {
	d.notifyMu.Lock()
	defer d.notifyMu.Unlock()
	if time.Now().Before(d.notifyPauseTill) {
		return 0, nil
	}
	done := 0
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		pending, err := loadUndeliverable(ctx, tx)
		if err != nil {
			return err
		}
		var ok []int64
		for _, u := range pending {
			if d.cfg.OnUndeliverable != nil {
				if err := d.cfg.OnUndeliverable.OnUndeliverable(ctx, u); err != nil {
					d.notifyPauseTill = time.Now().Add(notifyPause)
					d.log.WarnContext(ctx, "undeliverable hook failed; will retry", "outbox_id", u.MessageID, "err", err)
					break
				}
			}
			ok = append(ok, u.MessageID)
		}
		done = len(ok)
		return store.MarkReported(ctx, tx, ok, d.clock.Now())
	})
	if err != nil {
		return 0, fmt.Errorf("notify undeliverable messages: %w", err)
	}
	return done, nil
}

func loadUndeliverable(ctx context.Context, tx pgx.Tx) ([]Undeliverable, error) {
	rows, err := store.UnreportedUndeliverable(ctx, tx)
	if err != nil {
		return nil, err
	}
	out := make([]Undeliverable, len(rows))
	for i, r := range rows {
		out[i] = Undeliverable(r)
	}
	return out, nil
}
