package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// PerkinsRow is the Perkins V work-based learning count for one school
// (School "" is the district total, counting each student once).
type PerkinsRow = store.PerkinsRow

// Perkins counts students who completed a work-based learning experience,
// per school and in total.
func (q *Queries) Perkins(ctx context.Context, s store.Scope, f Filter) ([]PerkinsRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportPerkins(ctx, sc)
}
