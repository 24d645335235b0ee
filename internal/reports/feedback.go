package reports

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// FeedbackRow is what one employer's interns of one program year and
// their supervisors said at the end: the employer's ratings (averaged per
// skill over the feedback given), how many students wrote a reflection,
// and the employer's comments.
type FeedbackRow struct {
	EmployerID  string
	Employer    string
	ProgramYear int
	Placements  int
	Feedback    int // placements with the employer's feedback
	Reflections int
	// Averages are per skill in workflows.SoftSkills order; NaN when no
	// feedback rated it.
	Averages []float64
	Comments []string
}

// FeedbackByEmployer groups placements in scope by employer and program
// year, newest year first.
func (q *Queries) FeedbackByEmployer(ctx context.Context, s store.Scope, f Filter) ([]FeedbackRow, error) {
	// One average column per skill; the skill names are bound as
	// parameters ($5...), never written into the SQL.
	var avgs []string
	var skills []any
	for i, skill := range workflows.SoftSkills {
		avgs = append(avgs, fmt.Sprintf("COALESCE(avg((fb.ratings->>$%d::text)::numeric), 'NaN')::float8", 5+i))
		skills = append(skills, skill)
	}
	rows, err := query(ctx, q, s, f, `
		SELECT e.id::text, e.name, s.program_year, count(*), count(fb.journey_id), count(r.journey_id),
			`+strings.Join(avgs, ", ")+`,
			COALESCE(array_agg(btrim(fb.comment) ORDER BY fb.submitted_at) FILTER (WHERE btrim(fb.comment) <> ''), '{}')
		FROM placements pl JOIN scoped s ON s.journey_id = pl.journey_id JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN employer_feedback fb ON fb.journey_id = pl.journey_id
		LEFT JOIN reflections r ON r.journey_id = pl.journey_id
		GROUP BY e.id, e.name, s.program_year ORDER BY s.program_year DESC, e.name, e.id`,
		func(r pgx.CollectableRow) (FeedbackRow, error) {
			fr := FeedbackRow{Averages: make([]float64, len(workflows.SoftSkills))}
			dest := []any{&fr.EmployerID, &fr.Employer, &fr.ProgramYear, &fr.Placements, &fr.Feedback, &fr.Reflections}
			for i := range fr.Averages {
				dest = append(dest, &fr.Averages[i])
			}
			err := r.Scan(append(dest, &fr.Comments)...)
			return fr, err
		}, skills...)
	if err != nil {
		return nil, fmt.Errorf("feedback by employer: %w", err)
	}
	return rows, nil
}

// commentSeparator joins an employer's comments in one cell.
const commentSeparator = " | "

func feedbackTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.FeedbackByEmployer(ctx, s, f)
	t := Table{Columns: []string{"employer", "program year", "placements", "feedback given"}}
	for _, skill := range workflows.SoftSkills {
		t.Columns = append(t.Columns, "avg "+strings.ToLower(certificate.SkillLabels["en"][skill]))
	}
	t.Columns = append(t.Columns, "reflections", "comments")
	for _, r := range rows {
		cells := []string{r.Employer, itoa(r.ProgramYear), itoa(r.Placements), itoa(r.Feedback)}
		for _, a := range r.Averages {
			cells = append(cells, average(a))
		}
		t.Rows = append(t.Rows, append(cells, itoa(r.Reflections), strings.Join(r.Comments, commentSeparator)))
	}
	return t, err
}

// average is a mean rating with at most two decimals; blank when nothing
// was rated.
func average(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return hours(v)
}
