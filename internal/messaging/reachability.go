package messaging

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// Who can be reached on which channel is decided in one place, in
// PostgreSQL (migrations 0401_reachability.sql): an address is unusable
// when it is missing or flagged in contact_optouts (flagContact: STOP, a
// provider's unsubscribe, a bounce, an invalid number, a spam report), a
// person is unreachable when no channel is usable, and every open journey
// that depends on that person (journey_people: the student, guardians,
// the placement's supervisor or the supervisors of postings applied to)
// carries the Unreachable flag. Triggers refresh the flag when a flag is
// added or lifted (START) and when an address changes, so it clears by
// itself. chooseChannel applies the same rule when a message is queued.

// partyKinds are the journey_people kinds behind a journey party.
var partyKinds = map[string][]string{
	"student": {"student"}, "guardian": {"guardian"}, "employer": {"supervisor", "employer"},
}

// namePerson fills the person a contact_unreachable alert is about, so
// the coordinator reads "Dr. Kim (Maya's supervisor)" rather than a role:
// of the journey's people in that party, the one whose address on the
// alert's channel is unusable.
func namePerson(ctx context.Context, tx pgx.Tx, req Request, params map[string]string) error {
	kinds, ok := partyKinds[params["party"]]
	if req.Template != "contact_unreachable" || req.JourneyID == "" || params["person"] != "" || !ok {
		return nil
	}
	name, err := store.UnreachablePersonName(ctx, tx, req.JourneyID, kinds, params["channel"])
	if err != nil {
		return fmt.Errorf("name unreachable person: %w", err)
	}
	if name != "" {
		params["person"] = name
	}
	return nil
}

// ContactProblem is one person's unusable address, as staff read it.
type ContactProblem = store.ContactProblem

// JourneyContactProblems lists who on an open journey cannot be reached
// on which channel, and why.
func JourneyContactProblems(ctx context.Context, db querier, journeyID string) ([]ContactProblem, error) {
	rows, err := store.JourneyContactProblems(ctx, db, journeyID)
	if err != nil {
		return nil, fmt.Errorf("contact problems: %w", err)
	}
	return rows, nil
}

// FlaggedAddress is one of an employer's addresses we no longer use.
type FlaggedAddress struct {
	// Kind is "employer" (its contact) or "supervisor".
	Kind, Name       string
	Channel, Address string
	// Reason is the contact_optouts reason (bounced, invalid, ...).
	Reason string
	Since  time.Time
	// Journeys counts the open journeys flagged because of it.
	Journeys int
}

// EmployerFlaggedAddresses lists the employer's contact and supervisor
// addresses that are flagged, and how many open journeys depend on each.
func EmployerFlaggedAddresses(ctx context.Context, db querier, employerID string) ([]FlaggedAddress, error) {
	rows, err := store.EmployerFlaggedAddresses(ctx, db, employerID)
	if err != nil {
		return nil, fmt.Errorf("employer flagged addresses: %w", err)
	}
	out := make([]FlaggedAddress, len(rows))
	for i, r := range rows {
		out[i] = FlaggedAddress(r)
	}
	return out, nil
}
