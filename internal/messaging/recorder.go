package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// recorder writes "sent" results in small batches: one statement and one
// commit per flush instead of per message, which is what lets one sender
// keep up with thousands of messages a second. A result not yet flushed
// when the worker dies is harmless: its row is still "sending", and the
// next attempt finds the message at the provider instead of resending.
type recorder struct {
	d        *Dispatcher
	provider string
	in       chan sentResult
	done     chan struct{}
	c        *drainCounters
}

type sentResult struct {
	row        *outboxRow
	providerID string
}

const (
	recordBatch = 500
	recordEvery = 25 * time.Millisecond
)

func (d *Dispatcher) newRecorder(ctx context.Context, provider string, c *drainCounters) *recorder {
	r := &recorder{d: d, provider: provider, in: make(chan sentResult, recordBatch), done: make(chan struct{}), c: c}
	go r.loop(context.WithoutCancel(ctx))
	return r
}

// add queues a result; close flushes what is left and waits.
func (r *recorder) add(res sentResult) { r.in <- res }

func (r *recorder) close() {
	close(r.in)
	<-r.done
}

func (r *recorder) loop(ctx context.Context) {
	defer close(r.done)
	tick := time.NewTicker(recordEvery)
	defer tick.Stop()
	var batch []sentResult
	for {
		select {
		case res, ok := <-r.in:
			if !ok {
				r.flush(ctx, batch)
				return
			}
			if batch = append(batch, res); len(batch) >= recordBatch {
				r.flush(ctx, batch)
				batch = nil
			}
		case <-tick.C:
			r.flush(ctx, batch)
			batch = nil
		}
	}
}

func (r *recorder) flush(ctx context.Context, batch []sentResult) {
	if len(batch) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, recordTimeout)
	defer cancel()
	var ids []int64
	var pids, linkIDs []string
	for _, res := range batch {
		linkIDs = append(linkIDs, res.row.linkIDs()...)
		for _, id := range res.row.ids() {
			ids, pids = append(ids, id), append(pids, res.providerID)
		}
	}
	if err := recordSentMany(ctx, r.d, r.provider, ids, pids, linkIDs); err != nil {
		r.d.log.ErrorContext(ctx, "record sent messages", "count", len(batch), "err", err)
		return
	}
	r.c.sent.Add(int64(len(batch)))
	r.d.count(batch[0].row.Channel, OutcomeSent, len(batch))
	for _, res := range batch {
		r.d.log.DebugContext(ctx, "message sent", r.d.logAttrs(res.row, r.provider)...)
	}
}

// recordSentMany marks rows sent with their provider ids and applies any
// status events that beat the record, in one implicit transaction. Then
// the links the messages carried supersede the person's older links for
// the same step: the new one is in their hands now.
func recordSentMany(ctx context.Context, d *Dispatcher, provider string, ids []int64, pids, linkIDs []string) error {
	now := d.clock.Now()
	if err := store.New(d.pool).RecordSentMany(ctx, provider, ids, pids, now); err != nil {
		return fmt.Errorf("record %d sent messages: %w", len(ids), err)
	}
	// The send is recorded: a failure here leaves old links working a
	// little longer (until their step closes), never a message resent.
	if err := links.Supersede(ctx, d.pool, linkIDs); err != nil {
		d.log.ErrorContext(ctx, "supersede links", "count", len(linkIDs), "err", err)
	}
	return nil
}
