package messaging

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/store"
)

// contact is one resolved person: where to reach them and when.
type contact struct {
	kind, ref    string // messages.recipient_kind / recipient_ref
	phone, email string
	language     string
	timezone     string
	districtID   string
	schoolID     string
	quiet        QuietHours
	// studentFirstName greets the student in messages to students and
	// guardians when the request does not name them.
	studentFirstName string
	// name is the person's own name: every message greets its reader
	// (a parent by the parent's name, a supervisor by theirs).
	name string
}

func (c contact) address(channel string) string {
	if channel == ChannelSMS {
		return c.phone
	}
	return c.email
}

// querier is what resolution needs: a transaction or a pool.
type querier = store.DB

// schoolRoles are the role kinds addressed to one school's holders.
var schoolRoles = []string{"coordinator", "permit_issuer"}

// standIns are who receive a school role's messages while nobody holds
// the role there: district ops, else (a district with no ops yet) its
// admins. Without them a school with no coordinator silently dropped
// every coordinator message, and a student sat waiting on nobody.
// school is the school's name, for the note saying why they got it.
func standIns(ctx context.Context, db querier, to Recipient) (people []contact, school string, err error) {
	name, district, err := store.SchoolNameAndDistrict(ctx, db, to.Ref)
	if err != nil {
		return nil, "", fmt.Errorf("stand-ins for %s: %w", to.Kind, err)
	}
	for _, kind := range []string{"district_ops", "district_admin"} {
		people, _, err = resolve(ctx, db, Recipient{Kind: kind, Ref: district})
		if err != nil || len(people) > 0 {
			return people, name, err
		}
	}
	return nil, name, nil
}

// resolve finds the people a Recipient names. fanout says whether each
// person gets their own idempotency key suffix.
func resolve(ctx context.Context, db querier, to Recipient) (people []contact, fanout bool, err error) {
	kind, ref := to.Kind, to.Ref
	if kind == "guardian" && strings.HasPrefix(ref, "student:") {
		kind, ref = "guardians_of_student", strings.TrimPrefix(ref, "student:")
	}
	if !store.IsRecipientKind(kind) {
		return nil, false, fmt.Errorf("unknown recipient kind %q", to.Kind)
	}
	// A malformed id would abort the caller's transaction in PostgreSQL.
	if _, err := uuid.Parse(ref); err != nil {
		return nil, false, fmt.Errorf("recipient %s ref %q: not an id", to.Kind, to.Ref)
	}
	found, fanout, err := store.RecipientContacts(ctx, db, kind, ref)
	if err != nil {
		return nil, false, fmt.Errorf("resolve %s: %w", to.Kind, err)
	}
	for _, c := range found {
		people = append(people, contact{kind: c.Kind, ref: c.Ref, phone: c.Phone, email: c.Email, language: c.Language,
			timezone: c.Timezone, districtID: c.DistrictID, schoolID: c.SchoolID, quiet: QuietHours{Start: c.QuietStart, End: c.QuietEnd},
			studentFirstName: c.StudentFirstName, name: c.Name})
	}
	return people, fanout, nil
}

// Opt-out reasons (contact_optouts.reason) and the Outcome reason each
// one gives when no channel is left.
var optoutOutcome = map[string]string{
	"stop_keyword": "opted_out", "unsubscribed": "opted_out", "spamreport": "opted_out",
	"bounced": "invalid", "invalid": "invalid",
}

// blockedChannels returns, per channel, why the person's address there
// must not be used.
func blockedChannels(ctx context.Context, db querier, c contact) (map[string]string, error) {
	blocked, err := store.OptedOut(ctx, db, c.phone, c.email)
	if err != nil && blocked == nil {
		return nil, fmt.Errorf("load opt-outs: %w", err)
	}
	return blocked, err
}

// usualChannel: texts reach students and parents, email everyone else.
func usualChannel(kind string) string {
	if kind == "student" || kind == "guardian" {
		return ChannelSMS
	}
	return ChannelEmail
}

func otherChannel(ch string) string {
	if ch == ChannelSMS {
		return ChannelEmail
	}
	return ChannelSMS
}

// chooseChannel picks the first usable channel: the forced one only, or
// the usual one and then the other. reason explains an empty address:
// "no_contact", or "opted_out" / "invalid", with channel then naming the
// channel that was tried and refused (so an alert can say "by text").
func chooseChannel(c contact, forced string, blocked map[string]string) (channel, address, reason string) {
	order := []string{usualChannel(c.kind), otherChannel(usualChannel(c.kind))}
	if forced != "" {
		order = []string{forced}
	}
	var failed string
	for _, ch := range order {
		addr := c.address(ch)
		if addr == "" {
			continue
		}
		if why, ok := blocked[ch]; ok {
			if reason == "" {
				reason, failed = optoutOutcome[why], ch
			}
			continue
		}
		return ch, addr, ""
	}
	if reason == "" {
		return "", "", "no_contact"
	}
	return failed, "", reason
}
