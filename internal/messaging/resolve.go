package messaging

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
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
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

const studentCols = `COALESCE(s.phone,''), COALESCE(s.email,''), s.language,
	COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone), s.district_id::text, s.school_id::text,
	d.quiet_start, d.quiet_end, COALESCE(NULLIF(s.preferred_name,''), s.first_name),
	COALESCE(NULLIF(s.preferred_name,''), s.first_name)
	FROM students s JOIN schools sc ON sc.id = s.school_id JOIN districts d ON d.id = s.district_id`

const guardianSelect = `SELECT 'guardian', g.id::text, COALESCE(g.phone,''), COALESCE(g.email,''), g.language,
	COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone), s.district_id::text, s.school_id::text,
	d.quiet_start, d.quiet_end, COALESCE(NULLIF(s.preferred_name,''), s.first_name), g.name
	FROM guardians g JOIN students s ON s.id = g.student_id JOIN schools sc ON sc.id = s.school_id
	JOIN districts d ON d.id = s.district_id`

const staffSelect = `SELECT DISTINCT ON (st.id) 'staff', st.id::text, COALESCE(st.phone,''), st.email, 'en', d.timezone,
	st.district_id::text, '', d.quiet_start, d.quiet_end, '', st.name
	FROM staff st JOIN districts d ON d.id = st.district_id`

const staffRoleSelect = staffSelect + ` JOIN staff_roles r ON r.staff_id = st.id`

// recipientQueries maps a recipient kind to the query that resolves it;
// fan-out kinds return one row per person.
var recipientQueries = map[string]struct {
	sql    string
	fanout bool
}{
	"student":              {sql: `SELECT 'student', s.id::text, ` + studentCols + ` WHERE s.id = $1`},
	"guardian":             {sql: guardianSelect + ` WHERE g.id = $1`},
	"guardians_of_student": {fanout: true, sql: guardianSelect + ` WHERE g.student_id = $1 ORDER BY g.position`},
	"supervisor": {sql: `SELECT 'supervisor', sp.id::text, COALESCE(sp.phone, st.phone, ''), COALESCE(sp.email, st.email, ''),
		sp.language, COALESCE(NULLIF(sp.timezone,''), NULLIF(e.timezone,''), d.timezone), e.district_id::text, '',
		d.quiet_start, d.quiet_end, '', sp.name
		FROM supervisors sp JOIN employers e ON e.id = sp.employer_id JOIN districts d ON d.id = e.district_id
		LEFT JOIN staff st ON st.id = sp.staff_id WHERE sp.id = $1`},
	"employer": {sql: `SELECT 'employer', e.id::text, COALESCE(e.contact_phone,''), COALESCE(e.contact_email,''), 'en',
		COALESCE(NULLIF(e.timezone,''), d.timezone), e.district_id::text, '', d.quiet_start, d.quiet_end, '',
		COALESCE(NULLIF(e.contact_name,''), e.name)
		FROM employers e JOIN districts d ON d.id = e.district_id WHERE e.id = $1`},
	"staff":       {sql: staffSelect + ` WHERE st.id = $1 AND st.active`},
	"coordinator": {fanout: true, sql: staffRoleSelect + ` WHERE r.role = 'coordinator' AND r.school_id = $1 AND st.active ORDER BY st.id`},
	"permit_issuer": {fanout: true, sql: staffRoleSelect + ` WHERE r.role = 'permit_issuer' AND st.active
		AND (r.school_id = $1 OR (r.school_id IS NULL AND st.district_id = (SELECT district_id FROM schools WHERE id = $1)))
		ORDER BY st.id`},
	"district_ops": {fanout: true, sql: staffRoleSelect + ` WHERE r.role = 'district_ops' AND st.district_id = $1 AND st.active ORDER BY st.id`},
	"mou_approver": {fanout: true, sql: staffRoleSelect + ` WHERE r.role = 'mou_approver' AND st.district_id = $1 AND st.active ORDER BY st.id`},
	"district_admin": {fanout: true, sql: staffRoleSelect + ` WHERE r.role = 'district_admin' AND r.school_id IS NULL
		AND st.district_id = $1 AND st.active ORDER BY st.id`},
}

// schoolRoles are the role kinds addressed to one school's holders.
var schoolRoles = []string{"coordinator", "permit_issuer"}

// standIns are who receive a school role's messages while nobody holds
// the role there: district ops, else (a district with no ops yet) its
// admins. Without them a school with no coordinator silently dropped
// every coordinator message, and a student sat waiting on nobody.
// school is the school's name, for the note saying why they got it.
func standIns(ctx context.Context, db querier, to Recipient) (people []contact, school string, err error) {
	rows, err := db.Query(ctx, `SELECT name, district_id::text FROM schools WHERE id = $1`, to.Ref)
	if err != nil {
		return nil, "", fmt.Errorf("stand-ins for %s: %w", to.Kind, err)
	}
	type row struct{ Name, District string }
	sc, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, "", fmt.Errorf("stand-ins for %s: school: %w", to.Kind, err)
	}
	for _, kind := range []string{"district_ops", "district_admin"} {
		people, _, err = resolve(ctx, db, Recipient{Kind: kind, Ref: sc.District})
		if err != nil || len(people) > 0 {
			return people, sc.Name, err
		}
	}
	return nil, sc.Name, nil
}

// resolve finds the people a Recipient names. fanout says whether each
// person gets their own idempotency key suffix.
func resolve(ctx context.Context, db querier, to Recipient) (people []contact, fanout bool, err error) {
	kind, ref := to.Kind, to.Ref
	if kind == "guardian" && strings.HasPrefix(ref, "student:") {
		kind, ref = "guardians_of_student", strings.TrimPrefix(ref, "student:")
	}
	q, ok := recipientQueries[kind]
	if !ok {
		return nil, false, fmt.Errorf("unknown recipient kind %q", to.Kind)
	}
	// A malformed id would abort the caller's transaction in PostgreSQL.
	if _, err := uuid.Parse(ref); err != nil {
		return nil, false, fmt.Errorf("recipient %s ref %q: not an id", to.Kind, to.Ref)
	}
	rows, err := db.Query(ctx, q.sql, ref)
	if err != nil {
		return nil, false, fmt.Errorf("resolve %s: %w", to.Kind, err)
	}
	people, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (contact, error) {
		var c contact
		err := r.Scan(&c.kind, &c.ref, &c.phone, &c.email, &c.language, &c.timezone, &c.districtID, &c.schoolID,
			&c.quiet.Start, &c.quiet.End, &c.studentFirstName, &c.name)
		return c, err
	})
	if err != nil {
		return nil, false, fmt.Errorf("resolve %s: %w", to.Kind, err)
	}
	return people, q.fanout, nil
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
	rows, err := db.Query(ctx, `SELECT channel, reason FROM contact_optouts
		WHERE (channel = 'sms' AND address = $1) OR (channel = 'email' AND address = $2)`, c.phone, c.email)
	if err != nil {
		return nil, fmt.Errorf("load opt-outs: %w", err)
	}
	blocked := map[string]string{}
	var ch, reason string
	_, err = pgx.ForEachRow(rows, []any{&ch, &reason}, func() error {
		blocked[ch] = reason
		return nil
	})
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
