package loadtest

import (
	"context"
	"fmt"
	"math"
	"net/http/httptrace"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/loadtest/synthetic"
	"github.com/internflow/internflow/internal/testenv"
)

// Options size a run.
type Options struct {
	Journeys int
	Schools  int
	// TimeScale compresses the program's days (ladders, timesheet weeks).
	TimeScale float64
	// InFlight bounds the simulated people's concurrent requests.
	InFlight int
	// Preload adds synthetic journeys to the read model so the dashboard
	// is measured at district scale while the load runs.
	Preload int
	Timeout time.Duration
}

// Result is what a run measured.
type Result struct {
	Journeys, Completed int
	Wall                time.Duration // first enrolment to last completion
	PerMinute           float64
	Acted, Failed       int64
	WorkerPeakRSS       int64
	WorkerCPU           time.Duration
	ServeCPU            time.Duration
	Dashboard           Latencies
	History             HistoryStats
	// ServeErrors are the first errors `internflow serve` logged (JSON
	// lines with ids, never personal data): why a page answered 5xx.
	ServeErrors []string
	// Left counts unfinished journeys by stage and whom they wait on.
	Left map[string]int
	// GaveUp counts the messages people gave up on, by template and error.
	GaveUp map[string]int
	// Late counts texts the phones saw only by looking back minutes: sends
	// whose record committed long after their sent_at.
	Late int64
	// Nudged counts the times a coordinator nudged a journey gone quiet.
	Nudged int64
	// Slowest are the last events of the slowest journeys' people.
	Slowest []string
	// DashboardAnatomy is what the dashboard loads were made of.
	DashboardAnatomy string
	// Routes is the time `serve` spent by route, by its own histogram.
	Routes []RouteTime
	// Profiles is where the CPU profiles went, if they were taken.
	Profiles string
}

// Run drives Options.Journeys journeys to completion through the pages.
func Run(tb testing.TB, o Options) Result { return runWith(tb, o, nil) }

// runWith is Run with a hook to look at the running system afterwards.
func runWith(tb testing.TB, o Options, look func(*system)) Result {
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	st := testenv.DB(tb)
	d, err := seed(ctx, st, o.Journeys, o.Schools, 20)
	if err != nil {
		tb.Fatalf("seed: %v", err)
	}
	if o.Preload > 0 {
		if _, err := synthetic.Load(ctx, st.Pool, synthetic.Options{Journeys: o.Preload, AuditRows: o.Preload * 4,
			Into: &synthetic.District{DistrictID: d.ID, SchoolIDs: d.Schools, ProgramID: d.Program}}); err != nil {
			tb.Fatalf("preload the read model: %v", err)
		}
	}
	// The simulated phones find new messages by when they were sent; the
	// index is the load generator's, not the product's (which never
	// scans the outbox by time).
	if _, err := st.Pool.Exec(ctx, `CREATE INDEX IF NOT EXISTS loadtest_messages_sent ON messages (sent_at) WHERE journey_id IS NOT NULL`); err != nil {
		tb.Fatalf("index for the simulated phones: %v", err)
	}
	sys := startSystem(tb, st, o.TimeScale)
	minter := &links.Minter{Secret: sys.LinkSecret, BaseURL: sys.URL}
	p, err := staffUp(ctx, sys, minter, d)
	if err != nil {
		tb.Fatalf("staff sign-in: %v", err)
	}
	p.http, p.client = make(chan struct{}, o.InFlight), newClient(false)
	r := drive(ctx, tb, sys, d, p)
	if look != nil {
		look(sys)
	}
	return r
}

// staffUp signs in a coordinator per school and the permit issuer.
func staffUp(ctx context.Context, sys *system, minter *links.Minter, d district) (*people, error) {
	p := &people{sys: sys, minter: minter, coords: map[string]*staffMember{}, schoolOf: map[string]string{}, inbox: map[string]chan note{}}
	var err error
	if p.issuer, err = signIn(ctx, sys, minter, d.Issuer); err != nil {
		return nil, err
	}
	for i, school := range d.Schools {
		if p.coords[school], err = signIn(ctx, sys, minter, d.Coordinators[i]); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func drive(ctx context.Context, tb testing.TB, sys *system, d district, p *people) Result {
	res := Result{Journeys: len(d.Students)}
	var peak int64
	sampling, stop := context.WithCancel(ctx)
	defer stop()
	go sampleRSS(sampling, sys.Worker.Cmd.Process.Pid, &peak)
	dash := &dashboardProbe{member: p.coords[d.Schools[0]], url: sys.URL}
	go dash.run(sampling)

	if dir := os.Getenv(profileDirEnv); dir != "" {
		res.Profiles = dir
		go profile(sampling, sys, dir)
	}

	var mu sync.Mutex
	var last time.Time
	completed := 0
	finished := map[string]time.Time{}
	done := func(id string) {
		mu.Lock()
		completed, last = completed+1, time.Now()
		finished[id] = last
		mu.Unlock()
	}
	start := time.Now()
	journeys, err := enrolAll(ctx, sys, d, p)
	if err != nil {
		tb.Fatalf("enrol: %v", err)
	}
	go p.deliver(sampling, start)
	var wg sync.WaitGroup
	for _, j := range journeys {
		wg.Add(1)
		go func() { defer wg.Done(); p.live(ctx, j, done) }()
	}
	wg.Wait()
	stop()
	res.Completed, res.Wall = completed, last.Sub(start)
	if res.Wall > 0 {
		res.PerMinute = float64(completed) / res.Wall.Minutes()
	}
	res.Acted = p.acted.Load()
	for _, n := range p.gaveUp {
		res.Failed += int64(n)
	}
	res.WorkerPeakRSS = peak
	if u, err := processUsage(sys.Worker.Cmd.Process.Pid); err == nil {
		res.WorkerCPU = u.CPU
	}
	if u, err := processUsage(sys.Serve.Cmd.Process.Pid); err == nil {
		res.ServeCPU = u.CPU
	}
	res.Dashboard = dash.latencies()
	res.DashboardAnatomy = dash.anatomy()
	res.Routes, _ = routeTimes(sys.ServeOps)
	res.GaveUp, res.Late, res.Nudged = p.gaveUp, p.late.Load(), p.nudged.Load()
	res.Slowest = slowest(journeys, finished, start, p.trails, 5)
	res.ServeErrors = errorLines(sys.Serve.Output(), 3)
	res.Left = unfinished(ctx, sys, d)
	res.History = historyStats(tb, sys, journeys)
	return res
}

// enrolAll opens every journey through the coordinators' API sessions.
func enrolAll(ctx context.Context, sys *system, d district, p *people) ([]string, error) {
	ids := make([]string, len(d.Students))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(16)
	for i, student := range d.Students {
		school := d.Schools[i%len(d.Schools)]
		g.Go(func() error {
			id, err := p.coords[school].enrol(gctx, sys.URL, student, d.Program)
			ids[i] = id
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	p.gaveUp, p.trails = map[string]int{}, map[string]*trail{}
	for i, id := range ids {
		p.trails[id] = &trail{start: time.Now()}
		p.inbox[id] = make(chan note, 64)
		p.schoolOf[id] = d.Schools[i%len(d.Schools)]
	}
	return ids, nil
}

// Latencies are server round trips of a page, in milliseconds.
type Latencies struct {
	N        int
	P50, P95 float64
}

func percentiles(ds []time.Duration) Latencies {
	if len(ds) == 0 {
		return Latencies{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	ms := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000 }
	return Latencies{N: len(ds), P50: ms(0.5), P95: ms(0.95)}
}

// dashboardProbe loads a coordinator's dashboard (funnel and list) while
// the load runs, as a coordinator keeping an eye on things would. It also
// notes what a slow load was made of: a new connection (and how long
// connecting took) or a status other than 200.
type dashboardProbe struct {
	member   *staffMember
	url      string
	mu       sync.Mutex
	took     []time.Duration
	connects []time.Duration // loads that had to connect first
	statuses map[int]int
}

func (d *dashboardProbe) run(ctx context.Context) {
	pages := []string{"/staff", "/staff?stage=working", "/staff?overdue=1", "/staff?q=N1"}
	for i := 0; ctx.Err() == nil; i++ {
		var connectStart time.Time
		var connect time.Duration
		traced := httptrace.WithClientTrace(asPerson(ctx, d.member.email), &httptrace.ClientTrace{
			ConnectStart: func(string, string) { connectStart = time.Now() },
			ConnectDone:  func(string, string, error) { connect = time.Since(connectStart) },
		})
		began := time.Now()
		resp, _, err := get(traced, d.member.client, d.url+pages[i%len(pages)])
		if err == nil {
			d.record(time.Since(began), connect, !connectStart.IsZero(), resp.StatusCode)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func (d *dashboardProbe) record(took, connect time.Duration, connected bool, status int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.took = append(d.took, took)
	if connected {
		d.connects = append(d.connects, connect)
	}
	if d.statuses == nil {
		d.statuses = map[int]int{}
	}
	d.statuses[status]++
}

func (d *dashboardProbe) latencies() Latencies {
	d.mu.Lock()
	defer d.mu.Unlock()
	return percentiles(append([]time.Duration(nil), d.took...))
}

// anatomy says how many loads connected anew (and their connect p95), and
// the statuses the loads got.
func (d *dashboardProbe) anatomy() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := percentiles(append([]time.Duration(nil), d.connects...))
	return fmt.Sprintf("%d loads opened a new connection (connect p95 %.1f ms); statuses %v", c.N, c.P95, d.statuses)
}

// String summarises the run on one line.
func (r Result) String() string {
	s := fmt.Sprintf("journeys %d (completed %d) in %v: %.0f/min; people acted %d times (%d failed); worker RSS peak %.0f MB, CPU %v; dashboard p50 %.1f ms p95 %.1f ms (n=%d)",
		r.Journeys, r.Completed, r.Wall.Round(time.Second), r.PerMinute, r.Acted, r.Failed, float64(r.WorkerPeakRSS)/1e6,
		r.WorkerCPU.Round(time.Millisecond), r.Dashboard.P50, r.Dashboard.P95, r.Dashboard.N)
	if len(r.Left) > 0 {
		s += fmt.Sprintf("; unfinished: %v", r.Left)
	}
	return s
}

// errorLines picks the first n ERROR lines of a process's JSON log.
func errorLines(log string, n int) []string {
	var out []string
	for _, line := range strings.Split(log, "\n") {
		if len(out) < n && strings.Contains(line, `"level":"ERROR"`) {
			out = append(out, line)
		}
	}
	return out
}

func unfinished(ctx context.Context, sys *system, d district) map[string]int {
	left := map[string]int{}
	rows, err := sys.Store.Pool.Query(context.WithoutCancel(ctx), `SELECT stage || '/' || waiting_on || ' ' || waiting_detail, count(*)
		FROM journey_view v JOIN students s ON s.id = v.student_id WHERE s.source_id LIKE 'load-%' AND v.stage <> 'completed' GROUP BY 1`)
	if err != nil {
		return left
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int
		if rows.Scan(&k, &n) == nil {
			left[k] = n
		}
	}
	return left
}

// slowest tells the story of the n journeys that took longest (or never
// finished), from their people's trails.
func slowest(journeys []string, finished map[string]time.Time, start time.Time, trails map[string]*trail, n int) []string {
	took := func(id string) time.Duration {
		if at, ok := finished[id]; ok {
			return at.Sub(start)
		}
		return time.Duration(math.MaxInt64)
	}
	ids := append([]string(nil), journeys...)
	sort.Slice(ids, func(i, j int) bool { return took(ids[i]) > took(ids[j]) })
	var out []string
	for _, id := range ids[:min(n, len(ids))] {
		d := "never finished"
		if t := took(id); t != time.Duration(math.MaxInt64) {
			d = "finished after " + t.Round(time.Second).String()
		}
		out = append(out, fmt.Sprintf("journey %s, %s:\n    %s", id, d, strings.Join(trails[id].events, "\n    ")))
	}
	return out
}
