package messaging

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
)

// Run sends until ctx ends. Each channel has its own loop; a loop sends
// only while it holds the channel's advisory lock (see Dispatcher), and
// undeliverable messages are reported in between.
func (d *Dispatcher) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for _, ch := range []string{ChannelSMS, ChannelEmail} {
		if _, err := d.providers.For(ch); err != nil {
			continue
		}
		wg.Go(func() { d.runChannel(ctx, ch) })
	}
	wg.Go(func() { d.listen(ctx) })
	wg.Go(func() {
		for sleep(ctx, d.cfg.PollInterval) {
			if _, err := d.notifyUndeliverable(ctx); err != nil && ctx.Err() == nil {
				d.log.ErrorContext(ctx, "notify undeliverable", "err", err)
			}
		}
	})
	wg.Wait()
	return nil
}

// runChannel alternates between standing by for the sender lock and
// sending while it holds it.
func (d *Dispatcher) runChannel(ctx context.Context, ch string) {
	for ctx.Err() == nil {
		conn, err := d.lockSender(ctx, ch)
		if err != nil {
			if ctx.Err() == nil {
				d.log.ErrorContext(ctx, "sender lock", "channel", ch, "err", err)
			}
			sleep(ctx, 5*d.cfg.PollInterval)
			continue
		}
		if conn == nil { // another replica is the sender
			sleep(ctx, 5*d.cfg.PollInterval)
			continue
		}
		d.log.InfoContext(ctx, "sending", "channel", ch)
		d.sendWhileLocked(ctx, ch, conn)
	}
}

// sendWhileLocked drains the channel until ctx ends or the lock's
// connection is lost (another replica may then take over).
func (d *Dispatcher) sendWhileLocked(ctx context.Context, ch string, conn *pgxpool.Conn) {
	defer func() {
		// Closing the connection drops the session lock even if the unlock fails.
		_ = store.ReleaseSenderLock(context.WithoutCancel(ctx), conn, senderLockKey(ch))
		conn.Release()
	}()
	var c drainCounters
	for ctx.Err() == nil {
		if err := conn.Ping(ctx); err != nil {
			return
		}
		before := c.stats()
		if err := d.drainChannel(ctx, ch, &c); err != nil && ctx.Err() == nil {
			d.log.ErrorContext(ctx, "drain", "channel", ch, "err", err)
		}
		if c.stats() == before {
			d.idle(ctx, ch)
		}
	}
}

// lockSender returns a connection holding the channel's sender lock, or
// nil when another dispatcher holds it.
func (d *Dispatcher) lockSender(ctx context.Context, ch string) (*pgxpool.Conn, error) {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire connection: %w", err)
	}
	ok, err := store.TrySenderLock(ctx, conn, senderLockKey(ch))
	if err != nil {
		conn.Release()
		return nil, fmt.Errorf("try sender lock: %w", err)
	}
	if !ok {
		conn.Release()
		return nil, nil
	}
	return conn, nil
}

// senderLockKey is the advisory lock of one channel's sender.
func senderLockKey(ch string) int64 {
	h := fnv.New64a()
	h.Write([]byte("internflow/messaging/sender/" + ch))
	return int64(h.Sum64())
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
