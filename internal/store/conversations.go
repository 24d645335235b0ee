package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Conversations by text: replies received, who helps the person who
// wrote, names a message needs, and addresses flagged unusable.
const (
	qOpenConversation = `SELECT EXISTS (SELECT 1 FROM inbound_messages WHERE from_address = $1 AND keyword IS NULL
			AND id <> $2 AND answered_at IS NULL AND received_at > $3)`
	qProgramHelper = `SELECT s.name, COALESCE(s.phone, ''), s.email, r.role
		FROM staff s JOIN staff_roles r ON r.staff_id = s.id
		WHERE s.active AND s.district_id = $1::uuid
			AND ((r.role = 'coordinator' AND r.school_id = NULLIF($2, '')::uuid) OR r.role = 'district_ops')
		ORDER BY r.role = 'coordinator' DESC, s.phone IS NULL, s.name LIMIT 1`
	qJourneyProgramName = `SELECT p.name FROM journeys j JOIN programs p ON p.id = j.program_id WHERE j.id = $1`
	markRepliesAnswered = `UPDATE inbound_messages SET answered_at = $4, read_at = COALESCE(read_at, $4),
			read_by = COALESCE(read_by, $3::uuid)
		WHERE journey_id = $1 AND sender_ref = $2::uuid AND keyword IS NULL AND answered_at IS NULL`
	qGuardianJourneys = `SELECT g.id::text, s.id::text, j.id::text, s.district_id::text, s.school_id::text
		FROM guardians g JOIN students s ON s.id = g.student_id JOIN journeys j ON j.student_id = s.id AND j.status = 'open'
		WHERE g.phone = $1 ORDER BY j.created_at, j.id`
	qTrainingNames = `SELECT name, name_es FROM trainings WHERE code = $1`
	flagContact    = `INSERT INTO contact_optouts (channel, address, reason, detail) VALUES ($1, $2, $3, $4)
		ON CONFLICT (channel, address) DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail,
			opted_out_at = now()`
	insertInboundText = `INSERT INTO inbound_messages (provider_id, channel, from_address, body, keyword,
				student_id, journey_id, received_at, sender_kind, sender_ref)
			VALUES ($1, 'sms', $2, $3, NULLIF($4,''), NULLIF($5,'')::uuid, NULLIF($6,'')::uuid, $7, NULLIF($8,''), NULLIF($9,'')::uuid)
			ON CONFLICT (provider_id) DO NOTHING RETURNING id`
	qTextOptedOut = `SELECT EXISTS (SELECT 1 FROM contact_optouts WHERE channel = 'sms' AND address = $1
		AND reason IN ('stop_keyword', 'unsubscribed'))`
	optBackIn = `DELETE FROM contact_optouts WHERE channel = 'sms' AND address = $1
			AND reason IN ('stop_keyword', 'unsubscribed')`
	qTextSender = `
		SELECT kind, ref, student_id, journey_id, district_id, school_id FROM (
			SELECT 'student' AS kind, s.id::text AS ref, 0 AS pri, s.id::text AS student_id,
				COALESCE(j.id::text,'') AS journey_id, s.district_id::text AS district_id, s.school_id::text AS school_id,
				j.created_at
			FROM students s LEFT JOIN journeys j ON j.student_id = s.id AND j.status = 'open'
			WHERE s.phone = $1
			UNION ALL
			SELECT 'guardian', g.id::text, 1, s.id::text, COALESCE(j.id::text,''), s.district_id::text, s.school_id::text,
				j.created_at
			FROM guardians g JOIN students s ON s.id = g.student_id
			LEFT JOIN journeys j ON j.student_id = s.id AND j.status = 'open'
			WHERE g.phone = $1
		) x ORDER BY (journey_id = ''), pri, created_at DESC NULLS LAST LIMIT 1`
)

// OpenConversation reports whether the address sent another unanswered
// reply (not a keyword, not inboundID) after since.
func OpenConversation(ctx context.Context, db DB, from string, inboundID int64, since time.Time) (bool, error) {
	var open bool
	err := db.QueryRow(ctx, qOpenConversation, from, inboundID, since).Scan(&open)
	return open, err
}

// HelperRow is the staff member who helps a school's students.
type HelperRow struct{ Name, Phone, Email, Role string }

// ProgramHelper is the school's active coordinator, else the district's
// ops (a phone preferred); ok is false when there is no one.
func ProgramHelper(ctx context.Context, db rowQuerier, districtID, schoolID string) (h HelperRow, ok bool, err error) {
	err = db.QueryRow(ctx, qProgramHelper, districtID, schoolID).Scan(&h.Name, &h.Phone, &h.Email, &h.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return HelperRow{}, false, nil
	}
	return h, err == nil, err
}

// JourneyProgramName is the name of the journey's program ("" when the
// journey is not there).
func JourneyProgramName(ctx context.Context, db DB, journeyID string) (string, error) {
	var program string
	err := db.QueryRow(ctx, qJourneyProgramName, journeyID).Scan(&program)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return program, err
}

// MarkRepliesAnswered marks the person's unanswered replies on the
// journey answered (and read) by the staff member at now.
func MarkRepliesAnswered(ctx context.Context, db DB, journeyID, senderRef, staffID string, now time.Time) error {
	_, err := db.Exec(ctx, markRepliesAnswered, journeyID, senderRef, staffID, now)
	return err
}

// GuardianJourney is an open journey of a child whose parent has a phone,
// with that child's guardian row.
type GuardianJourney struct {
	GuardianID, StudentID, JourneyID string
	DistrictID, SchoolID             string
}

// GuardianJourneys are the open journeys of every child whose parent has
// this phone, oldest first.
func GuardianJourneys(ctx context.Context, db DB, phone string) ([]GuardianJourney, error) {
	rows, err := db.Query(ctx, qGuardianJourneys, phone)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GuardianJourney
	for rows.Next() {
		var g GuardianJourney
		if err := rows.Scan(&g.GuardianID, &g.StudentID, &g.JourneyID, &g.DistrictID, &g.SchoolID); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// TrainingNamesByCode are a training's names in English and Spanish;
// ErrNotFound when the code is not in the catalogue.
func TrainingNamesByCode(ctx context.Context, db DB, code string) (name, nameES string, err error) {
	err = db.QueryRow(ctx, qTrainingNames, code).Scan(&name, &nameES)
	return name, nameES, notFound(err)
}

// FlagContact records that an address must not be used on a channel.
// reason is a contact_optouts reason: stop_keyword, unsubscribed, bounced,
// invalid or spamreport.
func FlagContact(ctx context.Context, db execer, channel, address, reason, detail string) error {
	_, err := db.Exec(ctx, flagContact, channel, address, reason, detail)
	return err
}

// InboundText is a text received, with who sent it when known.
type InboundText struct {
	ProviderID, From, Body, Keyword string
	StudentID, JourneyID            string
	ReceivedAt                      time.Time
	// SenderKind and SenderRef: a student or guardian ("" otherwise).
	SenderKind, SenderRef string
}

// RecordInboundText keeps the text once (by the provider's id) and
// returns its id; 0 when it was received before.
func RecordInboundText(ctx context.Context, db DB, in InboundText) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, insertInboundText, in.ProviderID, in.From, in.Body, in.Keyword, in.StudentID, in.JourneyID,
		in.ReceivedAt, in.SenderKind, in.SenderRef).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// TextOptedOut reports whether the phone opted out of texts (STOP or a
// provider's unsubscribe).
func TextOptedOut(ctx context.Context, db DB, phone string) (bool, error) {
	var optedOut bool
	err := db.QueryRow(ctx, qTextOptedOut, phone).Scan(&optedOut)
	return optedOut, err
}

// OptBackIn lifts the phone's STOP or unsubscribe.
func OptBackIn(ctx context.Context, db DB, phone string) error {
	_, err := db.Exec(ctx, optBackIn, phone)
	return err
}

// TextSender is who a phone belongs to: a student, else a guardian.
type TextSender struct {
	Kind, Ref, StudentID, JourneyID, DistrictID, SchoolID string
}

// FindTextSender matches a phone to a student (else a guardian),
// preferring one with an open journey (siblings may share a phone); a
// zero TextSender when nobody on record has it.
func FindTextSender(ctx context.Context, db DB, phone string) (TextSender, error) {
	var s TextSender
	err := db.QueryRow(ctx, qTextSender, phone).Scan(&s.Kind, &s.Ref, &s.StudentID, &s.JourneyID, &s.DistrictID, &s.SchoolID)
	if errors.Is(err, pgx.ErrNoRows) {
		return TextSender{}, nil
	}
	return s, err
}
