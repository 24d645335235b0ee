package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// OptOutRow counts addresses that may no longer be messaged, by channel,
// reason and whose address it is.
type OptOutRow struct {
	Channel string
	Reason  string
	// Person is "student" or "guardian".
	Person string
	Count  int
}

// OptOuts counts opt-outs (STOP replies, unsubscribes, bounces) of the
// scope's students' and guardians' addresses. Opt-outs are not tied to a
// program year, so the filter does not apply.
func (q *Queries) OptOuts(ctx context.Context, s store.Scope, f Filter) ([]OptOutRow, error) {
	rows, err := query(ctx, q, s, f, `
		, people AS (
			SELECT 'student' AS person, st.phone, st.email FROM students st
			WHERE st.district_id = $1 AND ($2::boolean OR st.school_id = ANY($3::uuid[]))
			UNION ALL
			SELECT 'guardian', g.phone, g.email FROM guardians g JOIN students st ON st.id = g.student_id
			WHERE st.district_id = $1 AND ($2::boolean OR st.school_id = ANY($3::uuid[]))
		), matched AS (
			SELECT DISTINCT o.channel, o.reason, p.person, o.address FROM contact_optouts o
			JOIN people p ON (o.channel = 'sms' AND p.phone = o.address) OR (o.channel = 'email' AND p.email = o.address)
		)
		SELECT channel, reason, person, count(*) FROM matched
		GROUP BY channel, reason, person ORDER BY channel DESC, reason, person`,
		func(r pgx.CollectableRow) (OptOutRow, error) {
			var o OptOutRow
			err := r.Scan(&o.Channel, &o.Reason, &o.Person, &o.Count)
			return o, err
		})
	if err != nil {
		return nil, fmt.Errorf("opt-outs: %w", err)
	}
	return rows, nil
}
