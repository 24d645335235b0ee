package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// CompletionRow is how a school's journeys ended, or have not yet.
type CompletionRow = store.CompletionRow

// CompletionBySchool counts outcomes per school.
func (q *Queries) CompletionBySchool(ctx context.Context, s store.Scope, f Filter) ([]CompletionRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportCompletionBySchool(ctx, sc)
}

// CompletionTotal adds rows up.
func CompletionTotal(rows []CompletionRow) CompletionRow {
	t := CompletionRow{School: "Total"}
	for _, r := range rows {
		t.Journeys += r.Journeys
		t.Placed += r.Placed
		t.Completed += r.Completed
		t.Withdrawn += r.Withdrawn
		t.Open += r.Open
	}
	return t
}
