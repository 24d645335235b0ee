package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reachability: who on a journey or of an employer cannot be reached, as
// PostgreSQL decides it (journey_people, usable_address, contact_optouts).
const (
	qUnreachablePersonName = `SELECT name FROM journey_people WHERE journey_id = $1 AND kind = ANY($2)
		ORDER BY usable_address($3, CASE $3 WHEN 'sms' THEN phone ELSE email END), name LIMIT 1`
	qJourneyContactProblems = `
		SELECT p.kind, p.name, c.channel, COALESCE(o.reason, 'no_contact'),
			NOT usable_address('sms', p.phone) AND NOT usable_address('email', p.email)
		FROM journey_people p
		CROSS JOIN LATERAL (VALUES ('sms', p.phone), ('email', p.email)) c (channel, address)
		LEFT JOIN contact_optouts o ON o.channel = c.channel AND o.address = c.address
		WHERE p.journey_id = $1 AND (o.reason IS NOT NULL OR (p.phone IS NULL AND p.email IS NULL AND c.channel = 'sms'))
		ORDER BY array_position(ARRAY['student', 'guardian', 'supervisor', 'employer'], p.kind), p.name, c.channel`
	qEmployerFlaggedAddresses = `
		WITH people AS (
			SELECT 'employer' AS kind, e.id, COALESCE(e.contact_name, e.name) AS name, e.contact_phone AS phone, e.contact_email AS email
			FROM employers e WHERE e.id = $1
			UNION ALL
			SELECT 'supervisor', sv.id, sv.name, sv.phone, sv.email FROM supervisors sv WHERE sv.employer_id = $1)
		SELECT p.kind, p.name, o.channel, o.address, o.reason, o.opted_out_at,
			(SELECT count(DISTINCT jp.journey_id)::int FROM journey_people jp WHERE jp.kind = p.kind AND jp.ref = p.id)
		FROM people p JOIN contact_optouts o ON (o.channel = 'sms' AND o.address = p.phone) OR (o.channel = 'email' AND o.address = p.email)
		ORDER BY p.kind, p.name, o.channel`
)

// UnreachablePersonName is the name of the journey's person of one of
// kinds whose address on channel is unusable ("" when none).
func UnreachablePersonName(ctx context.Context, db DB, journeyID string, kinds []string, channel string) (string, error) {
	rows, err := db.Query(ctx, qUnreachablePersonName, journeyID, kinds, channel)
	if err != nil {
		return "", err
	}
	name, err := pgx.CollectOneRow(rows, pgx.RowTo[string])
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// ContactProblem is one person's unusable address on a journey.
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
func JourneyContactProblems(ctx context.Context, db DB, journeyID string) ([]ContactProblem, error) {
	rows, err := db.Query(ctx, qJourneyContactProblems, journeyID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ContactProblem])
}

// FlaggedAddressRow is one of an employer's flagged addresses.
type FlaggedAddressRow struct {
	Kind, Name       string
	Channel, Address string
	Reason           string
	Since            time.Time
	Journeys         int
}

// EmployerFlaggedAddresses lists the employer's contact and supervisor
// addresses that are flagged, and how many open journeys depend on each.
func EmployerFlaggedAddresses(ctx context.Context, db DB, employerID string) ([]FlaggedAddressRow, error) {
	rows, err := db.Query(ctx, qEmployerFlaggedAddresses, employerID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[FlaggedAddressRow])
}
