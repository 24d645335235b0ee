package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Recipients of messages: who a recipient kind and ref name, how to reach
// them, and the addresses opted out.

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

const (
	qSchoolNameDistrict = `SELECT name, district_id::text FROM schools WHERE id = $1`
	qOptouts            = `SELECT channel, reason FROM contact_optouts
		WHERE (channel = 'sms' AND address = $1) OR (channel = 'email' AND address = $2)`
)

// RecipientContact is one resolved person: where to reach them and when.
type RecipientContact struct {
	Kind, Ref            string // messages.recipient_kind / recipient_ref
	Phone, Email         string
	Language, Timezone   string
	DistrictID, SchoolID string
	QuietStart, QuietEnd int
	// StudentFirstName greets the student in messages to students and
	// guardians; Name is the person's own.
	StudentFirstName, Name string
}

// ErrUnknownRecipientKind: no query resolves this kind.
var ErrUnknownRecipientKind = errors.New("unknown recipient kind")

// RecipientContacts finds the people a recipient kind and ref (an id)
// name; fanout says whether the kind names several people, each of whom
// gets their own idempotency key.
func RecipientContacts(ctx context.Context, db DB, kind, ref string) (people []RecipientContact, fanout bool, err error) {
	q, ok := recipientQueries[kind]
	if !ok {
		return nil, false, ErrUnknownRecipientKind
	}
	rows, err := db.Query(ctx, q.sql, ref)
	if err != nil {
		return nil, false, err
	}
	people, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (RecipientContact, error) {
		var c RecipientContact
		err := r.Scan(&c.Kind, &c.Ref, &c.Phone, &c.Email, &c.Language, &c.Timezone, &c.DistrictID, &c.SchoolID,
			&c.QuietStart, &c.QuietEnd, &c.StudentFirstName, &c.Name)
		return c, err
	})
	return people, q.fanout, err
}

// IsRecipientKind reports whether RecipientContacts resolves kind.
func IsRecipientKind(kind string) bool {
	_, ok := recipientQueries[kind]
	return ok
}

// SchoolNameAndDistrict reads a school's name and district; an error
// (pgx.ErrNoRows among them) when there is no such school.
func SchoolNameAndDistrict(ctx context.Context, db DB, schoolID string) (name, districtID string, err error) {
	rows, err := db.Query(ctx, qSchoolNameDistrict, schoolID)
	if err != nil {
		return "", "", err
	}
	type row struct{ Name, District string }
	sc, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return "", "", fmt.Errorf("school: %w", err)
	}
	return sc.Name, sc.District, nil
}

// OptedOut returns, per channel, why the phone's or email's address there
// must not be used (contact_optouts.reason).
func OptedOut(ctx context.Context, db DB, phone, email string) (map[string]string, error) {
	rows, err := db.Query(ctx, qOptouts, phone, email)
	if err != nil {
		return nil, err
	}
	blocked := map[string]string{}
	var ch, reason string
	_, err = pgx.ForEachRow(rows, []any{&ch, &reason}, func() error {
		blocked[ch] = reason
		return nil
	})
	return blocked, err
}
