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
	"github.com/internflow/internflow/internal/store"
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

// audience is whom req reaches.
func (req BulkRequest) audience() store.BulkAudience {
	return store.BulkAudience{DistrictID: req.DistrictID, SchoolID: req.SchoolID, ProgramID: req.ProgramID,
		SchoolIDs: req.SchoolIDs, Grade: req.Grade, Stage: req.Stage, WaitingOn: req.WaitingOn}
}

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
		queued, err := store.InsertBulkMessages(ctx, tx, req.audience(), store.BulkMessage{IdemPrefix: req.IdemPrefix,
			Zones: zones, SMSAfter: after, Template: req.Template, Params: params, LocalParams: local,
			Now: clockOr(o.Clock).Now(), WithLinks: req.Link != nil})
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
	found, err := store.BulkZones(ctx, q, req.audience())
	if err != nil {
		return nil, nil, err
	}
	now := clockOr(o.Clock).Now()
	var zones []string
	var after []time.Time
	for _, z := range found {
		quiet := QuietHours{Start: z.QuietStart, End: z.QuietEnd}
		zones = append(zones, z.Zone)
		after = append(after, quiet.NextAllowed(now, location(z.Zone)))
	}
	return zones, after, nil
}

// bulkLinks stores the action link of each new row (its id was chosen in
// the INSERT) with COPY, deriving tokens with the links package exactly as
// Minter.Create does. Rows that already existed get no new link.
func (o *Outbox) bulkLinks(ctx context.Context, tx pgx.Tx, req BulkRequest, queued []store.BulkQueued) error {
	if req.Link == nil || len(queued) == 0 {
		return nil
	}
	sha, err := links.HexSHA(req.Link.DocumentSHA256)
	if err != nil {
		return fmt.Errorf("link: %w", err)
	}
	expires := clockOr(o.Clock).Now().Add(o.linkTTL())
	bulk := make([]store.BulkLink, len(queued))
	for i, q := range queued {
		tok, err := o.Links.Token(q.LinkID.String())
		if err != nil {
			return err
		}
		bulk[i] = store.BulkLink{ID: *q.LinkID, TokenHash: links.HashToken(tok), JourneyID: q.JourneyID, PersonKind: "student",
			PersonRef: q.StudentID, Action: req.Link.Action, DocumentSHA256: sha, SubjectRef: req.Link.SubjectRef,
			SingleUse: req.Link.SingleUse, ExpiresAt: expires}
	}
	if err := store.CopyBulkLinks(ctx, tx, bulk); err != nil {
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
