package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
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
		recorded, err := store.RecordMessageEvent(ctx, tx, ev.row(), now)
		if err != nil {
			return fmt.Errorf("store %s event: %w", ev.Provider, err)
		}
		if !recorded {
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
	if err := store.MoveMessageStatus(ctx, tx, ev.row(), now); err != nil {
		return fmt.Errorf("update message status: %w", err)
	}
	return nil
}

func (ev statusEvent) row() store.MessageEvent {
	return store.MessageEvent{Provider: ev.Provider, EventID: ev.EventID, ProviderID: ev.ProviderID, MessageID: ev.MessageID,
		Event: ev.Event, Status: ev.Status, Reason: ev.Reason, ErrorCode: ev.ErrorCode}
}
