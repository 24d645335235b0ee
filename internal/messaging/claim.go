package messaging

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
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

// claimCandidates ranks due rows round-robin across schools: every
// school's oldest message comes before any school's second, starting after
// the school served last, so one school's 40,000-student nudge does not
// hold up another school's permit request. Of the digest items for one
// address (an email, or the phone of a supervisor without one), only the
// oldest is a candidate: it leads and gathers the rest (see digest.go).
const claimCandidates = `
SELECT id FROM (
	SELECT id, COALESCE(school_id::text, '') AS sk,
		row_number() OVER (PARTITION BY school_id ORDER BY send_after, id) AS rn,
		row_number() OVER (PARTITION BY CASE
			WHEN recipient_kind IN ('employer', 'supervisor') AND reminder THEN to_address
			ELSE id::text END ORDER BY send_after, id) AS dn
	FROM messages
	WHERE channel = $1 AND status IN ('queued', 'sending') AND send_after <= $2
		AND (status = 'queued' OR lease_until <= $2)
		AND (digest_lead IS NULL OR digest_lead = id)
) c
WHERE dn = 1
ORDER BY rn, (sk <= $3), sk
LIMIT $4`

// outboxCols are the columns an outboxRow is scanned from (table alias m).
const outboxCols = `m.id, COALESCE(m.journey_id::text,''), COALESCE(m.district_id::text,''),
	COALESCE(m.school_id::text,''), m.recipient_kind, m.recipient_ref, m.channel, m.to_address, m.language,
	m.template, m.params, COALESCE(m.link_id::text,''), m.attempts, m.lease_until, m.claimed_at,
	COALESCE(m.timezone,''), COALESCE(m.quiet_start, 21), COALESCE(m.quiet_end, 8), m.reminder,
	COALESCE(m.home_link_id::text,''), COALESCE(m.inbox_link_id::text,'')`

// claimLocked takes the candidates nobody else holds and still due, and
// leases them; the previous status and claim time come back too.
const claimLocked = `
WITH locked AS (
	SELECT id, status AS prev_status, claimed_at AS prev_claimed_at FROM messages
	WHERE id = ANY($1) AND status IN ('queued', 'sending') AND send_after <= $2
		AND (status = 'queued' OR lease_until <= $2)
	FOR UPDATE SKIP LOCKED
)
UPDATE messages m SET status = 'sending', lease_until = $3, claimed_at = $2, attempts = m.attempts + 1, updated_at = $2
FROM locked l WHERE m.id = l.id
RETURNING ` + outboxCols + `, l.prev_status, l.prev_claimed_at`

// suppressOptedOut stops claimed messages to addresses that opted out or
// went bad after they were queued.
const suppressOptedOut = `
UPDATE messages m SET status = 'suppressed', lease_until = NULL, updated_at = $2,
	fail_reason = CASE WHEN o.reason IN ('invalid', 'bounced') THEN 'invalid' ELSE 'opted_out' END
FROM contact_optouts o
WHERE m.id = ANY($1) AND o.channel = m.channel AND o.address = m.to_address
RETURNING m.id`

func scanOutboxRow(row pgx.Row, extra ...any) (*outboxRow, error) {
	r := &outboxRow{}
	dst := []any{&r.ID, &r.JourneyID, &r.DistrictID, &r.SchoolID, &r.Kind, &r.Ref, &r.Channel, &r.To, &r.Language,
		&r.Template, &r.Params, &r.LinkID, &r.Attempts, &r.LeaseUntil, &r.ClaimedAt, &r.Timezone, &r.Quiet.Start, &r.Quiet.End, &r.Reminder,
		&r.HomeLinkID, &r.InboxLinkID}
	return r, row.Scan(append(dst, extra...)...)
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
	rows, err := tx.Query(ctx, claimCandidates, ch, now, lastSchool, d.batchSize(ch))
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	rows, err = tx.Query(ctx, claimLocked, ids, now, now.Add(d.cfg.Lease))
	if err != nil {
		return nil, err
	}
	claimed, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*outboxRow, error) {
		var r *outboxRow
		var prev string
		var prevAt *time.Time
		r, err := scanOutboxRow(row, &prev, &prevAt)
		if r != nil {
			r.PrevStatus, r.PrevClaimedAt = prev, prevAt
		}
		return r, err
	})
	if err != nil {
		return nil, err
	}
	// UPDATE ... RETURNING has no order: restore the fair one.
	pos := make(map[int64]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(claimed, func(a, b *outboxRow) int { return pos[a.ID] - pos[b.ID] })
	return claimed, nil
}

// waitClosed is true for a message whose wait is no longer open for the
// party it asks (table alias m). It is the one send-time check: every
// claim, digest and held backlog goes through it.
const waitClosed = `m.wait_key IS NOT NULL AND NOT EXISTS (
	SELECT 1 FROM open_waits w WHERE w.wait_key = m.wait_key AND (m.wait_party IS NULL OR w.party = m.wait_party))`

// cancelClosed cancels claimed messages whose step is over: a reminder
// held for quiet hours or a digest after the student already submitted,
// a permit request after the permit was approved. A row that may already
// be at the provider is left to the provider lookup.
const cancelClosed = `
UPDATE messages m SET status = 'cancelled', fail_reason = 'step_closed', lease_until = NULL, updated_at = $2
WHERE m.id = ANY($1) AND ` + waitClosed + `
RETURNING m.id`

// dropClosed cancels claimed rows whose wait closed (see cancelClosed).
func (d *Dispatcher) dropClosed(ctx context.Context, tx pgx.Tx, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	certain := func(r *outboxRow) bool { return !r.uncertain() }
	return d.drop(ctx, tx, rows, certain, cancelClosed, now, &c.cancelled, OutcomeCancelled)
}

// dropSuppressed stops claimed rows to addresses opted out since.
func (d *Dispatcher) dropSuppressed(ctx context.Context, tx pgx.Tx, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	all := func(*outboxRow) bool { return true }
	return d.drop(ctx, tx, rows, all, suppressOptedOut, now, &c.suppressed, OutcomeSuppressed)
}

// drop runs an UPDATE ... RETURNING id (query, over the ids of the rows
// that pass consider) that takes rows out of this claim, counts them as
// outcome and returns the rows left to send.
func (d *Dispatcher) drop(ctx context.Context, tx pgx.Tx, rows []*outboxRow, consider func(*outboxRow) bool,
	query string, now time.Time, counter *atomic.Int64, outcome string) ([]*outboxRow, error) {
	var ids []int64
	for _, r := range rows {
		if consider(r) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return rows, nil
	}
	res, err := tx.Query(ctx, query, ids, now)
	if err != nil {
		return nil, err
	}
	gone, err := pgx.CollectRows(res, pgx.RowTo[int64])
	if err != nil || len(gone) == 0 {
		return rows, err
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
func (d *Dispatcher) postpone(ctx context.Context, db execer, r *outboxRow, until time.Time, notAnAttempt bool) error {
	dec := 0
	if notAnAttempt {
		dec = 1
	}
	_, err := db.Exec(ctx, `UPDATE messages SET
			status = CASE WHEN $3 THEN 'sending' ELSE 'queued' END,
			lease_until = CASE WHEN $3 THEN $2::timestamptz END,
			send_after = $2, attempts = greatest(attempts - $4, 0), updated_at = $5
		WHERE id = ANY($1)`, r.ids(), until, r.uncertain(), dec, d.clock.Now())
	if err != nil {
		return fmt.Errorf("postpone message %d: %w", r.ID, err)
	}
	return nil
}
