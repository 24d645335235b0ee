package app_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The worker's own listener (METRICS_ADDR) answers Kubernetes' probes and
// Prometheus: ready while Postgres and Temporal answer, and /metrics shows
// the worker's Temporal task slots and pollers alongside internflow's own.
func TestWorkerOpsListener_ProbesAndMetrics(t *testing.T) {
	s := newStack(t)
	srv := httptest.NewServer(s.OpsHandler())
	defer srv.Close()

	for path, want := range map[string]string{"/healthz": `"ok"`, "/readyz": `"temporal":"ok"`} {
		code, body := fetch(t, srv.URL+path)
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("%s = %d %s", path, code, body)
		}
	}
	code, body := fetch(t, srv.URL+"/metrics")
	for _, want := range []string{"temporal_worker_task_slots_available", "internflow_journeys_collect_errors_total", "go_goroutines"} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/metrics (%d) lacks %s", code, want)
		}
	}

	s.Pool.Close() // the database goes away: the worker must leave the pool of ready pods
	if code, body := fetch(t, srv.URL+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"postgres":"unreachable"`) {
		t.Errorf("/readyz without Postgres = %d %s", code, body)
	}
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Metrics are for the operator's Prometheus, not for anyone who can reach
// the app port: they are served on METRICS_ADDR only. /healthz and
// /readyz stay on the app port for the load balancer's probes.
func TestAppPort_ServesNoMetrics(t *testing.T) {
	s := newStack(t)
	if code, body := fetch(t, s.URL+"/metrics"); code != http.StatusNotFound || strings.Contains(body, "go_goroutines") {
		t.Errorf("/metrics on the app port = %d %.80s, want 404", code, body)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		if code, _ := fetch(t, s.URL+path); code != http.StatusOK {
			t.Errorf("%s on the app port = %d, want 200 (probes use it)", path, code)
		}
	}
}

// The profiler is for an operator chasing CPU in a load run or an
// incident: off unless PPROF is set, and then only on the ops listener.
func TestOpsListener_ProfilerOnlyWhenAskedFor(t *testing.T) {
	s := newStack(t)
	off := httptest.NewServer(s.OpsHandler())
	defer off.Close()
	if code, _ := fetch(t, off.URL+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("/debug/pprof/ without PPROF = %d, want 404", code)
	}
	s.Cfg.Pprof = true
	on := httptest.NewServer(s.OpsHandler())
	defer on.Close()
	if code, body := fetch(t, on.URL+"/debug/pprof/"); code != http.StatusOK || !strings.Contains(body, "goroutine") {
		t.Errorf("/debug/pprof/ with PPROF = %d %.80s", code, body)
	}
	if code, body := fetch(t, on.URL+"/debug/pprof/profile?seconds=1"); code != http.StatusOK || len(body) == 0 {
		t.Errorf("a one-second CPU profile = %d (%d bytes)", code, len(body))
	}
	if code, _ := fetch(t, s.URL+"/debug/pprof/"); code == http.StatusOK {
		t.Errorf("/debug/pprof/ on the app port = %d, want it absent", code)
	}
}
