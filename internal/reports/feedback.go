package reports

import (
	"context"
	"math"
	"strings"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// FeedbackRow is what one employer's interns of one program year and
// their supervisors said at the end: the employer's ratings (averaged per
// skill over the feedback given), how many students wrote a reflection,
// and the employer's comments.
type FeedbackRow = store.FeedbackRow

// FeedbackByEmployer groups placements in scope by employer and program
// year, newest year first.
func (q *Queries) FeedbackByEmployer(ctx context.Context, s store.Scope, f Filter) ([]FeedbackRow, error) {
	sc, err := reportScope(s, f)
	if err != nil {
		return nil, err
	}
	return q.store.ReportFeedbackByEmployer(ctx, sc, workflows.SoftSkills)
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
