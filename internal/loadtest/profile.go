package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// profileDirEnv names a directory for CPU profiles of `serve` and
// `worker` taken back to back through a run; unset, nothing is profiled.
const profileDirEnv = "INTERNFLOW_PROFILE_DIR"

// profileWindow is each profile's length: short, so the window the run's
// end cuts off loses little.
const profileWindow = time.Minute

// profile takes CPU profiles of both processes, one window after another,
// until ctx ends: dir/serve-001.pprof, dir/worker-001.pprof and so on.
// `go tool pprof -top dir/serve-*.pprof` merges them into the whole run.
func profile(ctx context.Context, sys *system, dir string) {
	var wg sync.WaitGroup
	for name, ops := range map[string]string{"serve": sys.ServeOps, "worker": sys.WorkerOps} {
		wg.Add(1)
		go func() { defer wg.Done(); profileOne(ctx, ops, filepath.Join(dir, name)) }()
	}
	wg.Wait()
}

func profileOne(ctx context.Context, ops, prefix string) {
	url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", ops, int(profileWindow.Seconds()))
	for i := 1; ctx.Err() == nil; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return
		}
		_ = os.WriteFile(fmt.Sprintf("%s-%03d.pprof", prefix, i), b, 0o644)
	}
}

// RouteTime is how long `serve` itself spent on one route over a run, by
// its own request histogram: what the server did, apart from the time a
// request waited to be accepted or for a connection.
type RouteTime struct {
	Route    string
	Requests int
	Total    time.Duration
	// OverHalfSecond counts requests the server took more than 0.5 s on.
	OverHalfSecond int
}

// routeTimes reads serve's request histogram from its ops listener, the
// routes it spent the most time on first.
func routeTimes(ops string) ([]RouteTime, error) {
	resp, err := http.Get(ops + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		return nil, err
	}
	f, ok := fams["internflow_http_request_duration_seconds"]
	if !ok {
		return nil, nil
	}
	byRoute := map[string]*RouteTime{}
	for _, m := range f.GetMetric() {
		route := label(m, "method") + " " + label(m, "route")
		rt := byRoute[route]
		if rt == nil {
			rt = &RouteTime{Route: route}
			byRoute[route] = rt
		}
		h := m.GetHistogram()
		rt.Requests += int(h.GetSampleCount())
		rt.Total += time.Duration(h.GetSampleSum() * float64(time.Second))
		rt.OverHalfSecond += int(h.GetSampleCount()) - countUpTo(h, 0.5)
	}
	out := make([]RouteTime, 0, len(byRoute))
	for _, rt := range byRoute {
		out = append(out, *rt)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Total > out[j].Total })
	return out, nil
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// countUpTo is the histogram's cumulative count at the bucket bound le.
func countUpTo(h *dto.Histogram, le float64) int {
	for _, b := range h.GetBucket() {
		if b.GetUpperBound() == le {
			return int(b.GetCumulativeCount())
		}
	}
	return int(h.GetSampleCount())
}
