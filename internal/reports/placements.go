package reports

import (
	"context"

	"github.com/internflow/internflow/internal/store"
)

// FundingLabels names the funding sources the way districts say them.
var FundingLabels = map[string]string{
	"employer_paid": "Employer-paid",
	"district_cte":  "CTE-funded",
	"city_program":  "City program",
}

// FundingRow counts placements paid from one source.
type FundingRow = store.FundingRow

// PlacementsByFunding counts placements per funding source, every source
// listed even when zero.
func (q *Queries) PlacementsByFunding(ctx context.Context, s store.Scope, f Filter) ([]FundingRow, error) {
	return q.placementsBy(ctx, s, f, "funding_source", []string{"employer_paid", "district_cte", "city_program"}, FundingLabels)
}

// SourceLabels names how students were placed.
var SourceLabels = map[string]string{
	"posting":       "Through a posting",
	"student_found": "Found by the student",
}

// PlacementsBySource counts placements by how the student was placed: a
// posting staff published, or an internship the student found and the
// coordinator vetted. Both sources are listed even when zero.
func (q *Queries) PlacementsBySource(ctx context.Context, s store.Scope, f Filter) ([]FundingRow, error) {
	return q.placementsBy(ctx, s, f, "source", []string{"posting", "student_found"}, SourceLabels)
}

// placementsBy counts placements, working and completed students and
// approved hours per value of one placements column, in the order given,
// every value listed even when zero. column is one of this file's
// constants, never input.
func (q *Queries) placementsBy(ctx context.Context, s store.Scope, f Filter, column string, values []string, labels map[string]string) ([]FundingRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	rows, err := q.store.ReportPlacementsBy(ctx, sc, column, values)
	for i := range rows {
		rows[i].Label = labels[rows[i].Source]
	}
	return rows, err
}
