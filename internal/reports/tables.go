package reports

import (
	"context"
	"fmt"

	"github.com/internflow/internflow/internal/store"
)

var funnelColumns = []string{"signed up", "survey done", "intern ready", "applied", "placed", "permit done",
	"trainings done", "working", "completed"}

func funnelCells(r FunnelRow) []string {
	return []string{r.Label, itoa(r.SignedUp), itoa(r.SurveyDone), itoa(r.InternReady), itoa(r.Applied), itoa(r.Placed),
		itoa(r.PermitDone), itoa(r.TrainingsDone), itoa(r.Working), itoa(r.Completed)}
}

func funnelTable(run func(*Queries, context.Context, store.Scope, Filter) ([]FunnelRow, error), by string) func(context.Context, *Queries, store.Scope, Filter) (Table, error) {
	return func(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
		rows, err := run(q, ctx, s, f)
		t := Table{Columns: append([]string{by}, funnelColumns...), Total: funnelCells(FunnelTotal(rows))}
		for _, r := range rows {
			t.Rows = append(t.Rows, funnelCells(r))
		}
		return t, err
	}
}

func placementsTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.PlacementsByFunding(ctx, s, f)
	t := placementCounts("funding source", rows)
	t.Chart = &Chart{Desc: "Placements per funding source: CTE or district-paid, employer-paid, city program.",
		Series: []string{"placements"}}
	for _, r := range rows {
		t.Chart.Bars = append(t.Chart.Bars, Bar{Label: r.Label, Values: []float64{float64(r.Placements)}})
	}
	return t, err
}

func sourcesTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.PlacementsBySource(ctx, s, f)
	return placementCounts("how placed", rows), err
}

// placementCounts is a table of placement counts by one grouping, with
// the total.
func placementCounts(by string, rows []FundingRow) Table {
	t := Table{Columns: []string{by, "placements", "working", "completed", "approved hours"}}
	var total FundingRow
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Label, itoa(r.Placements), itoa(r.Working), itoa(r.Completed), hours(r.HoursApproved)})
		total.Placements += r.Placements
		total.Working += r.Working
		total.Completed += r.Completed
		total.HoursApproved += r.HoursApproved
	}
	t.Total = []string{"Total", itoa(total.Placements), itoa(total.Working), itoa(total.Completed), hours(total.HoursApproved)}
	return t
}

func phasesTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.PhasesBySchool(ctx, s, f)
	t := Table{Columns: append(append([]string{"school"}, Phases...), "signed up")}
	t.Chart = &Chart{Desc: "For each school, its journeys split by the furthest step they reached: getting ready, applied, placed, working, completed.",
		Series: Phases, Stacked: true}
	total := make([]int, len(Phases)+1)
	for _, r := range rows {
		cells, values, sum := []string{r.Label}, []float64{}, 0
		for i, n := range r.Counts {
			cells = append(cells, itoa(n))
			values = append(values, float64(n))
			total[i] += n
			sum += n
		}
		total[len(Phases)] += sum
		t.Rows = append(t.Rows, append(cells, itoa(sum)))
		t.Chart.Bars = append(t.Chart.Bars, Bar{Label: r.Label, Values: values})
	}
	t.Total = []string{"Total"}
	for _, n := range total {
		t.Total = append(t.Total, itoa(n))
	}
	return t, err
}

func completionCells(r CompletionRow) []string {
	return []string{r.School, itoa(r.Journeys), itoa(r.Placed), itoa(r.Completed), itoa(r.Withdrawn), itoa(r.Open),
		percent(r.Rate()), percent(r.RateOfAll())}
}

func completionTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.CompletionBySchool(ctx, s, f)
	t := Table{Columns: []string{"school", "signed up", "placed", "completed", "withdrawn", "open",
		"completion rate (%)", "of all signed up (%)"}, Total: completionCells(CompletionTotal(rows))}
	for _, r := range rows {
		t.Rows = append(t.Rows, completionCells(r))
	}
	return t, err
}

func stuckTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.StuckByStage(ctx, s, f)
	t := Table{Columns: append([]string{"stage", "open journeys", "overdue", "median days in stage", "longest days in stage"}, DayBuckets...)}
	t.Chart = &Chart{Desc: "For each stage, its open journeys split by how long they have been in it.", Series: DayBuckets, Stacked: true}
	for _, r := range rows {
		label := StageLabels[r.Stage]
		if label == "" {
			label = r.Stage
		}
		cells := []string{label, itoa(r.Open), itoa(r.Overdue), hours(r.MedianDays), hours(r.MaxDays)}
		values := []float64{}
		for _, n := range r.Spread {
			cells = append(cells, itoa(n))
			values = append(values, float64(n))
		}
		t.Rows = append(t.Rows, cells)
		t.Chart.Bars = append(t.Chart.Bars, Bar{Label: label, Values: values})
	}
	return t, err
}

func hoursTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.HoursPerStudent(ctx, s, f)
	t := Table{Columns: []string{"school", "student id", "last name", "first name", "approved hours", "required hours", "completed"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.School, r.SourceID, r.LastName, r.FirstName, hours(r.HoursApproved),
			hours(r.HoursRequired), yesNo(r.Completed)})
	}
	tot := TotalHours(rows)
	t.Total = []string{fmt.Sprintf("Total (%d students; %d met required hours)", tot.Students, tot.MetRequired), "", "", "",
		hours(tot.HoursApproved), hours(tot.HoursRequired), ""}
	return t, err
}

func hoursBySchoolTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.HoursPerStudent(ctx, s, f)
	t := Table{Columns: []string{"school", "students", "approved hours", "required hours", "students who met required hours"}}
	t.Chart = &Chart{Desc: "For each school, the timesheet hours approved beside the hours its students' placements require.",
		Series: []string{"approved hours", "required hours"}}
	cells := func(label string, h HoursTotals) []string {
		return []string{label, itoa(h.Students), hours(h.HoursApproved), hours(h.HoursRequired), itoa(h.MetRequired)}
	}
	for _, sh := range HoursBySchool(rows) {
		t.Rows = append(t.Rows, cells(sh.School, sh.HoursTotals))
		t.Chart.Bars = append(t.Chart.Bars, Bar{Label: sh.School, Values: []float64{sh.HoursApproved, sh.HoursRequired}})
	}
	t.Total = cells("Total", TotalHours(rows))
	return t, err
}

func messagesTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.MessagesByChannel(ctx, s, f)
	t := Table{Columns: []string{"channel", "total", "queued", "sent", "delivered", "failed", "suppressed", "delivery rate (%)"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Channel, itoa(r.Total), itoa(r.Queued), itoa(r.Sent), itoa(r.Delivered),
			itoa(r.Failed), itoa(r.Suppressed), percent(r.DeliveryRate())})
	}
	return t, err
}

func optOutsTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.OptOuts(ctx, s, f)
	t := Table{Columns: []string{"channel", "reason", "whose address", "addresses"}}
	total := 0
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Channel, r.Reason, r.Person, itoa(r.Count)})
		total += r.Count
	}
	t.Total = []string{"Total", "", "", itoa(total)}
	return t, err
}

func perkinsTable(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	rows, err := q.Perkins(ctx, s, f)
	t := Table{Columns: []string{"school", "participants", "completed work-based learning", "share (%)"}}
	for _, r := range rows {
		cells := []string{r.School, itoa(r.Participants), itoa(r.Completed), percent(r.Share())}
		if r.School == "" {
			cells[0] = "Total (students counted once)"
			t.Total = cells
			continue
		}
		t.Rows = append(t.Rows, cells)
	}
	return t, err
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
