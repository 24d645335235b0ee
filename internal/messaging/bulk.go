package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/links"
)

// BulkRequest is one message to every student with an open journey in a
// district (or one school, or one program): a district-wide nudge.
type BulkRequest struct {
	DistrictID string
	SchoolID   string // optional
	ProgramID  string // optional
	// SchoolIDs, when not nil, keeps only students of these schools (a
	// coordinator's scope); empty and not nil matches nobody.
	SchoolIDs []string
	// Grade, Stage and WaitingOn narrow the audience (zero: any); stage
	// and waiting_on are the journey's, from journey_view.
	Grade     int
	Stage     string
	WaitingOn string
	Template  string
	// IdemPrefix makes each key "<IdemPrefix>:<journey id>": running the
	// same nudge twice queues nothing new.
	IdemPrefix string
	Params     map[string]string
	// LocalParams, by language code, are merged over Params for the
	// students of that language: the Spanish text of an announcement goes
	// only to Spanish readers, each row storing only its own language.
	LocalParams map[string]map[string]string
	// Link mints one action link per student (bound to them).
	Link *LinkSpec
}

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

// bulkArgs are bulkAudience's parameters.
func bulkArgs(req BulkRequest) []any {
	return []any{req.DistrictID, req.SchoolID, req.ProgramID, req.SchoolIDs, req.Grade, req.Stage, req.WaitingOn}
}

// targetZones lists the time zones of the targeted students and the
// district's quiet hours, so quiet hours are computed here in Go exactly
// as Enqueue does.
const targetZones = `
SELECT DISTINCT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone), d.quiet_start, d.quiet_end
` + bulkAudience

// BulkEnqueue queues one message per open journey's student in one
// transaction, set-based: 50,000 rows take seconds. It returns how many
// rows are new (a rerun with the same IdemPrefix returns 0).
func (o *Outbox) BulkEnqueue(ctx context.Context, pool *pgxpool.Pool, req BulkRequest) (int, error) {
	if err := o.validateBulk(req); err != nil {
		return 0, fmt.Errorf("bulk enqueue: %w", err)
	}
	var n int
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		zones, after, err := o.quietByZone(ctx, tx, req)
		if err != nil || len(zones) == 0 {
			return err
		}
		params := req.Params
		if params == nil {
			params = map[string]string{}
		}
		local := req.LocalParams
		if local == nil {
			local = map[string]map[string]string{}
		}
		args := append(bulkArgs(req), req.IdemPrefix, zones, after, req.Template, params, clockOr(o.Clock).Now(),
			req.Link != nil, local)
		rows, err := tx.Query(ctx, bulkInsert, args...)
		if err != nil {
			return err
		}
		queued, err := pgx.CollectRows(rows, pgx.RowToStructByPos[bulkRow])
		if err != nil {
			return err
		}
		n = len(queued)
		return o.bulkLinks(ctx, tx, req, queued)
	})
	if err != nil {
		return 0, fmt.Errorf("bulk enqueue %s: %w", req.IdemPrefix, err)
	}
	return n, nil
}

func (o *Outbox) validateBulk(req BulkRequest) error {
	switch {
	case req.IdemPrefix == "":
		return errors.New("idempotency prefix is required")
	case !o.templates().Has(req.Template):
		return fmt.Errorf("unknown message template %q", req.Template)
	case req.Link != nil && o.Links == nil:
		return errors.New("request has a link but the outbox has no link minter")
	}
	if _, err := uuid.Parse(req.DistrictID); err != nil {
		return fmt.Errorf("district %q is not an id", req.DistrictID)
	}
	for _, id := range append([]string{req.SchoolID, req.ProgramID}, req.SchoolIDs...) {
		if _, err := uuid.Parse(id); id != "" && err != nil {
			return fmt.Errorf("%q is not an id", id)
		}
	}
	return nil
}

// quietByZone returns, per time zone of the targets, when a text may go.
func (o *Outbox) quietByZone(ctx context.Context, q querier, req BulkRequest) ([]string, []time.Time, error) {
	rows, err := q.Query(ctx, targetZones, bulkArgs(req)...)
	if err != nil {
		return nil, nil, err
	}
	now := clockOr(o.Clock).Now()
	var zones []string
	var after []time.Time
	var zone string
	var quiet QuietHours
	_, err = pgx.ForEachRow(rows, []any{&zone, &quiet.Start, &quiet.End}, func() error {
		zones = append(zones, zone)
		after = append(after, quiet.NextAllowed(now, location(zone)))
		return nil
	})
	return zones, after, err
}

type bulkRow struct {
	JourneyID uuid.UUID
	StudentID string
	LinkID    *uuid.UUID
}

// bulkLinks stores the action link of each new row (its id was chosen in
// the INSERT) with COPY, deriving tokens with the links package exactly as
// Minter.Create does. Rows that already existed get no new link.
func (o *Outbox) bulkLinks(ctx context.Context, tx pgx.Tx, req BulkRequest, queued []bulkRow) error {
	if req.Link == nil || len(queued) == 0 {
		return nil
	}
	sha, err := links.HexSHA(req.Link.DocumentSHA256)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	expires := clockOr(o.Clock).Now().Add(o.linkTTL())
	copyRows := make([][]any, len(queued))
	for i, q := range queued {
		tok, err := o.Links.Token(q.LinkID.String())
		if err != nil {
			return err
		}
		copyRows[i] = []any{*q.LinkID, links.HashToken(tok), q.JourneyID, "student", q.StudentID, req.Link.Action,
			sha, req.Link.SubjectRef, req.Link.SingleUse, expires}
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"action_links"},
		[]string{"id", "token_hash", "journey_id", "person_kind", "person_ref", "action", "document_sha256",
			"subject_ref", "single_use", "expires_at"}, pgx.CopyFromRows(copyRows)); err != nil {
		return fmt.Errorf("copy links: %w", err)
	}
	return nil
}

// linkTTL mirrors Minter.Create's default.
func (o *Outbox) linkTTL() time.Duration {
	if o.Links.TTL > 0 {
		return o.Links.TTL
	}
	return 14 * 24 * time.Hour
}
