package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// statusEvent is one provider report about a message we sent.
type statusEvent struct {
	Provider   string // "twilio" or "sendgrid"
	EventID    string // unique per report: redeliveries are ignored
	ProviderID string
	// MessageID is our outbox id when the provider echoes it (SendGrid's
	// custom_args); 0 otherwise.
	MessageID int64
	Event     string // the provider's word
	// Status is ours: sent, delivered, failed, undeliverable; "" changes
	// nothing. Reason says why for failures.
	Status, Reason string
	ErrorCode      string
	// Flag, when set, is the contact_optouts reason to record for Address.
	Flag             string
	Channel, Address string
}

// applyStatusEvent records an event once and moves the message forward
// (never back: "delivered" stays delivered after a late "sent"). An event
// for a message whose send is not recorded yet is kept and applied when
// it is (see applyEarlyEvents).
func applyStatusEvent(ctx context.Context, pool *pgxpool.Pool, ev statusEvent, now time.Time) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO message_events (provider, event_id, provider_id, message_id, event, status,
				fail_reason, error_code, received_at)
			VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6, NULLIF($7,''), NULLIF($8,''), $9)
			ON CONFLICT (provider, event_id) DO NOTHING`,
			ev.Provider, ev.EventID, ev.ProviderID, ev.MessageID, ev.Event, ev.Status, ev.Reason, ev.ErrorCode, now)
		if err != nil {
			return fmt.Errorf("store %s event: %w", ev.Provider, err)
		}
		if tag.RowsAffected() == 0 {
			return nil // a redelivery
		}
		if ev.Status != "" {
			if err := moveStatus(ctx, tx, ev, now); err != nil {
				return err
			}
		}
		if ev.Flag != "" && ev.Address != "" {
			return flagContact(ctx, tx, ev.Channel, ev.Address, ev.Flag, ev.Provider+" "+ev.Event)
		}
		return nil
	})
}

func moveStatus(ctx context.Context, tx pgx.Tx, ev statusEvent, now time.Time) error {
	const set = `UPDATE messages SET status = $1, fail_reason = COALESCE(NULLIF($2,''), fail_reason),
		error_code = COALESCE(NULLIF($3,''), error_code), lease_until = NULL, updated_at = $4 `
	const forward = ` AND messaging_status_rank(status) < messaging_status_rank($1)`
	var err error
	if ev.MessageID != 0 {
		// A digest's followers share the lead's email.
		_, err = tx.Exec(ctx, set+`WHERE (id = $5 OR digest_lead = $5)`+forward,
			ev.Status, ev.Reason, ev.ErrorCode, now, ev.MessageID)
	} else {
		_, err = tx.Exec(ctx, set+`WHERE provider = $5 AND provider_id = $6`+forward,
			ev.Status, ev.Reason, ev.ErrorCode, now, ev.Provider, ev.ProviderID)
	}
	if err != nil {
		return fmt.Errorf("update message status: %w", err)
	}
	return nil
}
