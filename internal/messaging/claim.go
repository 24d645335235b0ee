package messaging

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// linkIDs are the action links the row and its digest followers carry.
// A digest that points to the person's inbox carries that link only: the
// items' own links were not in it, so they supersede nothing.
func (r *outboxRow) linkIDs() []string {
	if r.InboxLinkID != "" {
		return []string{r.InboxLinkID}
	}
	var ids []string
	for _, x := range append([]*outboxRow{r}, r.followers...) {
		if x.LinkID != "" {
			ids = append(ids, x.LinkID)
		}
		if x.HomeLinkID != "" {
			ids = append(ids, x.HomeLinkID)
		}
	}
	return ids
}

// outboxRow is a claimed message.
type outboxRow struct {
	ID                              int64
	JourneyID, DistrictID, SchoolID string
	Kind, Ref                       string
	Channel, To, Language, Template string
	Params                          map[string]string
	LinkID                          string
	// HomeLinkID is the person's own page, when the message carries it
	// besides its own link (needs' Home).
	HomeLinkID string
	// InboxLinkID: this digest lead points to the recipient's inbox.
	InboxLinkID string
	Attempts    int
	LeaseUntil  time.Time
	ClaimedAt   time.Time
	// PrevStatus "sending" means an earlier attempt may have reached the
	// provider; PrevClaimedAt is when that attempt started.
	PrevStatus    string
	PrevClaimedAt *time.Time
	Timezone      string
	Quiet         QuietHours
	Reminder      bool
	// followers are the other rows a digest email carries.
	followers []*outboxRow
}

// uncertain reports whether the provider must be asked before sending.
func (r *outboxRow) uncertain() bool { return r.PrevStatus == "sending" }

// ids is the row and its digest followers.
func (r *outboxRow) ids() []int64 {
	ids := []int64{r.ID}
	for _, f := range r.followers {
		ids = append(ids, f.ID)
	}
	return ids
}

// rowOf is the sender's view of a stored message.
func rowOf(m store.OutboxMessage) *outboxRow {
	return &outboxRow{ID: m.ID, JourneyID: m.JourneyID, DistrictID: m.DistrictID, SchoolID: m.SchoolID, Kind: m.Kind,
		Ref: m.Ref, Channel: m.Channel, To: m.To, Language: m.Language, Template: m.Template, Params: m.Params,
		LinkID: m.LinkID, HomeLinkID: m.HomeLinkID, InboxLinkID: m.InboxLinkID, Attempts: m.Attempts,
		LeaseUntil: m.LeaseUntil, ClaimedAt: m.ClaimedAt, PrevStatus: m.PrevStatus, PrevClaimedAt: m.PrevClaimedAt,
		Timezone: m.Timezone, Quiet: QuietHours{Start: m.QuietStart, End: m.QuietEnd}, Reminder: m.Reminder}
}

// rowsOf converts stored messages.
func rowsOf(ms []store.OutboxMessage) []*outboxRow {
	out := make([]*outboxRow, len(ms))
	for i, m := range ms {
		out[i] = rowOf(m)
	}
	return out
}

// claim leases the next batch of due rows on a channel in one short
// transaction, drops those now opted out, and defers texts that would land
// in quiet hours (a backlog can drain into the evening).
func (d *Dispatcher) claim(ctx context.Context, ch string, c *drainCounters) ([]*outboxRow, error) {
	for {
		out, claimed, err := d.claimOnce(ctx, ch, c)
		// A batch whose every row was cancelled or suppressed says nothing
		// about the rows behind it: claim again.
		if err != nil || len(out) > 0 || claimed == 0 {
			return out, err
		}
	}
}

// claimOnce claims one batch; claimed counts the rows taken before any
// were dropped.
func (d *Dispatcher) claimOnce(ctx context.Context, ch string, c *drainCounters) ([]*outboxRow, int, error) {
	now := d.clock.Now()
	var out []*outboxRow
	claimed := 0
	err := pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		var err error
		out, err = d.claimTx(ctx, tx, ch, now)
		claimed = len(out)
		if err != nil || len(out) == 0 {
			return err
		}
		if out, err = d.dropClosed(ctx, tx, out, now, c); err != nil || len(out) == 0 {
			return err
		}
		if out, err = d.dropSuppressed(ctx, tx, out, now, c); err != nil {
			return err
		}
		out, err = d.prepareDigests(ctx, tx, out, now, c)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("claim %s messages: %w", ch, err)
	}
	if len(out) > 0 {
		d.lastSchool.Store(ch, out[len(out)-1].SchoolID)
	}
	out, err = d.deferQuiet(ctx, out, now, c)
	return out, claimed, err
}

func (d *Dispatcher) claimTx(ctx context.Context, tx pgx.Tx, ch string, now time.Time) ([]*outboxRow, error) {
	last, _ := d.lastSchool.Load(ch)
	lastSchool, _ := last.(string)
	ids, err := store.ClaimCandidateIDs(ctx, tx, ch, now, lastSchool, d.batchSize(ch))
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	leased, err := store.LeaseClaimed(ctx, tx, ids, now, now.Add(d.cfg.Lease))
	if err != nil {
		return nil, err
	}
	claimed := rowsOf(leased)
	// UPDATE ... RETURNING has no order: restore the fair one.
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(claimed, func(a, b *outboxRow) int { return pos[a.ID] - pos[b.ID] })
	return claimed, nil
}

// dropClosed cancels claimed rows whose wait closed (see store.CancelClosed).
func (d *Dispatcher) dropClosed(ctx context.Context, tx pgx.Tx, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	certain := func(r *outboxRow) bool { return !r.uncertain() }
	return d.drop(ctx, tx, rows, certain, store.CancelClosed, now, &c.cancelled, OutcomeCancelled)
}

// dropSuppressed stops claimed rows to addresses opted out since.
func (d *Dispatcher) dropSuppressed(ctx context.Context, tx pgx.Tx, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	all := func(*outboxRow) bool { return true }
	return d.drop(ctx, tx, rows, all, store.SuppressOptedOut, now, &c.suppressed, OutcomeSuppressed)
}

// drop runs a store update that returns the ids it took (take, over the
// ids of the rows that pass consider) that takes rows out of this claim, counts them as
// outcome and returns the rows left to send.
func (d *Dispatcher) drop(ctx context.Context, tx pgx.Tx, rows []*outboxRow, consider func(*outboxRow) bool,
	take func(context.Context, store.DB, []int64, time.Time) ([]int64, error), now time.Time, counter *atomic.Int64, outcome string) ([]*outboxRow, error) {
	var ids []int64
	for _, r := range rows {
		if consider(r) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return rows, nil
	}
	gone, err := take(ctx, tx, ids, now)
	if err != nil {
		return nil, err
	}
	if len(gone) == 0 {
		return rows, nil
	}
	counter.Add(int64(len(gone)))
	d.count(rows[0].Channel, outcome, len(gone)) // a claim is one channel's
	return slices.DeleteFunc(rows, func(r *outboxRow) bool { return slices.Contains(gone, r.ID) }), nil
}

// deferQuiet reschedules texts whose recipient is now in quiet hours.
func (d *Dispatcher) deferQuiet(ctx context.Context, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	keep := rows[:0]
	for _, r := range rows {
		if r.Channel != ChannelSMS || slices.Contains(replyTemplates, r.Template) {
			keep = append(keep, r)
			continue
		}
		next := r.Quiet.NextAllowed(now, location(r.Timezone))
		if next.Equal(now) {
			keep = append(keep, r)
			continue
		}
		if err := d.postpone(ctx, d.pool, r, next, true); err != nil {
			return nil, err
		}
		c.deferred.Add(1)
	}
	return keep, nil
}

// postpone puts a claimed row back until a later time. A row that may
// already be at the provider stays "sending" (with its lease ending then)
// so the next attempt still asks the provider first. notAnAttempt gives
// back the attempt the claim counted.
func (d *Dispatcher) postpone(ctx context.Context, db store.DB, r *outboxRow, until time.Time, notAnAttempt bool) error {
	dec := 0
	if notAnAttempt {
		dec = 1
	}
	err := store.PostponeMessages(ctx, db, r.ids(), until, r.uncertain(), dec, d.clock.Now())
	if err != nil {
		return fmt.Errorf("postpone message %d: %w", r.ID, err)
	}
	return nil
}
