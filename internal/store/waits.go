package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows/facts"
)

// SyncWaits writes an owner's open waits inside the caller's transaction.
// journeyID may be empty for waits outside a journey (an MOU).
func SyncWaits(ctx context.Context, tx pgx.Tx, journeyID string, s facts.WaitSet) error {
	keys, parties, asked := make([]string, len(s.Waits)), make([]string, len(s.Waits)), make([]time.Time, len(s.Waits))
	for i, w := range s.Waits {
		keys[i], parties[i], asked[i] = w.Key, w.Party, w.AskedAt
	}
	owners := append([]string{s.Owner}, s.ClosedOwners...)
	rows, err := tx.Query(ctx, `DELETE FROM open_waits WHERE owner = ANY($2)
			AND journey_id IS NOT DISTINCT FROM NULLIF($1,'')::uuid
			AND NOT (owner = $3 AND wait_key = ANY($4))
			RETURNING wait_key`,
		journeyID, owners, s.Owner, keys)
	if err != nil {
		return fmt.Errorf("close waits of %s: %w", s.Owner, err)
	}
	closed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("close waits of %s: %w", s.Owner, err)
	}
	if len(s.Waits) == 0 {
		return closeWaitLinks(ctx, tx, closed)
	}
	// One statement for the set: this runs with every journey write.
	if _, err := tx.Exec(ctx, `INSERT INTO open_waits (wait_key, owner, journey_id, party, asked_at)
			SELECT k, $2, NULLIF($3,'')::uuid, p, a FROM unnest($1::text[], $4::text[], $5::timestamptz[]) AS w(k, p, a)
			ON CONFLICT (wait_key) DO UPDATE SET party = EXCLUDED.party, asked_at = EXCLUDED.asked_at, owner = EXCLUDED.owner`,
		keys, s.Owner, journeyID, parties, asked); err != nil {
		return fmt.Errorf("open waits of %s: %w", s.Owner, err)
	}
	// A kept key may have moved to another party (the badge from the
	// student to its reviewer): the first party's links are done too.
	return closeWaitLinks(ctx, tx, append(closed, keys...))
}

// closeWaitLinks turns off the action links that messages serving these
// waits carried, where the wait is no longer open for the party the
// message asked (the send-time check's rule, messaging.waitClosed): a
// finished survey's links stop working and say the step is done. A link
// whose page still serves another open step of the same person (a
// supervisor's approvals list while other weeks wait) stays on until the
// last one closes. The reason is links.ReasonStepClosed (store cannot
// import links: links' tests build on store).
func closeWaitLinks(ctx context.Context, tx pgx.Tx, waitKeys []string) error {
	if len(waitKeys) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE action_links l SET revoked_at = now(), revoked_reason = 'step_closed'
		FROM messages m
		WHERE m.wait_key = ANY($1) AND m.link_id IS NOT NULL AND l.id = m.link_id AND l.revoked_at IS NULL
			AND NOT EXISTS (SELECT 1 FROM open_waits w
				WHERE w.wait_key = m.wait_key AND (m.wait_party IS NULL OR w.party = m.wait_party))
			AND NOT EXISTS (SELECT 1 FROM messages m2
				JOIN open_waits w2 ON w2.wait_key = m2.wait_key AND w2.party = m2.wait_party
				JOIN action_links l2 ON l2.id = m2.link_id
				WHERE m2.journey_id = m.journey_id AND m2.link_id IS NOT NULL AND l2.action = l.action
					AND l2.person_kind = l.person_kind AND l2.person_ref = l.person_ref)`, waitKeys)
	if err != nil {
		return fmt.Errorf("close links of %d closed waits: %w", len(waitKeys), err)
	}
	return nil
}

// closeAllWaits removes every open wait of a journey that has ended, its
// weeks' included: nothing queued for it may go out any more.
func closeAllWaits(ctx context.Context, tx pgx.Tx, journeyID string) error {
	rows, err := tx.Query(ctx, `DELETE FROM open_waits WHERE journey_id = $1 RETURNING wait_key`, journeyID)
	if err != nil {
		return err
	}
	closed, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	return closeWaitLinks(ctx, tx, closed)
}
