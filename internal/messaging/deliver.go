package messaging

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// leaseMargin: a row whose lease ends sooner than this is left for the
// next claim rather than sent, so two dispatchers never both send it.
const leaseMargin = 15 * time.Second

// recordTimeout bounds writing a result after the provider call; it runs
// even when the drain's context is cancelled, because an unrecorded send
// costs a provider lookup later.
const recordTimeout = 10 * time.Second

// deliver sends one claimed row (or the digest it leads) and records the
// outcome. Errors are handled here: every path leaves the row sent,
// rescheduled, or final.
func (d *Dispatcher) deliver(ctx context.Context, r *outboxRow, rec *recorder, c *drainCounters) {
	if d.clock.Now().Add(leaseMargin).After(r.LeaseUntil) {
		return
	}
	prov, err := d.providers.For(r.Channel)
	if err != nil {
		d.log.ErrorContext(ctx, "no provider", "outbox_id", r.ID, "channel", r.Channel)
		return
	}
	msg, err := d.render(r)
	if err != nil {
		d.finish(ctx, r, &ProviderError{Permanent: true, Reason: ReasonFailed, Code: "render", Err: err}, c)
		return
	}
	if r.uncertain() {
		if d.reconcile(ctx, r, prov, msg, c) {
			return
		}
	}
	if err := d.pacers[r.Channel].Wait(ctx); err != nil {
		return // shutting down: the lease lapses and the row is claimed again
	}
	if d.clock.Now().Add(leaseMargin).After(r.LeaseUntil) {
		return // waited too long for the pace: leave it to the next claim
	}
	sendCtx, span := d.sendSpan(ctx, r, prov.Name())
	id, sendErr := prov.Send(sendCtx, msg)
	endSendSpan(span, sendErr)
	if d.afterSend != nil {
		if err := d.afterSend(r.ID); err != nil {
			return
		}
	}
	if sendErr != nil {
		d.finish(sendCtx, r, asProviderError(sendErr), c) // its log joins the send's trace
		return
	}
	rec.add(sentResult{row: r, providerID: id})
}

// reconcile asks the provider whether an earlier attempt went out. It
// returns true when the row is settled (found, or rescheduled because the
// provider could not answer) and must not be sent now.
func (d *Dispatcher) reconcile(ctx context.Context, r *outboxRow, prov Provider, msg Message, c *drainCounters) bool {
	id, found, err := prov.Find(ctx, msg)
	if err != nil {
		pe := asProviderError(err)
		pe.Permanent, pe.Uncertain = false, true
		d.finish(ctx, r, pe, c)
		return true
	}
	if !found {
		return false
	}
	if d.recordSent(ctx, r, prov.Name(), id) {
		c.reconciled.Add(1)
		d.count(r.Channel, OutcomeReconciled, 1)
		d.log.InfoContext(ctx, "message already at provider: recorded, not resent", d.logAttrs(r, prov.Name())...)
	}
	return true
}

func (d *Dispatcher) logAttrs(r *outboxRow, provider string) []any {
	return []any{"outbox_id", r.ID, "journey_id", r.JourneyID, "template", r.Template, "channel", r.Channel,
		"to", Redact(r.To), "provider", provider, "digest_items", len(r.followers) + 1}
}

func (d *Dispatcher) providerName(ch string) string {
	if p, err := d.providers.For(ch); err == nil {
		return p.Name()
	}
	return ""
}

// render builds the provider message; the link URL is derived from the
// link id now, so the outbox never holds a usable link.
func (d *Dispatcher) render(r *outboxRow) (Message, error) {
	msg := Message{OutboxID: r.ID, Channel: r.Channel, To: r.To, Template: r.Template}
	if r.PrevClaimedAt != nil {
		msg.ClaimedAt = *r.PrevClaimedAt
	} else {
		msg.ClaimedAt = r.ClaimedAt.Add(-d.cfg.Lease)
	}
	var out Rendered
	var err error
	if len(r.followers) > 0 {
		out, err = d.renderDigest(r)
	} else {
		out, err = d.renderOne(r)
	}
	msg.Subject, msg.Text, msg.HTML = out.Subject, out.Text, out.HTML
	return msg, err
}

func (d *Dispatcher) renderOne(r *outboxRow) (Rendered, error) {
	link, err := d.linkURL(r.LinkID)
	if err != nil {
		return Rendered{}, err
	}
	home, err := d.linkURL(r.HomeLinkID)
	if err != nil {
		return Rendered{}, err
	}
	return d.templates.Render(RenderInput{Template: r.Template, Language: r.Language, Channel: r.Channel,
		RecipientKind: r.Kind, Params: r.Params, Program: d.cfg.Program, Contact: d.cfg.Contact, Link: link,
		HomeLink: home, StaffPage: d.staffPage(r.Template, r.JourneyID)})
}

func (d *Dispatcher) linkURL(linkID string) (string, error) {
	if linkID == "" {
		return "", nil
	}
	if d.cfg.Links == nil {
		return "", errors.New("message has a link but the dispatcher has no link minter")
	}
	return d.cfg.Links.URL(linkID)
}

// recordSent marks the row(s) sent with the provider's id, then applies
// any status event that arrived before this commit. A webhook may already
// have moved the row further; it is never moved back.
func (d *Dispatcher) recordSent(ctx context.Context, r *outboxRow, provider, providerID string) bool {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	ids := r.ids()
	pids := make([]string, len(ids))
	for i := range pids {
		pids[i] = providerID
	}
	err := recordSentMany(ctx, d, provider, ids, pids, r.linkIDs())
	if err != nil {
		// The lease will lapse and the next attempt finds the message at
		// the provider: it is not sent twice.
		d.log.ErrorContext(ctx, "record sent message", "outbox_id", r.ID, "err", err)
		return false
	}
	return true
}

// finish handles a failed attempt: permanent failures are final (and the
// contact flagged), transient ones are retried with backoff, never dropped.
func (d *Dispatcher) finish(ctx context.Context, r *outboxRow, pe *ProviderError, c *drainCounters) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	attrs := append(d.logAttrs(r, d.providerName(r.Channel)), "code", pe.Code, "uncertain", pe.Uncertain)
	if pe.Permanent {
		if err := d.markFinal(ctx, r, pe); err != nil {
			d.log.ErrorContext(ctx, "record undeliverable message", "outbox_id", r.ID, "err", err)
			return
		}
		c.undeliverable.Add(1)
		d.count(r.Channel, OutcomeFailed, 1)
		d.log.WarnContext(ctx, "message undeliverable", append(attrs, "reason", pe.Reason)...)
		return
	}
	if pe.RateLimited {
		d.pacers[r.Channel].Pause(max(pe.RetryAfter, time.Second))
	}
	until := d.clock.Now().Add(d.backoff(r.Attempts, pe.RetryAfter))
	if r.Channel == ChannelSMS {
		until = r.Quiet.NextAllowed(until, location(r.Timezone))
	}
	// Uncertain failures keep the row "sending" (lease ending at the retry
	// time), so the retry asks the provider before sending again. After a
	// clean refusal (or a lookup that found nothing) a plain retry is safe.
	r.PrevStatus = "queued"
	if pe.Uncertain {
		r.PrevStatus = "sending"
	}
	if err := d.reschedule(ctx, r, until, pe); err != nil {
		d.log.ErrorContext(ctx, "reschedule message", "outbox_id", r.ID, "err", err)
		return
	}
	c.retried.Add(1)
	d.count(r.Channel, OutcomeRetried, 1)
	d.log.InfoContext(ctx, "message will be retried", append(attrs, "retry_at", until)...)
}

func (d *Dispatcher) reschedule(ctx context.Context, r *outboxRow, until time.Time, pe *ProviderError) error {
	return store.New(d.pool).RescheduleMessages(ctx, r.ids(), until, r.uncertain(), pe.Code, scrub(errText(pe)), d.clock.Now())
}

// backoff grows exponentially with the attempt number, with ±20% jitter
// so a burst of failures does not retry in lockstep.
func (d *Dispatcher) backoff(attempts int, hint time.Duration) time.Duration {
	b := d.cfg.RetryBase << min(max(attempts-1, 0), 16)
	if b <= 0 || b > d.cfg.RetryMax {
		b = d.cfg.RetryMax
	}
	b = time.Duration(float64(b) * (0.8 + 0.4*rand.Float64()))
	return max(b, hint)
}

// markFinal records a permanent failure and flags the contact, in one
// transaction; the notifier then tells OnUndeliverable.
func (d *Dispatcher) markFinal(ctx context.Context, r *outboxRow, pe *ProviderError) error {
	status := "failed"
	if pe.Reason == ReasonInvalid || pe.Reason == ReasonUnsubscribed {
		status = "undeliverable"
	}
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	if err := store.FailMessages(ctx, tx, r.ids(), status, pe.Reason, pe.Code, scrub(errText(pe)), d.clock.Now()); err != nil {
		return fmt.Errorf("mark message %d %s: %w", r.ID, status, err)
	}
	if status == "undeliverable" {
		if err := flagContact(ctx, tx, r.Channel, r.To, pe.Reason, "provider error "+pe.Code); err != nil {
			return err
		}
	}
	return tx.Commit(ctx)
}

func errText(pe *ProviderError) string {
	if pe.Err == nil {
		return ""
	}
	return pe.Err.Error()
}

var (
	phonePattern = regexp.MustCompile(`\+?[0-9][0-9 ()-]{6,}[0-9]`)
	emailPattern = regexp.MustCompile(`[^\s"'<>@]+@[^\s"'<>]+`)
)

// scrub takes phone numbers and email addresses out of a provider's error
// text (Twilio's 21211 message quotes the number) before it is stored.
func scrub(s string) string {
	s = emailPattern.ReplaceAllStringFunc(s, Redact)
	return phonePattern.ReplaceAllStringFunc(s, Redact)
}
