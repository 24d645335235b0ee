package messaging

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// Outbox turns Requests into messages rows. Enqueue runs inside the
// caller's transaction (the journey's Record), so a message exists if and
// only if the state change that wanted it was committed.
type Outbox struct {
	// Links mints the action link of requests that carry a LinkSpec.
	Links *links.Minter
	// Templates defaults to DefaultTemplates().
	Templates *Templates
	// Clock defaults to the system clock.
	Clock Clock
	// DigestDelay holds digest items (see Dispatcher) a little, so a burst
	// such as ten timesheets submitted in a row lands in one email.
	// Zero means 15 minutes; a negative value means no delay.
	DigestDelay time.Duration
	// Strict rejects a request its template cannot read whole (see
	// Incomplete). Tests set it; in production such a message is still
	// sent, and logged, so a running journey never stalls on wording.
	Strict bool
}

// Outcome statuses.
const (
	StatusQueued      = "queued"
	StatusDuplicate   = "duplicate"
	StatusUnreachable = "unreachable"
)

func (o *Outbox) templates() *Templates {
	if o.Templates != nil {
		return o.Templates
	}
	return DefaultTemplates()
}

func (o *Outbox) digestDelay() time.Duration {
	switch {
	case o.DigestDelay < 0:
		return 0
	case o.DigestDelay == 0:
		return 15 * time.Minute
	}
	return o.DigestDelay
}

// Enqueue records the message(s) a request asks for; see Request and
// Outcome for the contract. The same IdemKey twice creates nothing new
// (and mints no second link).
func (o *Outbox) Enqueue(ctx context.Context, tx pgx.Tx, req Request) (Outcome, error) {
	if err := o.validate(req); err != nil {
		return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
	}
	people, fanout, err := resolve(ctx, tx, req.To)
	if err != nil {
		return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
	}
	var coveredSchool string
	if len(people) == 0 && slices.Contains(schoolRoles, req.To.Kind) {
		if people, coveredSchool, err = standIns(ctx, tx, req.To); err != nil {
			return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
		}
	}
	out := Outcome{IdemKey: req.IdemKey}
	if len(people) == 0 {
		out.Status, out.Reason = StatusUnreachable, "no_contact"
		return out, nil
	}
	params, err := baseParams(ctx, tx, req)
	if err != nil {
		return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
	}
	if coveredSchool != "" {
		// The email opens by saying why it came to them (see language.Covering).
		params[coveringSchool], params[coveringRole] = coveredSchool, req.To.Kind
	}
	if err := namePerson(ctx, tx, req, params); err != nil {
		return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
	}
	if err := o.checkComplete(ctx, req, params); err != nil {
		return Outcome{}, fmt.Errorf("enqueue %q: %w", req.IdemKey, err)
	}
	var results []oneResult
	for _, p := range people {
		key := req.IdemKey
		if fanout {
			key += ":" + p.ref
		}
		r, err := o.enqueueOne(ctx, tx, req, p, key, params)
		if err != nil {
			return Outcome{}, fmt.Errorf("enqueue %q: %w", key, err)
		}
		results = append(results, r)
	}
	return summarize(out, results), nil
}

func (o *Outbox) validate(req Request) error {
	switch {
	case req.IdemKey == "":
		return errors.New("idempotency key is required")
	case !o.templates().Has(req.Template):
		return fmt.Errorf("unknown message template %q", req.Template)
	case req.Channel != "" && req.Channel != ChannelSMS && req.Channel != ChannelEmail:
		return fmt.Errorf("channel must be sms or email, got %q", req.Channel)
	case req.Link != nil && o.Links == nil:
		return errors.New("request has a link but the outbox has no link minter")
	}
	for _, id := range []string{req.DistrictID, req.SchoolID, req.JourneyID} {
		if id == "" {
			continue
		}
		if _, err := uuid.Parse(id); err != nil {
			return fmt.Errorf("%q is not an id", id)
		}
	}
	return nil
}

// baseParams copies the request's params and names the journey's student
// when the caller did not.
func baseParams(ctx context.Context, tx pgx.Tx, req Request) (map[string]string, error) {
	params := maps.Clone(req.Params)
	if params == nil {
		params = map[string]string{}
	}
	withTraceParent(ctx, params)
	if params["student_first_name"] != "" || req.JourneyID == "" {
		return params, nil
	}
	name, err := store.JourneyStudentFirstName(ctx, tx, req.JourneyID)
	if err != nil {
		return nil, fmt.Errorf("journey's student: %w", err)
	}
	if name != "" {
		params["student_first_name"] = name
	}
	return params, nil
}

type oneResult struct {
	status, reason, channel string
	id                      int64
}

func (o *Outbox) enqueueOne(ctx context.Context, tx pgx.Tx, req Request, p contact, key string, base map[string]string) (oneResult, error) {
	id, channel, err := store.MessageByIdemKey(ctx, tx, key)
	if err == nil {
		return oneResult{status: StatusDuplicate, id: id, channel: channel}, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return oneResult{}, fmt.Errorf("look up key: %w", err)
	}
	blocked, err := blockedChannels(ctx, tx, p)
	if err != nil {
		return oneResult{}, err
	}
	ch, addr, reason := chooseChannel(p, req.Channel, blocked)
	if addr == "" {
		return oneResult{status: StatusUnreachable, reason: reason, channel: ch}, nil
	}
	linkID, err := o.mintLink(ctx, tx, req, p)
	if err != nil {
		return oneResult{}, err
	}
	homeID, err := o.mintHomeLink(ctx, tx, req, p)
	if err != nil {
		return oneResult{}, err
	}
	id, inserted, err := o.insert(ctx, tx, req, p, key, ch, addr, base, linkID, homeID)
	if err != nil {
		return oneResult{}, err
	}
	if !inserted {
		// A concurrent transaction took the key first: drop our links.
		for _, l := range []string{linkID, homeID} {
			if l == "" {
				continue
			}
			if err := store.DeleteActionLink(ctx, tx, l); err != nil {
				return oneResult{}, fmt.Errorf("drop unused link: %w", err)
			}
		}
		return oneResult{status: StatusDuplicate, channel: ch}, nil
	}
	return oneResult{status: StatusQueued, channel: ch, id: id}, nil
}

func (o *Outbox) mintLink(ctx context.Context, tx pgx.Tx, req Request, p contact) (string, error) {
	if req.Link == nil {
		return "", nil
	}
	sha, err := links.HexSHA(req.Link.DocumentSHA256)
	if err != nil {
		return "", fmt.Errorf("link: %w", err)
	}
	id, _, err := o.Links.Create(ctx, tx, links.Spec{
		JourneyID: req.JourneyID, PersonKind: p.kind, PersonRef: p.ref, Action: req.Link.Action,
		SubjectRef: req.Link.SubjectRef, DocumentSHA256: sha, SingleUse: req.Link.SingleUse, TTL: req.Link.TTL,
	})
	if err != nil {
		return "", fmt.Errorf("mint link: %w", err)
	}
	return id, nil
}

// mintHomeLink mints the link to the person's own page for a message
// that carries it (needs' Home), for a student or parent of a journey.
func (o *Outbox) mintHomeLink(ctx context.Context, tx pgx.Tx, req Request, p contact) (string, error) {
	action := HomeActions[p.kind]
	if !needs[req.Template].Home || action == "" || req.JourneyID == "" || o.Links == nil {
		return "", nil
	}
	id, _, err := o.Links.Create(ctx, tx, links.Spec{JourneyID: req.JourneyID, PersonKind: p.kind, PersonRef: p.ref, Action: action})
	if err != nil {
		return "", fmt.Errorf("mint home link: %w", err)
	}
	return id, nil
}

func (o *Outbox) insert(ctx context.Context, tx pgx.Tx, req Request, p contact, key, ch, addr string,
	base map[string]string, linkID, homeID string) (int64, bool, error) {
	params := maps.Clone(base)
	if params["student_first_name"] == "" && p.studentFirstName != "" {
		params["student_first_name"] = p.studentFirstName
	}
	if params["recipient_name"] == "" {
		params["recipient_name"] = p.name
	}
	inLanguage(params, p.language)
	if err := nameCodes(ctx, tx, params, p.language); err != nil {
		return 0, false, err
	}
	district, school := firstNonEmpty(req.DistrictID, p.districtID), firstNonEmpty(req.SchoolID, p.schoolID)
	return store.InsertMessage(ctx, tx, store.NewMessage{IdemKey: key, DistrictID: district, SchoolID: school,
		JourneyID: req.JourneyID, RecipientKind: p.kind, RecipientRef: p.ref, Channel: ch, ToAddress: addr, Language: p.language,
		Template: req.Template, Params: params, LinkID: linkID, SendAfter: o.sendAfter(req, p, ch), Timezone: p.timezone,
		QuietStart: p.quiet.Start, QuietEnd: p.quiet.End, CreatedAt: clockOr(o.Clock).Now(), WaitKey: req.Wait,
		WaitParty: req.WaitParty, Reminder: req.Reminder, HomeLinkID: homeID}, wakeChannel)
}

// sendAfter is when the message may go: texts wait out the recipient's
// quiet hours (replies to a text they just sent do not), reminders that
// join a digest wait briefly for the rest of their burst.
func (o *Outbox) sendAfter(req Request, p contact, ch string) time.Time {
	now := clockOr(o.Clock).Now()
	if isDigest(req.Reminder, p.kind, ch) {
		now = now.Add(o.digestDelay())
	}
	if ch == ChannelSMS && !slices.Contains(replyTemplates, req.Template) {
		return p.quiet.NextAllowed(now, location(p.timezone))
	}
	return now
}

// summarize folds per-person results into one Outcome: queued if any row
// is new, duplicate if all existed, unreachable if nobody can be reached.
func summarize(out Outcome, results []oneResult) Outcome {
	var queued, dup bool
	for _, r := range results {
		switch r.status {
		case StatusQueued:
			queued = true
		case StatusDuplicate:
			dup = true
		}
		if r.id != 0 {
			out.Messages = append(out.Messages, r.id)
		}
		if out.Channel == "" && r.channel != "" && r.status != StatusUnreachable {
			out.Channel = r.channel
		}
	}
	switch {
	case queued:
		out.Status = StatusQueued
	case dup:
		out.Status = StatusDuplicate
	default:
		out.Status, out.Reason, out.Channel = StatusUnreachable, results[0].reason, results[0].channel
	}
	return out
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
