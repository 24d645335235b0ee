package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// Bulk messages: one message to every student with an open journey in a
// district (or one school, or one program), queued set-based, and the
// outbox's backlog by channel.

// bulkInsert queues one row per open journey in one statement. Students
// text first, email when the phone is missing or opted out, and are skipped
// when neither works (the journey's own nudges report them unreachable).
const bulkInsert = `
WITH tz(name, sms_after) AS (SELECT * FROM unnest($9::text[], $10::timestamptz[])),
target AS (
	SELECT j.id AS journey_id, s.id AS student_id, s.school_id, s.district_id, s.language, s.phone, s.email,
		COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone) AS tzname, d.quiet_start, d.quiet_end,
		COALESCE(NULLIF(s.preferred_name,''), s.first_name) AS first_name,
		CASE WHEN s.phone IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM contact_optouts o WHERE o.channel = 'sms' AND o.address = s.phone) THEN 'sms'
			WHEN s.email IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM contact_optouts o WHERE o.channel = 'email' AND o.address = s.email) THEN 'email'
		END AS channel
	` + bulkAudience + `
)
INSERT INTO messages (idem_key, district_id, school_id, journey_id, recipient_kind, recipient_ref, channel, to_address,
	language, template, params, send_after, timezone, quiet_start, quiet_end, created_at, updated_at, link_id)
SELECT $8 || ':' || t.journey_id, t.district_id, t.school_id, t.journey_id, 'student', t.student_id::text, t.channel,
	CASE t.channel WHEN 'sms' THEN t.phone ELSE t.email END, t.language, $11,
	$12::jsonb || COALESCE($15::jsonb -> t.language, '{}') || jsonb_build_object('student_first_name', t.first_name),
	CASE t.channel WHEN 'sms' THEN tz.sms_after ELSE $13 END, t.tzname, t.quiet_start, t.quiet_end, $13, $13,
	CASE WHEN $14 THEN gen_random_uuid() END
FROM target t JOIN tz ON tz.name = t.tzname
WHERE t.channel IS NOT NULL
ON CONFLICT (idem_key) DO NOTHING
RETURNING journey_id, recipient_ref, link_id`

// bulkAudience is who a bulk request reaches: students with an open
// journey matching its filters ($1 to $7, bulkArgs). One fragment, so the
// count staff preview, the zones and the insert can never disagree.
const bulkAudience = `
	FROM journeys j JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
	JOIN districts d ON d.id = s.district_id LEFT JOIN journey_view v ON v.journey_id = j.id
	WHERE j.status = 'open' AND s.district_id = $1 AND ($2::text = '' OR s.school_id = $2::uuid)
		AND ($3::text = '' OR j.program_id = $3::uuid) AND ($4::uuid[] IS NULL OR s.school_id = ANY($4::uuid[]))
		AND ($5::int = 0 OR s.grade = $5) AND ($6::text = '' OR v.stage = $6) AND ($7::text = '' OR v.waiting_on = $7)`

// targetZones lists the time zones of the targeted students and the
// district's quiet hours, so quiet hours are computed here in Go exactly
// as Enqueue does.
const targetZones = `
SELECT DISTINCT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone), d.quiet_start, d.quiet_end
` + bulkAudience

// audienceCount counts the targets by channel (chosen as bulkInsert
// chooses) and language.
const audienceCount = `
SELECT channel, language, count(*) FROM (
	SELECT s.language, CASE WHEN s.phone IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM contact_optouts o WHERE o.channel = 'sms' AND o.address = s.phone) THEN 'sms'
		WHEN s.email IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM contact_optouts o WHERE o.channel = 'email' AND o.address = s.email) THEN 'email'
		ELSE '' END AS channel
	` + bulkAudience + `
) t GROUP BY channel, language`

const qOutboxBacklog = `SELECT channel, count(*) FILTER (WHERE send_after <= $2),
			count(*) FILTER (WHERE send_after > $2), min(send_after) FILTER (WHERE send_after > $2)
		FROM messages WHERE status IN ('queued', 'sending') AND ($1 = '' OR district_id::text = $1)
		GROUP BY channel`

// BulkAudience is whom a bulk message reaches: students with an open
// journey matching these filters (zero values match any).
type BulkAudience struct {
	DistrictID, SchoolID, ProgramID string
	// SchoolIDs, when not nil, keeps only students of these schools;
	// empty and not nil matches nobody.
	SchoolIDs        []string
	Grade            int
	Stage, WaitingOn string
}

// args are bulkAudience's parameters ($1 to $7).
func (a BulkAudience) args() []any {
	return []any{a.DistrictID, a.SchoolID, a.ProgramID, a.SchoolIDs, a.Grade, a.Stage, a.WaitingOn}
}

// BulkZone is a time zone of the targets with their district's quiet hours.
type BulkZone struct {
	Zone                 string
	QuietStart, QuietEnd int
}

// BulkZones lists the time zones of the audience, so quiet hours are
// computed in Go exactly as a single message's are.
func BulkZones(ctx context.Context, db DB, a BulkAudience) ([]BulkZone, error) {
	rows, err := db.Query(ctx, targetZones, a.args()...)
	if err != nil {
		return nil, err
	}
	var zones []BulkZone
	var z BulkZone
	_, err = pgx.ForEachRow(rows, []any{&z.Zone, &z.QuietStart, &z.QuietEnd}, func() error {
		zones = append(zones, z)
		return nil
	})
	return zones, err
}

// AudienceCount is how many of the audience a channel reaches in one
// language ("" channel: none).
type AudienceCount struct {
	Channel, Language string
	Students          int
}

// CountBulkAudience counts the audience by channel (chosen as the insert
// chooses) and language.
func CountBulkAudience(ctx context.Context, db DB, a BulkAudience) ([]AudienceCount, error) {
	rows, err := db.Query(ctx, audienceCount, a.args()...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[AudienceCount])
}

// BulkMessage is the message a bulk request queues.
type BulkMessage struct {
	// IdemPrefix makes each key "<IdemPrefix>:<journey id>".
	IdemPrefix string
	// Zones and SMSAfter: when a text to each time zone may go.
	Zones    []string
	SMSAfter []time.Time
	Template string
	Params   map[string]string
	// LocalParams, by language, are merged over Params.
	LocalParams map[string]map[string]string
	Now         time.Time
	// WithLinks chooses a link id per new row (BulkQueued.LinkID).
	WithLinks bool
}

// BulkQueued is a row a bulk insert queued.
type BulkQueued struct {
	JourneyID uuid.UUID
	StudentID string
	LinkID    *uuid.UUID
}

// InsertBulkMessages queues one row per open journey of the audience in
// one statement and returns the rows that are new.
func InsertBulkMessages(ctx context.Context, tx pgx.Tx, a BulkAudience, m BulkMessage) ([]BulkQueued, error) {
	args := append(a.args(), m.IdemPrefix, m.Zones, m.SMSAfter, m.Template, m.Params, m.Now, m.WithLinks, m.LocalParams)
	rows, err := tx.Query(ctx, bulkInsert, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[BulkQueued])
}

// BulkLink is the action link of a bulk row, its id chosen by the insert.
type BulkLink struct {
	ID, JourneyID         uuid.UUID
	TokenHash             []byte
	PersonKind, PersonRef string
	Action                string
	DocumentSHA256        []byte
	SubjectRef            string
	SingleUse             bool
	ExpiresAt             time.Time
}

// CopyBulkLinks stores the links with COPY.
func CopyBulkLinks(ctx context.Context, tx pgx.Tx, links []BulkLink) error {
	rows := make([][]any, len(links))
	for i, l := range links {
		rows[i] = []any{l.ID, l.TokenHash, l.JourneyID, l.PersonKind, l.PersonRef, l.Action, l.DocumentSHA256,
			l.SubjectRef, l.SingleUse, l.ExpiresAt}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"action_links"},
		[]string{"id", "token_hash", "journey_id", "person_kind", "person_ref", "action", "document_sha256",
			"subject_ref", "single_use", "expires_at"}, pgx.CopyFromRows(rows))
	return err
}

// ChannelBacklogRow is what waits on one channel: due now, held for a
// time, and when the first held one is due.
type ChannelBacklogRow struct {
	Channel   string
	Due, Held int
	NextHeld  *time.Time
}

// OutboxBacklog counts unsent messages by channel, of one district or
// ("") of every district.
func OutboxBacklog(ctx context.Context, db DB, districtID string, now time.Time) ([]ChannelBacklogRow, error) {
	rows, err := db.Query(ctx, qOutboxBacklog, districtID, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ChannelBacklogRow])
}
