package store

// The local inbox of `internflow dev` (internal/inbox): every message as
// its recipient got it, with who and which journey to filter by.

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LocalMessage is one message as the local inbox lists it.
type LocalMessage struct {
	ID                    int64
	JourneyID, Kind, Ref  string
	Name                  string // the recipient's name on record
	To, Channel, Template string
	Status                string
	SendAfter             time.Time
	SentAt                *time.Time
	FailReason, ErrorCode string
	DigestOf              int // pending items a digest carried (0: not a digest)
}

// localRecipientName is the recipient's name on record, by kind.
const localRecipientName = `COALESCE(CASE m.recipient_kind
		WHEN 'student' THEN (SELECT first_name || ' ' || last_name FROM students WHERE id::text = m.recipient_ref)
		WHEN 'guardian' THEN (SELECT name FROM guardians WHERE id::text = m.recipient_ref)
		WHEN 'supervisor' THEN (SELECT name FROM supervisors WHERE id::text = m.recipient_ref)
		WHEN 'employer' THEN (SELECT name FROM employers WHERE id::text = m.recipient_ref)
		WHEN 'staff' THEN (SELECT name FROM staff WHERE id::text = m.recipient_ref)
	END, '')`

const localMessagesSQL = `
		SELECT m.id, COALESCE(m.journey_id::text, ''), m.recipient_kind, m.recipient_ref, ` + localRecipientName + `, m.to_address, m.channel,
			m.template, m.status, m.send_after, m.sent_at, COALESCE(m.fail_reason, ''), COALESCE(m.error_code, ''),
			(SELECT count(*) FROM messages f WHERE f.digest_lead = m.id AND f.id <> m.id)
		FROM messages m
		WHERE (m.digest_lead IS NULL OR m.digest_lead = m.id)
			AND ($1 = '' OR (m.recipient_kind = $1 AND m.recipient_ref = $2))
			AND ($3 = '' OR m.journey_id::text = $3)
		ORDER BY COALESCE(m.sent_at, m.send_after) DESC, m.id DESC
		LIMIT $4`

// LocalMessages lists messages newest first (a digest's items once, as
// the digest), of one recipient (kind "" for all) and journey ("" for all).
func (s *Store) LocalMessages(ctx context.Context, kind, ref, journeyID string, limit int) ([]LocalMessage, error) {
	rows, err := s.Pool.Query(ctx, localMessagesSQL, kind, ref, journeyID, limit)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (LocalMessage, error) {
		var x LocalMessage
		err := r.Scan(&x.ID, &x.JourneyID, &x.Kind, &x.Ref, &x.Name, &x.To, &x.Channel, &x.Template, &x.Status,
			&x.SendAfter, &x.SentAt, &x.FailReason, &x.ErrorCode, &x.DigestOf)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	return list, nil
}

// LocalChoice is one recipient or journey to filter the local inbox by.
type LocalChoice struct{ Key, Label string }

const (
	localRecipientsSQL = `SELECT DISTINCT m.recipient_kind || ':' || m.recipient_ref,
			m.recipient_kind || ': ' || ` + localRecipientName + `
		FROM messages m ORDER BY 2 LIMIT 1000`
	localJourneysSQL = `SELECT j.id::text, s.first_name || ' ' || s.last_name || ' (' || j.status || ')'
		FROM journeys j JOIN students s ON s.id = j.student_id
		WHERE EXISTS (SELECT 1 FROM messages m WHERE m.journey_id = j.id) ORDER BY 2 LIMIT 1000`
)

// LocalChoices lists the recipients and journeys that have messages.
func (s *Store) LocalChoices(ctx context.Context) (people, journeys []LocalChoice, err error) {
	rows, err := s.Pool.Query(ctx, localRecipientsSQL)
	if err != nil {
		return nil, nil, fmt.Errorf("list recipients: %w", err)
	}
	if people, err = pgx.CollectRows(rows, pgx.RowToStructByPos[LocalChoice]); err != nil {
		return nil, nil, fmt.Errorf("list recipients: %w", err)
	}
	rows, err = s.Pool.Query(ctx, localJourneysSQL)
	if err != nil {
		return nil, nil, fmt.Errorf("list journeys: %w", err)
	}
	if journeys, err = pgx.CollectRows(rows, pgx.RowToStructByPos[LocalChoice]); err != nil {
		return nil, nil, fmt.Errorf("list journeys: %w", err)
	}
	return people, journeys, nil
}
