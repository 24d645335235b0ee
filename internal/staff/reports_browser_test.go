package staff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chartedReports are the reports drawn as charts, each with its table.
var chartedReports = []string{"phases-by-school", "placements-by-funding", "stuck-by-stage", "hours-by-school"}

// withPlacements funds school A's placed journeys (two of three by CTE,
// the rest by the employer) and places school B's student with an
// employer-paid internship, returning school A's counts by source.
func withPlacements(t *testing.T, e *env) (cte, employer int) {
	t.Helper()
	e.exec(t, `INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required)
		SELECT journey_id, $2, $3, CASE WHEN row_number() OVER (ORDER BY journey_id) % 3 = 0 THEN 'employer_paid' ELSE 'district_cte' END, 100
		FROM journey_view WHERE school_id = $1 AND placed_at IS NOT NULL`, e.f.School, e.f.Posting, e.f.Employer)
	e.exec(t, `INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required)
		VALUES ($1, $2, $3, 'employer_paid', 80)`, e.journeyB, e.f.Posting, e.f.Employer)
	err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE funding_source = 'district_cte'),
		count(*) FILTER (WHERE funding_source = 'employer_paid')
		FROM placements pl JOIN journey_view jv USING (journey_id) WHERE jv.school_id = $1`, e.f.School).Scan(&cte, &employer)
	if err != nil {
		t.Fatal(err)
	}
	if cte == 0 || employer == 0 {
		t.Fatalf("the synthetic school has %d CTE and %d employer-paid placements; the test needs both", cte, employer)
	}
	return cte, employer
}

// placementCells reads the placements table's figures as "source=count".
func placementCells(t *testing.T, ctx context.Context) string {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#placements-by-funding tbody tr")]
		.map(tr => tr.cells[0].innerText + "=" + tr.cells[1].innerText)`))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, " ")
}

// chartText is what a report's chart writes (SVG has no innerText).
func chartText(t *testing.T, ctx context.Context, report string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector("#%s svg.chart").textContent`, report)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The reports as a district admin and then a coordinator meet them in a
// desktop browser: inside the staff layout (nav, Reports highlighted), the
// funnel by school, placements by funding, days in stage and hours each
// drawn as a chart with its table; the coordinator's charts and tables
// hold only their school.
func TestBrowser_ReportsShowChartsWithTablesInsideTheStaffLayout(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	withStudents(t, e)
	cte, employer := withPlacements(t, e)

	signInInBrowser(t, ctx, e, adminEmail)
	run(t, ctx, "open Reports from the nav", chromedp.Click(chromedp.CSS(`nav[aria-label=Staff] a[href="/reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#phases-by-school svg.chart`)))
	if got := text(t, ctx, `nav[aria-label=Staff] a[aria-current=page]`); got != "Reports" {
		t.Fatalf("the nav highlights %q, want Reports", got)
	}
	for _, name := range chartedReports {
		type chartSeen struct {
			Role, Title string
			Width       float64
			Rows        int
		}
		sel := "#" + name
		run(t, ctx, "see the "+name+" chart", chromedp.WaitVisible(chromedp.CSS(sel+" svg.chart")),
			chromedp.WaitVisible(chromedp.CSS(sel+" table")))
		chart, err := chromedp.Run(ctx, chromedp.Evaluate[chartSeen](fmt.Sprintf(`(() => { const s = document.querySelector(%q);
			const svg = s.querySelector("svg.chart");
			return {Role: svg.getAttribute("role"), Title: svg.querySelector("title").textContent,
				Width: svg.getBoundingClientRect().width, Rows: s.querySelectorAll("table tbody tr").length}; })()`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		// The stylesheet (allowed by the CSP) sizes the chart to the card.
		if chart.Role != "img" || chart.Title == "" || chart.Width < 600 || chart.Rows == 0 {
			t.Errorf("%s: chart %+v", name, chart)
		}
	}
	if got := chartText(t, ctx, "phases-by-school"); !strings.Contains(got, "Fixture High") || !strings.Contains(got, "Second High") {
		t.Errorf("the admin's funnel chart names %q, want both schools", got)
	}
	if got, want := placementCells(t, ctx), fmt.Sprintf("Employer-paid=%d CTE-funded=%d", employer+1, cte); !strings.HasPrefix(got, want) {
		t.Errorf("the admin's placements table reads %q, want %q", got, want)
	}
	shot(t, ctx, "reports.png")

	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.ID("email")))
	signInInBrowser(t, ctx, e, coachA)
	run(t, ctx, "open Reports", chromedp.Click(chromedp.CSS(`nav[aria-label=Staff] a[href="/reports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#hours-by-school svg.chart`)))
	for _, name := range chartedReports {
		if got := text(t, ctx, "#"+name) + chartText(t, ctx, name); strings.Contains(got, "Second High") {
			t.Errorf("the coordinator of Fixture High sees Second High in %s", name)
		}
	}
	if got := chartText(t, ctx, "phases-by-school"); !strings.Contains(got, "Fixture High") {
		t.Errorf("the coordinator's funnel chart reads %q", got)
	}
	if got, want := placementCells(t, ctx), fmt.Sprintf("Employer-paid=%d CTE-funded=%d", employer, cte); !strings.HasPrefix(got, want) {
		t.Errorf("the coordinator's placements table reads %q, want %q", got, want)
	}

	// What the browser was sent: the site's CSP (no script, styles only
	// from the stylesheet), and a page that needs neither.
	r := e.signIn(t, coachA).Get("/reports")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'self'") {
		t.Errorf("reports CSP = %q", csp)
	}
	if r.Header.Get("Cache-Control") != "no-store" || strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "style=") ||
		strings.Contains(r.Body, "<style") {
		t.Errorf("reports page caches, or carries script or inline style (Cache-Control %q)", r.Header.Get("Cache-Control"))
	}
}
