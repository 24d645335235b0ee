package reports

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/store"
)

// Table is a report ready to show or download: the page renders it as an
// HTML table and WriteCSV as CSV.
type Table struct {
	// Name is the report's URL name (/reports/{name}.csv).
	Name  string
	Title string
	// Note says how the figures are counted.
	Note    string
	Columns []string
	Rows    [][]string
	// Total is an optional last row.
	Total []string
	// Chart, when set, draws the table's figures on the page (the CSV
	// has the table only). Table sets its ID and Title.
	Chart *Chart
}

// Report describes one named report.
type Report struct {
	Name, Title, Note string
	build             func(context.Context, *Queries, store.Scope, Filter) (Table, error)
}

// Catalog lists the reports in page order.
var Catalog = []Report{
	{"phases-by-school", "Funnel by school: how far journeys got", "Each journey counted once, at the furthest step it reached (withdrawn journeys where they stopped).", phasesTable},
	{"funnel-by-school", "Funnel by school", "Journeys that reached each milestone.", funnelTable((*Queries).FunnelBySchool, "school")},
	{"funnel-by-pathway", "Funnel by pathway", "Pathway as chosen in the interest survey.", funnelTable((*Queries).FunnelByPathway, "pathway")},
	{"placements-by-funding", "Placements by funding source", "", placementsTable},
	{"placements-by-source", "Placements by source", "Through a posting staff published, or an internship the student found (vetted by the coordinator, confirmed by the supervisor).", sourcesTable},
	{"completion", "Completion rate", "Rate = completed ÷ placed; of all = completed ÷ signed up.", completionTable},
	{"stuck-by-stage", "Days in the current stage (open journeys)", "", stuckTable},
	{"hours-by-school", "Hours approved vs required, by school", "Approved timesheet hours; required hours from each student's placement.", hoursBySchoolTable},
	{"hours-per-student", "Approved hours per student", "Approved timesheet hours; required hours from the placement.", hoursTable},
	{"messages-by-channel", "Messages by channel", "Sent = accepted by the provider (delivered included); delivery rate = delivered ÷ sent.", messagesTable},
	{"opt-outs", "Opt-outs", "Students' and guardians' addresses that may no longer be messaged.", optOutsTable},
	{"feedback-by-employer", "Employer feedback and reflections by employer", "Per employer and program year: the supervisors' ratings (1-5) averaged over the feedback given, the students' reflections, the supervisors' comments.", feedbackTable},
	{"perkins", "Work-based learning (Perkins)", "Students who completed a work-based learning experience: a completed journey with approved hours at or above the required hours.", perkinsTable},
}

// Find returns the named report.
func Find(name string) (Report, bool) {
	for _, r := range Catalog {
		if r.Name == name {
			return r, true
		}
	}
	return Report{}, false
}

// Table runs the report.
func (r Report) Table(ctx context.Context, q *Queries, s store.Scope, f Filter) (Table, error) {
	t, err := r.build(ctx, q, s, f)
	t.Name, t.Title, t.Note = r.Name, r.Title, r.Note
	if t.Chart != nil {
		t.Chart.ID, t.Chart.Title = "chart-"+r.Name, r.Title
	}
	return t, err
}

// WriteCSV writes a table as CSV: a header row, the rows, then the total.
// Cells a spreadsheet would run as a formula are prefixed with a quote:
// names come from SIS exports we do not control.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	rows := append([][]string{t.Columns}, t.Rows...)
	if t.Total != nil {
		rows = append(rows, t.Total)
	}
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, cell := range row {
			safe[i] = defuse(cell)
		}
		if err := cw.Write(safe); err != nil {
			return fmt.Errorf("write %s csv: %w", t.Name, err)
		}
	}
	cw.Flush()
	return cw.Error()
}

// defuse neutralises spreadsheet formulas (=, +, -, @, tab, CR first) in
// text cells; numbers pass unchanged.
func defuse(cell string) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return cell
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil {
		return cell
	}
	return "'" + cell
}

func itoa(n int) string { return strconv.Itoa(n) }

// hours formats hours and days with at most two decimals ("12.5").
func hours(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

// percent formats a ratio as a percentage with one decimal ("66.7").
func percent(r float64) string { return strconv.FormatFloat(r*100, 'f', 1, 64) }
