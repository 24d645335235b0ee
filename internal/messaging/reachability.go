package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
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
	rows, err := tx.Query(ctx, `SELECT name FROM journey_people WHERE journey_id = $1 AND kind = ANY($2)
		ORDER BY usable_address($3, CASE $3 WHEN 'sms' THEN phone ELSE email END), name LIMIT 1`,
		req.JourneyID, kinds, params["channel"])
	if err != nil {
		return fmt.Errorf("name unreachable person: %w", err)
	}
	name, err := pgx.CollectOneRow(rows, pgx.RowTo[string])
	if err == nil {
		params["person"] = name
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	return err
}

// ContactProblem is one person's unusable address, as staff read it.
type ContactProblem struct {
	// Kind is student, guardian, supervisor or employer.
	Kind, Name string
	// Channel is sms or email; Reason the contact_optouts reason, or
	// "no_contact" when the person has no address at all.
	Channel, Reason string
	// Unreachable: no channel at all reaches this person.
	Unreachable bool
}

// JourneyContactProblems lists who on an open journey cannot be reached
// on which channel, and why.
func JourneyContactProblems(ctx context.Context, db querier, journeyID string) ([]ContactProblem, error) {
	rows, err := db.Query(ctx, `
		SELECT p.kind, p.name, c.channel, COALESCE(o.reason, 'no_contact'),
			NOT usable_address('sms', p.phone) AND NOT usable_address('email', p.email)
		FROM journey_people p
		CROSS JOIN LATERAL (VALUES ('sms', p.phone), ('email', p.email)) c (channel, address)
		LEFT JOIN contact_optouts o ON o.channel = c.channel AND o.address = c.address
		WHERE p.journey_id = $1 AND (o.reason IS NOT NULL OR (p.phone IS NULL AND p.email IS NULL AND c.channel = 'sms'))
		ORDER BY array_position(ARRAY['student', 'guardian', 'supervisor', 'employer'], p.kind), p.name, c.channel`, journeyID)
	if err != nil {
		return nil, fmt.Errorf("contact problems: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ContactProblem, error) {
		var c ContactProblem
		err := r.Scan(&c.Kind, &c.Name, &c.Channel, &c.Reason, &c.Unreachable)
		return c, err
	})
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
	rows, err := db.Query(ctx, `
		WITH people AS (
			SELECT 'employer' AS kind, e.id, COALESCE(e.contact_name, e.name) AS name, e.contact_phone AS phone, e.contact_email AS email
			FROM employers e WHERE e.id = $1
			UNION ALL
			SELECT 'supervisor', sv.id, sv.name, sv.phone, sv.email FROM supervisors sv WHERE sv.employer_id = $1)
		SELECT p.kind, p.name, o.channel, o.address, o.reason, o.opted_out_at,
			(SELECT count(DISTINCT jp.journey_id)::int FROM journey_people jp WHERE jp.kind = p.kind AND jp.ref = p.id)
		FROM people p JOIN contact_optouts o ON (o.channel = 'sms' AND o.address = p.phone) OR (o.channel = 'email' AND o.address = p.email)
		ORDER BY p.kind, p.name, o.channel`, employerID)
	if err != nil {
		return nil, fmt.Errorf("employer flagged addresses: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (FlaggedAddress, error) {
		var f FlaggedAddress
		err := r.Scan(&f.Kind, &f.Name, &f.Channel, &f.Address, &f.Reason, &f.Since, &f.Journeys)
		return f, err
	})
}
