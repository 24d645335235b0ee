package loadtest

import (
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkDistrictYear runs journeys end to end through the pages at
// district scale (sizes from INTERNFLOW_LOAD, default "1000,5000"), each
// with a baseline of trivial workflows of the same shape, and prints the
// figures of issue 10. `make bench` runs it; it takes a while.
func BenchmarkDistrictYear(b *testing.B) {
	sizes := []int{1000, 5000}
	if v := os.Getenv("INTERNFLOW_LOAD"); v != "" {
		sizes = nil
		for _, s := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				b.Fatalf("INTERNFLOW_LOAD: %v", err)
			}
			sizes = append(sizes, n)
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("journeys=%d", n), func(b *testing.B) {
			for range b.N {
				benchOne(b, n)
			}
		})
	}
}

func benchOne(b *testing.B, n int) {
	week := 10 * time.Second
	o := Options{Journeys: n, Schools: 40, TimeScale: weekIn(week), InFlight: 96, Preload: 50_000,
		Timeout: time.Duration(n/10+20) * time.Minute}
	r := Run(b, o)
	shape := BaselineInput{Inputs: int(math.Round(r.History.Inputs)), Activities: int(math.Round(r.History.Activities)), Wait: week}
	base := RunBaseline(b, n, o.InFlight, shape)
	ratio := r.PerMinute / base.PerMinute
	b.ReportMetric(r.PerMinute, "journeys/min")
	b.ReportMetric(base.PerMinute, "baseline/min")
	b.ReportMetric(ratio, "ratio")
	b.ReportMetric(r.History.ActionsPerJourney, "actions/journey")
	b.ReportMetric(float64(r.WorkerPeakRSS)/1e6, "worker-MB")
	fmt.Print(table(n, o, r, base, shape))
}

func table(n int, o Options, r Result, base BaselineResult, shape BaselineInput) string {
	var s strings.Builder
	row := func(k, v, how string) { fmt.Fprintf(&s, "| %-44s | %-26s | %s |\n", k, v, how) }
	fmt.Fprintf(&s, "\n### %d concurrent journeys (a program week lasts %v)\n\n", n, time.Duration(float64(7*24*time.Hour)/o.TimeScale).Round(time.Second))
	row("figure", "value", "how it was measured")
	row("---", "---", "---")
	row("journeys completed", fmt.Sprintf("%d of %d", r.Completed, r.Journeys), "first enrolment to the last student's completion text")
	row("journeys per minute", fmt.Sprintf("%.0f", r.PerMinute), fmt.Sprintf("over %v; people acted %d times through pages (%d refused)", r.Wall.Round(time.Second), r.Acted, r.Failed))
	row("baseline workflows per minute", fmt.Sprintf("%.0f", base.PerMinute), fmt.Sprintf("%d trivial workflows, %d updates + %d activities + one %v timer (the week) each, same server", base.Workflows, shape.Inputs, shape.Activities, shape.Wait))
	row("ours / baseline", fmt.Sprintf("%.2f", r.PerMinute/base.PerMinute), "aim: at least 0.7")
	row("history events per journey", fmt.Sprintf("%.0f (journey alone %.0f)", r.History.EventsPerJourney, r.History.ParentEvents), fmt.Sprintf("%d sampled journeys with their timesheet weeks", r.History.Sampled))
	row("billable actions per journey", fmt.Sprintf("%.0f", r.History.ActionsPerJourney), "events Temporal Cloud bills, counted in the histories")
	row("Temporal Cloud cost per 1,000 students", fmt.Sprintf("$%.2f", r.History.CloudDollarsPer1000()), "at $50 per million actions (first tier)")
	row("largest journey history", fmt.Sprintf("%d events", r.History.MaxHistory), "visibility over every journey of the run")
	row("worker RSS, peak", fmt.Sprintf("%.0f MB", float64(r.WorkerPeakRSS)/1e6), fmt.Sprintf("/proc of `internflow worker` with %d journeys open", n))
	row("worker CPU per journey", fmt.Sprintf("%.1f ms", float64(r.WorkerCPU.Microseconds())/1000/float64(max(r.Completed, 1))), "user+system time of the worker process / journeys")
	row("API CPU per journey", fmt.Sprintf("%.1f ms", float64(r.ServeCPU.Microseconds())/1000/float64(max(r.Completed, 1))), "user+system time of `internflow serve` / journeys")
	row("dashboard p50 / p95", fmt.Sprintf("%.1f / %.1f ms", r.Dashboard.P50, r.Dashboard.P95), fmt.Sprintf("%d loads of list+funnel pages during the run, %d journeys in the read model", r.Dashboard.N, o.Preload+n))
	if len(r.Left) > 0 {
		row("unfinished", fmt.Sprint(r.Left), "")
	}
	for _, e := range r.ServeErrors {
		fmt.Fprintf(&s, "serve logged: %s\n", e)
	}
	fmt.Fprint(&s, diagnosis(r))
	return s.String()
}

// diagnosis is what a slow or stalled run needs explained: every message
// given up on, texts found late, what the dashboard loads were made of,
// where serve spent its time, and the slowest journeys' last events.
func diagnosis(r Result) string {
	var s strings.Builder
	fmt.Fprintf(&s, "\nmessages given up on after 3 tries: %d\n", r.Failed)
	keys := make([]string, 0, len(r.GaveUp))
	for k := range r.GaveUp {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return r.GaveUp[keys[i]] > r.GaveUp[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(&s, "  %5d  %s\n", r.GaveUp[k], k)
	}
	fmt.Fprintf(&s, "texts the phones found only by looking back minutes: %d\n", r.Late)
	fmt.Fprintf(&s, "journeys quiet for %v that their coordinator nudged: %d\n", stuckAfter, r.Nudged)
	fmt.Fprintf(&s, "dashboard: %s\n", r.DashboardAnatomy)
	fmt.Fprintf(&s, "serve's own time by route (its histogram), most first:\n")
	for i, rt := range r.Routes {
		if i == 12 {
			break
		}
		fmt.Fprintf(&s, "  %-48s %7d requests, %9.1f s in all, mean %7.1f ms, %d over 0.5 s\n", rt.Route, rt.Requests,
			rt.Total.Seconds(), float64(rt.Total.Microseconds())/1000/float64(max(rt.Requests, 1)), rt.OverHalfSecond)
	}
	for _, j := range r.Slowest {
		fmt.Fprintf(&s, "%s\n", j)
	}
	if r.Profiles != "" {
		fmt.Fprintf(&s, "CPU profiles, a minute each: go tool pprof -top %s/serve-*.pprof (and worker-*)\n", r.Profiles)
	}
	return s.String()
}
