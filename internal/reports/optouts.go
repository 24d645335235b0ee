package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// OptOutRow counts addresses that may no longer be messaged, by channel,
// reason and whose address it is.
type OptOutRow = store.OptOutRow

// OptOuts counts opt-outs (STOP replies, unsubscribes, bounces) of the
// scope's students' and guardians' addresses. Opt-outs are not tied to a
// program year, so the filter does not apply.
func (q *Queries) OptOuts(ctx context.Context, s store.Scope, f Filter) ([]OptOutRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportOptOuts(ctx, sc)
}
