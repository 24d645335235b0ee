package reports

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
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
func (q *Queries) PlacementsByFunding(ctx context.Context, s Scope, f Filter) ([]FundingRow, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT fs.source, count(pl.id), count(s.working_at), count(s.completed_at), COALESCE(sum(a.hours), 0)::float8
		FROM (VALUES ('employer_paid', 1), ('district_cte', 2), ('city_program', 3)) AS fs(source, ord)
		LEFT JOIN (placements pl JOIN scoped s ON s.journey_id = pl.journey_id) ON pl.funding_source = fs.source
		LEFT JOIN approved a ON a.journey_id = pl.journey_id
		GROUP BY fs.source, fs.ord ORDER BY fs.ord`,
		func(r pgx.CollectableRow) (FundingRow, error) {
			var fr FundingRow
			err := r.Scan(&fr.Source, &fr.Placements, &fr.Working, &fr.Completed, &fr.HoursApproved)
			fr.Label = FundingLabels[fr.Source]
			return fr, err
		})
	if err != nil {
		return nil, fmt.Errorf("placements by funding: %w", err)
	}
	return rows, nil
}

// SourceLabels names how students were placed.
var SourceLabels = map[string]string{
	"posting":       "Through a posting",
	"student_found": "Found by the student",
}

// PlacementsBySource counts placements by how the student was placed: a
// posting staff published, or an internship the student found and the
// coordinator vetted. Both sources are listed even when zero.
func (q *Queries) PlacementsBySource(ctx context.Context, s Scope, f Filter) ([]FundingRow, error) {
	rows, err := query(ctx, q, s, f, `
		SELECT ps.source, count(pl.id), count(s.working_at), count(s.completed_at), COALESCE(sum(a.hours), 0)::float8
		FROM (VALUES ('posting', 1), ('student_found', 2)) AS ps(source, ord)
		LEFT JOIN (placements pl JOIN scoped s ON s.journey_id = pl.journey_id) ON pl.source = ps.source
		LEFT JOIN approved a ON a.journey_id = pl.journey_id
		GROUP BY ps.source, ps.ord ORDER BY ps.ord`,
		func(r pgx.CollectableRow) (FundingRow, error) {
			var fr FundingRow
			err := r.Scan(&fr.Source, &fr.Placements, &fr.Working, &fr.Completed, &fr.HoursApproved)
			fr.Label = SourceLabels[fr.Source]
			return fr, err
		})
	if err != nil {
		return nil, fmt.Errorf("placements by source: %w", err)
	}
	return rows, nil
}
