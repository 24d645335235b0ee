package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/go-chi/chi/v5"
	"go.temporal.io/sdk/client"
)

// OpsHandler is each process's own small listener (METRICS_ADDR): /metrics
// for Prometheus, /healthz for liveness and /readyz for readiness, so
// Kubernetes can probe a process that serves no API. Metrics are served
// only here, never on the app's public port; so is the profiler, and only
// when PPROF is on.
func (a *App) OpsHandler() http.Handler {
	r := chi.NewRouter()
	r.Method(http.MethodGet, "/metrics", a.Metrics.Handler())
	if a.Cfg.Pprof {
		r.HandleFunc("/debug/pprof/*", pprof.Index)
		r.HandleFunc("/debug/pprof/profile", pprof.Profile)
		r.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeStatus(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		checks, ok := a.Ready(r.Context())
		status := http.StatusOK
		if !ok {
			status = http.StatusServiceUnavailable
		}
		writeStatus(w, status, checks)
	})
	return r
}

// Ready checks Postgres and Temporal, each within two seconds.
func (a *App) Ready(ctx context.Context) (map[string]string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	checks, ok := map[string]string{"postgres": "ok", "temporal": "ok"}, true
	if err := a.Store.Ping(ctx); err != nil {
		checks["postgres"], ok = "unreachable", false
	}
	if _, err := a.Temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], ok = "unreachable", false
	}
	return checks, ok
}

func writeStatus(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
