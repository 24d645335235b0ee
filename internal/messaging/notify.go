package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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
		_, err = tx.Exec(ctx, `UPDATE messages SET notified_at = $2 WHERE id = ANY($1)`, ok, d.clock.Now())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("notify undeliverable messages: %w", err)
	}
	return done, nil
}

func loadUndeliverable(ctx context.Context, tx pgx.Tx) ([]Undeliverable, error) {
	rows, err := tx.Query(ctx, `SELECT id, COALESCE(journey_id::text,''), COALESCE(school_id::text,''),
			COALESCE(district_id::text,''), recipient_kind, recipient_ref, channel, template,
			COALESCE(fail_reason, CASE status WHEN 'suppressed' THEN 'opted_out' ELSE 'failed' END)
		FROM messages WHERE notified_at IS NULL AND status IN ('failed', 'undeliverable', 'suppressed')
		ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Undeliverable, error) {
		var u Undeliverable
		err := r.Scan(&u.MessageID, &u.JourneyID, &u.SchoolID, &u.DistrictID, &u.RecipientKind, &u.RecipientRef,
			&u.Channel, &u.Template, &u.Reason)
		return u, err
	})
}
