package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/loadtest/synthetic"
	"github.com/internflow/internflow/internal/testenv"
)

// BenchmarkTextStorm is the afternoon every student got the survey text:
// INTERNFLOW_STORM phones (default 5,000) open their survey link and
// submit the survey, over loopback HTTP against real `internflow serve`
// and `worker` processes and real journeys, arriving at
// INTERNFLOW_STORM_RATE a second (default 10: 5,000 in about 8 minutes).
// A coordinator keeps the dashboard open meanwhile, with 50,000 more
// journeys in the read model. It prints page and submit p95, errors and
// the dashboard p95 during the storm.
func BenchmarkTextStorm(b *testing.B) {
	n := envInt(b, "INTERNFLOW_STORM", 5000)
	rate := envInt(b, "INTERNFLOW_STORM_RATE", 10)
	for range b.N {
		r := textStorm(b, n, float64(rate))
		b.ReportMetric(r.page.P95, "page_p95_ms")
		b.ReportMetric(r.submit.P95, "submit_p95_ms")
		b.ReportMetric(float64(r.errors), "errors")
		b.ReportMetric(r.dashboard.P95, "dashboard_p95_ms")
		fmt.Print(r.table(n, rate))
		if r.errors > 0 {
			b.Errorf("%d phones failed: %s", r.errors, strings.Join(r.firstErrors, "; "))
		}
	}
}

// stormResult is what a storm measured.
type stormResult struct {
	page, submit, dashboard Latencies
	errors                  int64
	firstErrors             []string
	wall                    time.Duration // first phone to the last answer
	moved                   int           // journeys past the survey in the read model
	serveCPU, workerCPU     time.Duration
	preloaded               int
	load                    string
}

func textStorm(b *testing.B, n int, rate float64) stormResult {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n/5+900)*time.Second)
	defer cancel()
	st := testenv.DB(b)
	d, err := seed(ctx, st, n, 40, 20)
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	const preload = 50_000
	if _, err := synthetic.Load(ctx, st.Pool, synthetic.Options{Journeys: preload, AuditRows: preload * 4,
		Into: &synthetic.District{DistrictID: d.ID, SchoolIDs: d.Schools, ProgramID: d.Program}}); err != nil {
		b.Fatalf("preload the read model: %v", err)
	}
	sys := startSystem(b, st, 1) // real days: no reminder falls due during the storm
	minter := &links.Minter{Secret: sys.LinkSecret, BaseURL: sys.URL}
	p, err := staffUp(ctx, sys, minter, d)
	if err != nil {
		b.Fatalf("staff sign-in: %v", err)
	}
	journeys, err := enrolAll(ctx, sys, d, p)
	if err != nil {
		b.Fatalf("enrol: %v", err)
	}
	texts, err := waitForSurveyTexts(ctx, sys, journeys)
	if err != nil {
		b.Fatal(err)
	}
	// The texts went out the day before the storm, and autovacuum has
	// analyzed the tables since. Straight after the bulk load and the
	// enrolment it has not, and PostgreSQL plans with statistics of
	// near-empty tables: closing a finished survey's links then took
	// 94 ms instead of 0.8 ms.
	if _, err := st.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}

	r := stormResult{preloaded: preload}
	serve0, _ := processUsage(sys.Serve.Cmd.Process.Pid)
	worker0, _ := processUsage(sys.Worker.Cmd.Process.Pid)
	probing, stopProbe := context.WithCancel(ctx)
	dash := &dashboardProbe{member: p.coords[d.Schools[0]], url: sys.URL}
	go dash.run(probing)
	b.ResetTimer()
	ph := &phones{client: newClient(false)}
	began := time.Now()
	var wg sync.WaitGroup
	for i, t := range texts {
		// Open-loop arrivals: a phone opens its text when it does,
		// whether or not the server kept up with the ones before.
		if wait := time.Until(began.Add(time.Duration(float64(i) / rate * float64(time.Second)))); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go func() { defer wg.Done(); ph.surveyFrom(ctx, minter, t) }()
	}
	wg.Wait()
	r.wall = time.Since(began)
	b.StopTimer()
	stopProbe()
	r.load = testenv.LoadAverage()
	serve1, _ := processUsage(sys.Serve.Cmd.Process.Pid)
	worker1, _ := processUsage(sys.Worker.Cmd.Process.Pid)
	r.serveCPU, r.workerCPU = serve1.CPU-serve0.CPU, worker1.CPU-worker0.CPU
	r.page, r.submit, r.dashboard = percentiles(ph.pages), percentiles(ph.submits), dash.latencies()
	r.errors, r.firstErrors = ph.failed.Load(), ph.errs
	r.moved = pastSurvey(ctx, sys, journeys)
	if r.moved != n && r.errors == 0 {
		r.errors = int64(n - r.moved)
		r.firstErrors = append(r.firstErrors, fmt.Sprintf("%d journeys still wait on the survey", n-r.moved))
	}
	return r
}

// surveyText is the survey link a student's text carried.
type surveyText struct{ journeyID, linkID string }

// waitForSurveyTexts waits until every journey's survey text is sent
// and returns them, one per journey.
func waitForSurveyTexts(ctx context.Context, sys *system, journeys []string) ([]surveyText, error) {
	for {
		rows, err := sys.Store.Pool.Query(ctx, `SELECT DISTINCT ON (l.journey_id) l.journey_id::text, l.id::text
			FROM messages m JOIN action_links l ON l.id = m.link_id
			WHERE l.journey_id = ANY($1::uuid[]) AND l.action = 'survey' AND m.recipient_kind = 'student'
				AND m.status IN ('sent', 'delivered')
			ORDER BY l.journey_id, m.id`, journeys)
		if err != nil {
			return nil, err
		}
		var texts []surveyText
		for rows.Next() {
			var t surveyText
			if err := rows.Scan(&t.journeyID, &t.linkID); err != nil {
				rows.Close()
				return nil, err
			}
			texts = append(texts, t)
		}
		rows.Close()
		if len(texts) >= len(journeys) {
			return texts, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%d of %d survey texts sent: %w", len(texts), len(journeys), ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// phones are the students' phones: each opens its link once and submits.
type phones struct {
	client         *http.Client
	mu             sync.Mutex
	pages, submits []time.Duration
	errs           []string
	failed         atomic.Int64
}

// surveyFrom opens the survey link, fills the survey in as a willing
// student does and sends it; the answer must be the page that says it
// is done (no form again, no error).
func (ph *phones) surveyFrom(ctx context.Context, minter *links.Minter, t surveyText) {
	ctx = asPerson(ctx, t.journeyID+"student")
	u, err := minter.URL(t.linkID)
	if err != nil {
		ph.fail("mint: " + err.Error())
		return
	}
	began := time.Now()
	resp, body, err := get(ctx, ph.client, u)
	took := time.Since(began)
	if err != nil || resp.StatusCode != http.StatusOK {
		ph.fail(fmt.Sprintf("open: %v %s", err, status(resp)))
		return
	}
	f := linkForm(parseForms(body))
	if f == nil {
		ph.fail("open: no survey form on the page")
		return
	}
	began = time.Now()
	resp, body, err = submit(ctx, ph.client, resp.Request.URL, *f, cooperative(""), choose)
	sent := time.Since(began)
	if err != nil || resp.StatusCode != http.StatusOK {
		ph.fail(fmt.Sprintf("submit: %v %s", err, status(resp)))
		return
	}
	if again := linkForm(parseForms(body)); again != nil && again.action == f.action {
		ph.fail("submit: the survey came back (" + fieldErrors(body) + ")")
		return
	}
	ph.mu.Lock()
	ph.pages, ph.submits = append(ph.pages, took), append(ph.submits, sent)
	ph.mu.Unlock()
}

func (ph *phones) fail(why string) {
	ph.failed.Add(1)
	ph.mu.Lock()
	if len(ph.errs) < 5 {
		ph.errs = append(ph.errs, why)
	}
	ph.mu.Unlock()
}

func status(resp *http.Response) string {
	if resp == nil {
		return ""
	}
	return resp.Status
}

// pastSurvey counts the journeys the read model shows past the survey,
// once every one is or a minute has passed (the read model is written
// after the journey answered the page).
func pastSurvey(ctx context.Context, sys *system, journeys []string) int {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	for {
		var n int
		err := sys.Store.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view
			WHERE journey_id = ANY($1::uuid[]) AND stage <> 'survey'`, journeys).Scan(&n)
		if err != nil || n == len(journeys) {
			return n
		}
		select {
		case <-ctx.Done():
			return n
		case <-time.After(time.Second):
		}
	}
}

func (r stormResult) table(n, rate int) string {
	var s strings.Builder
	row := func(k, v, how string) { fmt.Fprintf(&s, "| %-34s | %-22s | %s |\n", k, v, how) }
	fmt.Fprintf(&s, "\n### Text storm: %d students open their survey link and submit (%d arrivals a second)\n\n", n, rate)
	row("figure", "value", "how it was measured")
	row("---", "---", "---")
	row("storm", fmt.Sprintf("%v", r.wall.Round(time.Second)), "first phone opens its link to the last answer")
	row("survey page p50 / p95", fmt.Sprintf("%.0f / %.0f ms", r.page.P50, r.page.P95), fmt.Sprintf("GET of the link, %d phones", r.page.N))
	row("submit p50 / p95", fmt.Sprintf("%.0f / %.0f ms", r.submit.P50, r.submit.P95), "POST of the survey until the done page (the journey's update answered)")
	row("errors", fmt.Sprint(r.errors), "a page or submit not answered 200 with the done page, or a journey left at the survey")
	row("journeys past the survey", fmt.Sprintf("%d of %d", r.moved, n), "read model after the storm")
	row("dashboard p50 / p95 during the storm", fmt.Sprintf("%.1f / %.1f ms", r.dashboard.P50, r.dashboard.P95),
		fmt.Sprintf("%d loads of a coordinator's list and funnel pages, %d journeys in the read model", r.dashboard.N, r.preloaded+n))
	row("serve CPU per student", fmt.Sprintf("%.1f ms", float64(r.serveCPU.Microseconds())/1000/float64(n)), "`internflow serve` user+system time over the storm / students")
	row("worker CPU per student", fmt.Sprintf("%.1f ms", float64(r.workerCPU.Microseconds())/1000/float64(n)), "`internflow worker` user+system time over the storm / students")
	row("load average at the end", r.load, "/proc/loadavg (1, 5, 15 minutes)")
	for _, e := range r.firstErrors {
		fmt.Fprintf(&s, "\nfailed: %s\n", e)
	}
	return s.String()
}

func envInt(tb testing.TB, key string, def int) int {
	v := os.Getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		tb.Fatalf("%s: want a positive number, got %q", key, v)
	}
	return n
}
