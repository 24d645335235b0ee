package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// FundingLabels names the funding sources the way districts say them.
var FundingLabels = map[string]string{
	"employer_paid": "Employer-paid",
	"district_cte":  "CTE-funded",
	"city_program":  "City program",
}

// FundingRow counts placements paid from one source.
type FundingRow struct {
	Source        string
	Label         string
	Placements    int
	Working       int
	Completed     int
	HoursApproved float64
}

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
	rows, err := query(ctx, q, s, f, `
		SELECT v.value, count(pl.id), count(s.working_at), count(s.completed_at), COALESCE(sum(a.hours), 0)::float8
		FROM unnest($5::text[]) WITH ORDINALITY AS v(value, ord)
		LEFT JOIN (placements pl JOIN scoped s ON s.journey_id = pl.journey_id) ON pl.`+column+` = v.value
		LEFT JOIN approved a ON a.journey_id = pl.journey_id
		GROUP BY v.value, v.ord ORDER BY v.ord`,
		func(r pgx.CollectableRow) (FundingRow, error) {
			var fr FundingRow
			err := r.Scan(&fr.Source, &fr.Placements, &fr.Working, &fr.Completed, &fr.HoursApproved)
			fr.Label = labels[fr.Source]
			return fr, err
		}, values)
	if err != nil {
		return nil, fmt.Errorf("placements by %s: %w", column, err)
	}
	return rows, nil
}
