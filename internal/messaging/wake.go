package messaging

import (
	"context"
	"time"
)

// wakeChannel is the Postgres notification channel new messages announce
// themselves on, so a text goes out the moment its journey step commits
// instead of at the dispatcher's next poll.
const wakeChannel = "internflow_outbox"

// listen relays outbox notifications to the channel loops until ctx ends;
// if the listening connection fails, the loops still poll.
func (d *Dispatcher) listen(ctx context.Context) {
	for ctx.Err() == nil {
		conn, err := d.pool.Acquire(ctx)
		if err != nil {
			sleep(ctx, 5*d.cfg.PollInterval)
			continue
		}
		if _, err := conn.Exec(ctx, "LISTEN "+wakeChannel); err == nil {
			for {
				n, err := conn.Conn().WaitForNotification(ctx)
				if err != nil {
					break
				}
				if w, ok := d.wake[n.Payload]; ok {
					select {
					case w <- struct{}{}:
					default: // already awake
					}
				}
			}
		}
		conn.Release()
		sleep(ctx, d.cfg.PollInterval)
	}
}

// idle waits for new messages on a channel: a notification, or the poll
// interval for what notifications cannot tell (quiet hours ending,
// retries coming due, another replica's crash).
func (d *Dispatcher) idle(ctx context.Context, ch string) {
	t := time.NewTimer(d.cfg.PollInterval)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-d.wake[ch]:
	}
}
