package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// OpenWait is one thing a workflow is waiting for from one party right
// now. Messages that serve a wait carry its key, and the dispatcher sends
// them only while the wait is open for the party they ask (see
// messaging's send-time check), so a held reminder never reaches someone
// who has already acted.
type OpenWait struct {
	Key     string    `json:"key"`
	Party   string    `json:"party"`
	AskedAt time.Time `json:"asked_at"`
}

// WaitSet replaces every open wait an owner holds (a journey, one of its
// timesheet weeks, an MOU) with Waits. ClosedOwners are other owners of
// the same journey that are over (a cancelled week): their waits go too.
type WaitSet struct {
	Owner        string     `json:"owner"`
	Waits        []OpenWait `json:"waits"`
	ClosedOwners []string   `json:"closed_owners,omitempty"`
}

// JourneyWaitOwner owns the waits a journey itself runs; WeekWaitOwner
// those of one timesheet week.
const JourneyWaitOwner = "journey"

// WeekWaitOwner is the owner of a timesheet week's waits.
func WeekWaitOwner(week string) string { return "week:" + week }

// SyncWaits writes an owner's open waits inside the caller's transaction.
// journeyID may be empty for waits outside a journey (an MOU).
func SyncWaits(ctx context.Context, tx pgx.Tx, journeyID string, s WaitSet) error {
	keys, parties, asked := make([]string, len(s.Waits)), make([]string, len(s.Waits)), make([]time.Time, len(s.Waits))
	for i, w := range s.Waits {
		keys[i], parties[i], asked[i] = w.Key, w.Party, w.AskedAt
	}
	owners := append([]string{s.Owner}, s.ClosedOwners...)
	if _, err := tx.Exec(ctx, `DELETE FROM open_waits WHERE owner = ANY($2)
			AND journey_id IS NOT DISTINCT FROM NULLIF($1,'')::uuid
			AND NOT (owner = $3 AND wait_key = ANY($4))`,
		journeyID, owners, s.Owner, keys); err != nil {
		return fmt.Errorf("close waits of %s: %w", s.Owner, err)
	}
	if len(s.Waits) == 0 {
		return nil
	}
	// One statement for the set: this runs with every journey write.
	if _, err := tx.Exec(ctx, `INSERT INTO open_waits (wait_key, owner, journey_id, party, asked_at)
			SELECT k, $2, NULLIF($3,'')::uuid, p, a FROM unnest($1::text[], $4::text[], $5::timestamptz[]) AS w(k, p, a)
			ON CONFLICT (wait_key) DO UPDATE SET party = EXCLUDED.party, asked_at = EXCLUDED.asked_at, owner = EXCLUDED.owner`,
		keys, s.Owner, journeyID, parties, asked); err != nil {
		return fmt.Errorf("open waits of %s: %w", s.Owner, err)
	}
	return nil
}

// closeAllWaits removes every open wait of a journey that has ended, its
// weeks' included: nothing queued for it may go out any more.
func closeAllWaits(ctx context.Context, tx pgx.Tx, journeyID string) error {
	_, err := tx.Exec(ctx, `DELETE FROM open_waits WHERE journey_id = $1`, journeyID)
	return err
}
