// Package app wires internflow's parts together for the processes in
// cmd/internflow: the store, the Temporal client, the worker, the outbox
// dispatcher and the HTTP server. It holds no business logic.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/api"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/web"
	"github.com/internflow/internflow/workflows"
)

// App is a connected set of dependencies.
type App struct {
	Cfg      config.Config
	Pool     *pgxpool.Pool
	Store    *store.Store
	Temporal client.Client
	Journeys *journey.Service
	Links    *links.Minter
	Outbox   *messaging.Outbox
}

// Connect opens Postgres and dials Temporal.
func Connect(ctx context.Context, cfg config.Config) (*App, error) {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	tc, err := DialTemporal(ctx, cfg.TemporalAddress, cfg.TemporalNamespace)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return New(cfg, pool, tc), nil
}

// New assembles an App from open connections (tests use it directly).
func New(cfg config.Config, pool *pgxpool.Pool, tc client.Client) *App {
	st := store.New(pool)
	minter := &links.Minter{Secret: cfg.LinkSecret, BaseURL: cfg.BaseURL, TTL: cfg.LinkTTL}
	return &App{
		Cfg: cfg, Pool: pool, Store: st, Temporal: tc, Links: minter,
		Outbox:   &messaging.Outbox{Links: minter},
		Journeys: &journey.Service{Store: st, Temporal: tc, TaskQueue: cfg.TaskQueue, TimeScale: cfg.TimeScale},
	}
}

// DialTemporal connects to a Temporal frontend, failing with one clear
// line when nothing answers.
func DialTemporal(ctx context.Context, hostPort, namespace string) (client.Client, error) {
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	c, err := client.DialContext(dialCtx, client.Options{
		HostPort:  hostPort,
		Namespace: namespace,
		Logger:    tlog.NewStructuredLogger(slog.Default().With("component", "temporal")),
	})
	if err != nil {
		return nil, fmt.Errorf("temporal at %s is not reachable (start it with `make run`, or set TEMPORAL_ADDRESS): %w", hostPort, err)
	}
	return c, nil
}

// Close releases connections.
func (a *App) Close() {
	a.Temporal.Close()
	a.Pool.Close()
}

// Activities builds the activity struct the worker registers.
func (a *App) Activities() *activities.Activities {
	return &activities.Activities{Store: a.Store, Outbox: a.Outbox, Permits: &permit.Builder{Pool: a.Pool},
		Temporal: a.Temporal, TaskQueue: a.Cfg.TaskQueue}
}

// NewWorker registers every workflow and activity on the task queue.
func (a *App) NewWorker() worker.Worker {
	w := worker.New(a.Temporal, a.Cfg.TaskQueue, worker.Options{})
	Register(w, a.Activities())
	return w
}

// Register adds internflow's workflows and activities to a worker (or a
// test environment, which has the same methods).
func Register(r worker.Registry, acts *activities.Activities) {
	workflows.Register(r)
	r.RegisterActivity(acts)
}

// NewDispatcher builds the outbox dispatcher that sends messages; an
// undeliverable message is reported to its journey.
func (a *App) NewDispatcher(providers messaging.Providers) *messaging.Dispatcher {
	cfg := messaging.NewDispatcherConfig(a.Cfg)
	cfg.Links, cfg.OnUndeliverable = a.Links, a.Journeys
	return messaging.NewDispatcher(a.Pool, providers, cfg)
}

// Handler is the HTTP handler for the API, webhooks and pages.
func (a *App) Handler() (http.Handler, error) {
	whCfg := messaging.NewWebhooksConfig(a.Cfg)
	whCfg.OnReply = a.Journeys
	hooks, err := messaging.NewWebhooks(a.Pool, a.Outbox, whCfg)
	if err != nil {
		return nil, err
	}
	s := &api.Server{Store: a.Store, Temporal: a.Temporal, Journeys: a.Journeys}
	// People's link pages (/l/...); KeepPeerAddr lets them judge forwarded
	// client addresses themselves (signature evidence, rate limits).
	pages := &web.Pages{Store: a.Store, Journeys: a.Journeys, Links: a.Links}
	return web.KeepPeerAddr(s.Routes(func(r chi.Router) { hooks.Mount(r); pages.Mount(r) })), nil
}

// Serve runs the HTTP server until ctx ends, then drains it.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server on %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
