package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// What becomes of a sent message: provider status events, the statuses
// they move messages to, undeliverable messages reported once, and the
// per-channel sender lock.
const (
	insertMessageEvent = `INSERT INTO message_events (provider, event_id, provider_id, message_id, event, status,
				fail_reason, error_code, received_at)
			VALUES ($1, $2, $3, NULLIF($4, 0), $5, $6, NULLIF($7,''), NULLIF($8,''), $9)
			ON CONFLICT (provider, event_id) DO NOTHING`
	setMessageStatus = `UPDATE messages SET status = $1, fail_reason = COALESCE(NULLIF($2,''), fail_reason),
		error_code = COALESCE(NULLIF($3,''), error_code), lease_until = NULL, updated_at = $4 `
	// statusForward keeps a status from moving back ("delivered" stays
	// delivered after a late "sent").
	statusForward = ` AND messaging_status_rank(status) < messaging_status_rank($1)`

	qUndeliverable = `SELECT id, COALESCE(journey_id::text,''), COALESCE(school_id::text,''),
			COALESCE(district_id::text,''), recipient_kind, recipient_ref, channel, template,
			COALESCE(fail_reason, CASE status WHEN 'suppressed' THEN 'opted_out' ELSE 'failed' END)
		FROM messages WHERE notified_at IS NULL AND status IN ('failed', 'undeliverable', 'suppressed')
		ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`
	markNotified = `UPDATE messages SET notified_at = $2 WHERE id = ANY($1)`

	qTrySenderLock    = `SELECT pg_try_advisory_lock($1)`
	releaseSenderLock = `SELECT pg_advisory_unlock($1)`
)

// MessageEvent is one provider report about a message we sent.
type MessageEvent struct {
	Provider, EventID, ProviderID string
	// MessageID is our outbox id when the provider echoes it; 0 otherwise.
	MessageID int64
	Event     string
	// Status is ours ("" changes nothing), Reason why it failed.
	Status, Reason, ErrorCode string
}

// RecordMessageEvent keeps the event once; recorded is false for a
// redelivery.
func RecordMessageEvent(ctx context.Context, db DB, ev MessageEvent, now time.Time) (recorded bool, err error) {
	tag, err := db.Exec(ctx, insertMessageEvent,
		ev.Provider, ev.EventID, ev.ProviderID, ev.MessageID, ev.Event, ev.Status, ev.Reason, ev.ErrorCode, now)
	return tag.RowsAffected() > 0, err
}

// MoveMessageStatus moves the event's message forward to its status:
// the message (and a digest's followers, which share the lead's email)
// by our id, else by the provider's id.
func MoveMessageStatus(ctx context.Context, db DB, ev MessageEvent, now time.Time) error {
	var err error
	if ev.MessageID != 0 {
		_, err = db.Exec(ctx, setMessageStatus+`WHERE (id = $5 OR digest_lead = $5)`+statusForward,
			ev.Status, ev.Reason, ev.ErrorCode, now, ev.MessageID)
	} else {
		_, err = db.Exec(ctx, setMessageStatus+`WHERE provider = $5 AND provider_id = $6`+statusForward,
			ev.Status, ev.Reason, ev.ErrorCode, now, ev.Provider, ev.ProviderID)
	}
	return err
}

// UndeliverableMessage is a failed, undeliverable or suppressed message
// not yet reported.
type UndeliverableMessage struct {
	MessageID                       int64
	JourneyID, SchoolID, DistrictID string
	RecipientKind, RecipientRef     string
	Channel, Template, Reason       string
}

// UnreportedUndeliverable locks up to 100 unreported undeliverable
// messages (skipping those another replica holds), oldest first.
func UnreportedUndeliverable(ctx context.Context, tx pgx.Tx) ([]UndeliverableMessage, error) {
	rows, err := tx.Query(ctx, qUndeliverable)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[UndeliverableMessage])
}

// MarkReported records that the messages were reported at now.
func MarkReported(ctx context.Context, db DB, ids []int64, now time.Time) error {
	_, err := db.Exec(ctx, markNotified, ids, now)
	return err
}

// TrySenderLock takes the session advisory lock key on conn; ok is false
// when another session holds it.
func TrySenderLock(ctx context.Context, conn DB, key int64) (ok bool, err error) {
	err = conn.QueryRow(ctx, qTrySenderLock, key).Scan(&ok)
	return ok, err
}

// ReleaseSenderLock releases the session advisory lock key on conn.
func ReleaseSenderLock(ctx context.Context, conn DB, key int64) error {
	_, err := conn.Exec(ctx, releaseSenderLock, key)
	return err
}
