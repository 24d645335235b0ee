package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// Digests: employers and supervisors get one reminder a day (an email, or
// a text when they have no email) for all their pending sign-offs instead
// of one each. The first digest item of a local day for an address leads:
// its message carries every other pending digest item for that address,
// and the day is recorded in message_digests. A digest of several items
// points to the person's inbox (internal/web), which lists them all,
// overdue first, each with its page. Items arriving later that day wait
// for the next day's DigestHour and go out together.

// prepareDigests runs in the claim transaction, so no other claim sees
// a digest's items between its lead being claimed and the items joining
// it. Claimed digest items that are not today's lead wait for tomorrow.
func (d *Dispatcher) prepareDigests(ctx context.Context, tx pgx.Tx, rows []*outboxRow, now time.Time, c *drainCounters) ([]*outboxRow, error) {
	keep := rows[:0]
	for _, r := range rows {
		if !isDigest(r.Reminder, r.Kind, r.Channel) {
			keep = append(keep, r)
			continue
		}
		lead, err := d.prepareDigest(ctx, tx, r, now)
		if err != nil {
			return nil, fmt.Errorf("digest for message %d: %w", r.ID, err)
		}
		if lead {
			keep = append(keep, r)
			continue
		}
		c.deferred.Add(1)
	}
	return keep, nil
}

// prepareDigest decides whether r leads today's digest for its address
// and gathers the rows it carries. It returns false when r was put back
// for tomorrow's digest.
func (d *Dispatcher) prepareDigest(ctx context.Context, tx pgx.Tx, r *outboxRow, now time.Time) (bool, error) {
	var err error
	if r.uncertain() {
		// This digest may be at the provider already: carry exactly the
		// rows it carried then, nothing added.
		r.followers, err = d.relockFollowers(ctx, tx, r, now)
		return true, err
	}
	lead, err := d.takeDay(ctx, tx, r, now)
	if err != nil {
		return false, err
	}
	if !lead {
		loc := location(r.Timezone)
		local := now.In(loc)
		next := time.Date(local.Year(), local.Month(), local.Day()+1, d.cfg.DigestHour, 0, 0, 0, loc)
		return false, d.postpone(ctx, tx, r, next, true)
	}
	if r.followers, err = d.gatherFollowers(ctx, tx, r, now); err != nil || len(r.followers) == 0 {
		return true, err
	}
	return true, d.pointToInbox(ctx, tx, r)
}

// inboxMinLife is how long the inbox link a digest carries works at least:
// a person reads a reminder days later, not only the day it arrives.
const inboxMinLife = 3 * 24 * time.Hour

// pointToInbox gives a digest of several items the recipient's inbox link
// (the one they hold, else a new one), recorded on the lead in the claim
// transaction so a retry renders the same address. A lone reminder keeps
// its own link: one tap to the one thing asked.
func (d *Dispatcher) pointToInbox(ctx context.Context, tx pgx.Tx, r *outboxRow) error {
	if d.cfg.Links == nil || (r.Kind != "supervisor" && r.Kind != "employer") {
		return nil
	}
	id, err := d.cfg.Links.Ensure(ctx, tx, links.InboxSpec(r.Kind, r.Ref))
	if err != nil {
		return err
	}
	// Link expiry is the database's clock (links.Resolve's callers agree).
	lasting, err := store.LinkLasting(ctx, tx, id, inboxMinLife)
	if err != nil {
		return fmt.Errorf("inbox link expiry: %w", err)
	}
	if !lasting {
		// The person's link is about to expire: this message gets a fresh one.
		if id, _, err = d.cfg.Links.Create(ctx, tx, links.InboxSpec(r.Kind, r.Ref)); err != nil {
			return fmt.Errorf("new inbox link: %w", err)
		}
	}
	if err := store.SetInboxLink(ctx, tx, r.ID, id); err != nil {
		return fmt.Errorf("record inbox link: %w", err)
	}
	r.InboxLinkID = id
	return nil
}

// takeDay claims the address's digest for the recipient's local day; it
// reports whether r is (or already was) that day's lead.
func (d *Dispatcher) takeDay(ctx context.Context, tx pgx.Tx, r *outboxRow, now time.Time) (bool, error) {
	day := now.In(location(r.Timezone)).Format(time.DateOnly)
	leadID, err := store.TakeDigestDay(ctx, tx, r.To, day, r.ID)
	return err == nil && leadID == r.ID, err
}

// gatherFollowers leases every other pending digest item for the address,
// after cancelling those whose step closed while they waited (a digest
// never lists a permit already signed).
func (d *Dispatcher) gatherFollowers(ctx context.Context, tx pgx.Tx, r *outboxRow, now time.Time) ([]*outboxRow, error) {
	n, err := store.CancelClosedDigestItems(ctx, tx, r.ID, r.To, now)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		d.count(ChannelEmail, OutcomeCancelled, n)
	}
	items, err := store.LeaseDigestItems(ctx, tx, r.ID, r.To, now, r.LeaseUntil)
	return rowsOf(items), err
}

// relockFollowers extends the lease of a digest's rows for a retry.
func (d *Dispatcher) relockFollowers(ctx context.Context, tx pgx.Tx, r *outboxRow, now time.Time) ([]*outboxRow, error) {
	items, err := store.RelockDigestItems(ctx, tx, r.ID, r.LeaseUntil, now)
	return rowsOf(items), err
}

// renderDigest renders the lead and its followers as one email (or one
// text), pointing to the recipient's inbox when the lead recorded one.
func (d *Dispatcher) renderDigest(r *outboxRow) (Rendered, error) {
	inbox, err := d.linkURL(r.InboxLinkID)
	if err != nil {
		return Rendered{}, err
	}
	var items []DigestItem
	for _, x := range append([]*outboxRow{r}, r.followers...) {
		link, err := d.linkURL(x.LinkID)
		if err != nil {
			return Rendered{}, err
		}
		items = append(items, DigestItem{Template: x.Template, RecipientKind: x.Kind, Params: x.Params, Link: link})
	}
	if r.Channel == ChannelSMS {
		if inbox == "" {
			return Rendered{}, errors.New("a text digest needs the recipient's inbox link")
		}
		return d.templates.RenderDigestSMS(r.Language, d.cfg.Program, inbox, items), nil
	}
	return d.templates.RenderDigest(r.Language, d.cfg.Program, d.cfg.Contact, inbox, items)
}
