package store

// Action links (internal/links): the rows behind the secure URLs people
// open instead of signing in. The token's crypto and the rules about
// which link still works stay in internal/links; these are its
// statements. Each takes a Querier, as links run both on their own and
// inside the transaction that queues the message carrying them.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Querier runs statements: the pool, or a transaction in progress.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// ActionLink is one action link's row.
type ActionLink struct {
	ID             string
	JourneyID      string
	PersonKind     string
	PersonRef      string
	Action         string
	SubjectRef     string
	DocumentSHA256 []byte
	SingleUse      bool
	ExpiresAt      time.Time
	UsedAt         *time.Time
	RevokedAt      *time.Time
	// RevokedReason says who or what turned the link off (links.Reason*).
	RevokedReason string
	Uses          int
}

// NewActionLink is a link to store: its id, the hash of its token, what
// it is for and how long it lives.
type NewActionLink struct {
	ID                               string
	TokenHash                        []byte
	JourneyID, PersonKind, PersonRef string
	Action, SubjectRef               string
	DocumentSHA256                   []byte
	SingleUse                        bool
	TTL                              time.Duration
}

const insertActionLinkSQL = `INSERT INTO action_links (id, token_hash, journey_id, person_kind, person_ref, action,
		document_sha256, subject_ref, single_use, expires_at) VALUES ($1,$2,NULLIF($3,'')::uuid,$4,$5,$6,$7,$8,$9, now() + $10::interval)`

// InsertActionLink stores a new link.
func InsertActionLink(ctx context.Context, q Querier, l NewActionLink) error {
	_, err := q.Exec(ctx, insertActionLinkSQL,
		l.ID, l.TokenHash, l.JourneyID, l.PersonKind, l.PersonRef, l.Action, l.DocumentSHA256, l.SubjectRef,
		l.SingleUse, fmt.Sprintf("%d seconds", int64(l.TTL.Seconds())))
	return err
}

const actionLinkByTokenSQL = `SELECT id, COALESCE(journey_id::text,''), person_kind, person_ref, action, subject_ref,
		document_sha256, single_use, expires_at, used_at, revoked_at, COALESCE(revoked_reason, ''), uses
		FROM action_links WHERE token_hash = $1`

// ActionLinkByToken reads the link whose token hashes to tokenHash
// (ErrNotFound: none).
func ActionLinkByToken(ctx context.Context, q Querier, tokenHash []byte) (ActionLink, error) {
	var l ActionLink
	err := q.QueryRow(ctx, actionLinkByTokenSQL, tokenHash).Scan(&l.ID, &l.JourneyID, &l.PersonKind,
		&l.PersonRef, &l.Action, &l.SubjectRef, &l.DocumentSHA256, &l.SingleUse, &l.ExpiresAt, &l.UsedAt, &l.RevokedAt,
		&l.RevokedReason, &l.Uses)
	return l, notFound(err)
}

const workingActionLinkSQL = `SELECT id::text FROM action_links
		WHERE journey_id IS NOT DISTINCT FROM NULLIF($1,'')::uuid AND person_kind = $2 AND person_ref = $3
			AND action = $4 AND subject_ref = $5 AND document_sha256 IS NOT DISTINCT FROM $6
			AND revoked_at IS NULL AND expires_at > now() AND (NOT single_use OR used_at IS NULL)
		ORDER BY created_at DESC, id LIMIT 1`

// WorkingActionLink is the newest link for the same journey, person,
// action, subject and document that is neither revoked, expired nor spent
// (ErrNotFound: none).
func WorkingActionLink(ctx context.Context, q Querier, l NewActionLink) (string, error) {
	var id string
	err := q.QueryRow(ctx, workingActionLinkSQL,
		l.JourneyID, l.PersonKind, l.PersonRef, l.Action, l.SubjectRef, l.DocumentSHA256).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return id, err
}

const markActionLinkUsedSQL = `UPDATE action_links SET uses = uses + 1, used_at = COALESCE(used_at, now())
		WHERE id = $1 AND (revoked_at IS NULL OR revoked_reason = $2) AND (NOT single_use OR used_at IS NULL)`

// MarkActionLinkUsed records a use of a link that is live (or was closed
// for stepClosedReason) and, if single-use, unspent; false: none was.
func MarkActionLinkUsed(ctx context.Context, q Querier, id, stepClosedReason string) (bool, error) {
	tag, err := q.Exec(ctx, markActionLinkUsedSQL, id, stepClosedReason)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() > 0, nil
}

const revokeActionLinkSQL = `UPDATE action_links SET revoked_at = now(), revoked_reason = $2
		WHERE id = $1 AND revoked_at IS NULL`

// RevokeActionLink turns one live link off for reason.
func RevokeActionLink(ctx context.Context, q Querier, id, reason string) error {
	_, err := q.Exec(ctx, revokeActionLinkSQL, id, reason)
	return err
}

const revokePartyLinksSQL = `UPDATE action_links SET revoked_at = now(), revoked_reason = $3
		WHERE revoked_at IS NULL AND (
			(journey_id = $1 AND person_kind = ANY($2))
			OR (journey_id IS NULL AND action = $4 AND (person_kind, person_ref) IN (
				SELECT person_kind, person_ref FROM action_links WHERE journey_id = $1 AND person_kind = ANY($2))))`

// RevokePartyLinks turns off every live link the journey gave people of
// these kinds, and those people's inbox (inboxAction) links; it returns how
// many it turned off.
func RevokePartyLinks(ctx context.Context, q Querier, journeyID string, personKinds []string, reason, inboxAction string) (int64, error) {
	tag, err := q.Exec(ctx, revokePartyLinksSQL, journeyID, personKinds, reason, inboxAction)
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

const supersedeActionLinksSQL = `UPDATE action_links o SET revoked_at = now(), revoked_reason = $2
		FROM action_links n
		WHERE n.id = ANY($1::uuid[]) AND n.revoked_at IS NULL AND n.person_kind <> 'staff'
			AND o.revoked_at IS NULL AND o.id <> n.id
			AND o.person_ref = n.person_ref AND o.action = n.action AND o.person_kind = n.person_kind
			AND o.subject_ref = n.subject_ref AND o.journey_id IS NOT DISTINCT FROM n.journey_id
			AND o.created_at < n.created_at`

// SupersedeActionLinks turns off, for each new link, the older live links
// of the same person, journey, action and subject (staff sign-in links
// excepted), for reason.
func SupersedeActionLinks(ctx context.Context, q Querier, newIDs []string, reason string) error {
	_, err := q.Exec(ctx, supersedeActionLinksSQL, newIDs, reason)
	return err
}
