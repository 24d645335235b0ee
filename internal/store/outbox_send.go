package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The outbox's sending side: claiming due messages fairly, dropping those
// whose step closed or whose address opted out, digests, rescheduling and
// final failures, and reading a message back to render it as sent.

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

// pendingDigestItems selects the other reminders waiting for the
// address's digest ($1 the lead, $2 the address), locked.
const pendingDigestItems = `SELECT id FROM messages m
	WHERE channel = (SELECT channel FROM messages WHERE id = $1) AND to_address = $2 AND status = 'queued' AND reminder
		AND recipient_kind IN ('employer', 'supervisor')
		AND id <> $1 AND (digest_lead IS NULL OR digest_lead = $1)
	ORDER BY id FOR UPDATE SKIP LOCKED`

const (
	postponeMessages = `UPDATE messages SET
			status = CASE WHEN $3 THEN 'sending' ELSE 'queued' END,
			lease_until = CASE WHEN $3 THEN $2::timestamptz END,
			send_after = $2, attempts = greatest(attempts - $4, 0), updated_at = $5
		WHERE id = ANY($1)`
	rescheduleMessages = `UPDATE messages SET
			status = CASE WHEN $3 THEN 'sending' ELSE 'queued' END,
			lease_until = CASE WHEN $3 THEN $2::timestamptz END,
			send_after = $2, error_code = $4, error_message = $5, updated_at = $6
		WHERE id = ANY($1) AND status = 'sending'`
	failMessages = `UPDATE messages SET status = $2, fail_reason = $3, error_code = $4, error_message = $5,
			lease_until = NULL, updated_at = $6 WHERE id = ANY($1)`

	qLinkLasting   = `SELECT expires_at > now() + $2::interval FROM action_links WHERE id = $1`
	setInboxLink   = `UPDATE messages SET inbox_link_id = $2 WHERE id = $1`
	claimDigestDay = `INSERT INTO message_digests (address, local_day, lead_id) VALUES ($1, $2::date, $3)
		ON CONFLICT (address, local_day) DO NOTHING`
	qDigestDayLead          = `SELECT lead_id FROM message_digests WHERE address = $1 AND local_day = $2::date`
	markDigestLead          = `UPDATE messages SET digest_lead = id WHERE id = $1`
	cancelClosedDigestItems = `UPDATE messages m SET status = 'cancelled', fail_reason = 'step_closed', updated_at = $3
		WHERE m.id IN (` + pendingDigestItems + `) AND ` + waitClosed
	leaseDigestItems = `UPDATE messages m SET status = 'sending', digest_lead = $1, lease_until = $4,
			claimed_at = $3, attempts = m.attempts + 1, updated_at = $3
		WHERE m.id IN (` + pendingDigestItems + `)
		RETURNING ` + outboxCols
	relockDigestItems = `UPDATE messages m SET lease_until = $2, claimed_at = $3, updated_at = $3
		WHERE m.digest_lead = $1 AND m.id <> $1 AND m.status = 'sending'
		RETURNING ` + outboxCols
)

// storedCols are outboxCols for a row that may never have been claimed
// (no lease, no claim time yet), so any message can be rendered.
var storedCols = strings.NewReplacer(
	"m.lease_until", "COALESCE(m.lease_until, 'epoch')",
	"m.claimed_at", "COALESCE(m.claimed_at, 'epoch')",
).Replace(outboxCols)

// OutboxMessage is a message row as the sender reads it.
type OutboxMessage struct {
	ID                              int64
	JourneyID, DistrictID, SchoolID string
	Kind, Ref                       string
	Channel, To, Language, Template string
	Params                          map[string]string
	LinkID, HomeLinkID, InboxLinkID string
	Attempts                        int
	LeaseUntil, ClaimedAt           time.Time
	Timezone                        string
	QuietStart, QuietEnd            int
	Reminder                        bool
	// PrevStatus and PrevClaimedAt are the status and claim time before
	// this claim (set by LeaseClaimed only).
	PrevStatus    string
	PrevClaimedAt *time.Time
}

func scanOutboxMessage(row pgx.Row, extra ...any) (OutboxMessage, error) {
	var m OutboxMessage
	dst := []any{&m.ID, &m.JourneyID, &m.DistrictID, &m.SchoolID, &m.Kind, &m.Ref, &m.Channel, &m.To, &m.Language,
		&m.Template, &m.Params, &m.LinkID, &m.Attempts, &m.LeaseUntil, &m.ClaimedAt, &m.Timezone, &m.QuietStart, &m.QuietEnd, &m.Reminder,
		&m.HomeLinkID, &m.InboxLinkID}
	return m, row.Scan(append(dst, extra...)...)
}

// ClaimCandidateIDs ranks due messages of the channel round-robin across
// schools, starting after lastSchool (see claimCandidates).
func ClaimCandidateIDs(ctx context.Context, db DB, channel string, now time.Time, lastSchool string, limit int) ([]int64, error) {
	rows, err := db.Query(ctx, claimCandidates, channel, now, lastSchool, limit)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// LeaseClaimed leases the candidates nobody else holds and still due,
// until leaseUntil, in no particular order.
func LeaseClaimed(ctx context.Context, db DB, ids []int64, now, leaseUntil time.Time) ([]OutboxMessage, error) {
	rows, err := db.Query(ctx, claimLocked, ids, now, leaseUntil)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (OutboxMessage, error) {
		var prev string
		var prevAt *time.Time
		m, err := scanOutboxMessage(row, &prev, &prevAt)
		m.PrevStatus, m.PrevClaimedAt = prev, prevAt
		return m, err
	})
}

// CancelClosed cancels the messages whose wait closed and returns their ids.
func CancelClosed(ctx context.Context, db DB, ids []int64, now time.Time) ([]int64, error) {
	return dropMessages(ctx, db, cancelClosed, ids, now)
}

// SuppressOptedOut suppresses the messages whose address opted out or went
// bad since they were queued, and returns their ids.
func SuppressOptedOut(ctx context.Context, db DB, ids []int64, now time.Time) ([]int64, error) {
	return dropMessages(ctx, db, suppressOptedOut, ids, now)
}

func dropMessages(ctx context.Context, db DB, query string, ids []int64, now time.Time) ([]int64, error) {
	res, err := db.Query(ctx, query, ids, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(res, pgx.RowTo[int64])
}

// PostponeMessages puts claimed messages back until a later time; sending
// keeps them "sending" (the provider is asked first next time), and
// giveBack returns that many counted attempts.
func PostponeMessages(ctx context.Context, db DB, ids []int64, until time.Time, sending bool, giveBack int, now time.Time) error {
	_, err := db.Exec(ctx, postponeMessages, ids, until, sending, giveBack, now)
	return err
}

// RescheduleMessages retries sending messages at until, recording the
// provider's error.
func (s *Store) RescheduleMessages(ctx context.Context, ids []int64, until time.Time, sending bool, code, message string, now time.Time) error {
	_, err := s.Pool.Exec(ctx, rescheduleMessages, ids, until, sending, code, message, now)
	return err
}

// FailMessages records a final status (failed, undeliverable) with why.
func FailMessages(ctx context.Context, db DB, ids []int64, status, reason, code, message string, now time.Time) error {
	_, err := db.Exec(ctx, failMessages, ids, status, reason, code, message, now)
	return err
}

// LinkLasting reports whether the action link works for at least minLife
// more (the database's clock decides link expiry).
func LinkLasting(ctx context.Context, db DB, linkID string, minLife time.Duration) (bool, error) {
	var lasting bool
	err := db.QueryRow(ctx, qLinkLasting, linkID, fmt.Sprintf("%d seconds", int64(minLife.Seconds()))).Scan(&lasting)
	return lasting, err
}

// SetInboxLink records the inbox link a digest lead points to.
func SetInboxLink(ctx context.Context, db DB, messageID int64, linkID string) error {
	_, err := db.Exec(ctx, setInboxLink, messageID, linkID)
	return err
}

// TakeDigestDay claims the address's digest of the local day for message
// id, unless another message has it, and returns the day's lead; a
// message that leads is marked so.
func TakeDigestDay(ctx context.Context, db DB, address, day string, id int64) (leadID int64, err error) {
	if _, err := db.Exec(ctx, claimDigestDay, address, day, id); err != nil {
		return 0, err
	}
	if err := db.QueryRow(ctx, qDigestDayLead, address, day).Scan(&leadID); err != nil {
		return 0, err
	}
	if leadID != id {
		return leadID, nil
	}
	_, err = db.Exec(ctx, markDigestLead, id)
	return leadID, err
}

// CancelClosedDigestItems cancels the address's pending digest items
// whose step closed while they waited, and returns how many.
func CancelClosedDigestItems(ctx context.Context, db DB, leadID int64, address string, now time.Time) (int, error) {
	tag, err := db.Exec(ctx, cancelClosedDigestItems, leadID, address, now)
	return int(tag.RowsAffected()), err
}

// LeaseDigestItems leases every other pending digest item of the address
// to the lead, in id order.
func LeaseDigestItems(ctx context.Context, db DB, leadID int64, address string, now, leaseUntil time.Time) ([]OutboxMessage, error) {
	rows, err := db.Query(ctx, leaseDigestItems, leadID, address, now, leaseUntil)
	if err != nil {
		return nil, err
	}
	return collectSorted(rows)
}

// RelockDigestItems extends the lease of a digest's items for a retry.
func RelockDigestItems(ctx context.Context, db DB, leadID int64, leaseUntil, now time.Time) ([]OutboxMessage, error) {
	rows, err := db.Query(ctx, relockDigestItems, leadID, leaseUntil, now)
	if err != nil {
		return nil, err
	}
	return collectSorted(rows)
}

// StoredMessage reads a message whatever its state.
func StoredMessage(ctx context.Context, db DB, id int64) (OutboxMessage, error) {
	return scanOutboxMessage(db.QueryRow(ctx, `SELECT `+storedCols+` FROM messages m WHERE m.id = $1`, id))
}

// StoredDigestItems reads the other messages a sent digest carried.
func StoredDigestItems(ctx context.Context, db DB, leadID int64) ([]OutboxMessage, error) {
	rows, err := db.Query(ctx, `SELECT `+storedCols+` FROM messages m
			WHERE m.digest_lead = $1 AND m.id <> $1 ORDER BY m.id`, leadID)
	if err != nil {
		return nil, err
	}
	return collectSorted(rows)
}

func collectSorted(rows pgx.Rows) ([]OutboxMessage, error) {
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OutboxMessage, error) { return scanOutboxMessage(row) })
	slices.SortFunc(out, func(a, b OutboxMessage) int { return int(a.ID - b.ID) })
	return out, err
}

// recordSentSQL marks rows sent with their provider ids ($1 ids, $2
// provider ids, $3 provider, $4 now), never moving a status backwards.
const recordSentSQL = `UPDATE messages m SET
			status = CASE WHEN messaging_status_rank(m.status) < messaging_status_rank('sent') THEN 'sent' ELSE m.status END,
			provider = $3, provider_id = v.pid, sent_at = COALESCE(m.sent_at, $4), lease_until = NULL,
			error_code = NULL, error_message = NULL, updated_at = $4
		FROM unnest($1::bigint[], $2::text[]) AS v(id, pid) WHERE m.id = v.id`

// applyEarlyEventsSQL applies status events that arrived before the send
// was recorded ($1 provider, $2 provider ids, $3 now).
const applyEarlyEventsSQL = `UPDATE messages m SET status = e.status, fail_reason = COALESCE(e.fail_reason, m.fail_reason),
			error_code = COALESCE(e.error_code, m.error_code), updated_at = $3
		FROM (SELECT DISTINCT ON (provider_id) provider_id, status, fail_reason, error_code FROM message_events
			WHERE provider = $1 AND provider_id = ANY($2) AND status <> ''
			ORDER BY provider_id, messaging_status_rank(status) DESC, received_at) e
		WHERE m.provider = $1 AND m.provider_id = e.provider_id
			AND messaging_status_rank(m.status) < messaging_status_rank(e.status)`

// RecordSentMany marks messages sent with their provider ids and applies
// any status events that beat the record, in one batch (one implicit
// transaction).
func (s *Store) RecordSentMany(ctx context.Context, provider string, ids []int64, pids []string, now time.Time) error {
	b := &pgx.Batch{}
	b.Queue(recordSentSQL, ids, pids, provider, now)
	b.Queue(applyEarlyEventsSQL, provider, pids, now)
	return s.Pool.SendBatch(ctx, b).Close()
}
