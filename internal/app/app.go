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
	"go.temporal.io/sdk/worker"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/api"
	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/enrolment"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/observe"
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/staff"
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
	// Metrics is this process's Prometheus registry (served on /metrics).
	Metrics *observe.Metrics
	// Enrolments opens the journeys of enrolment requests (pages and API);
	// serve runs its Work loop.
	Enrolments *enrolment.Runner
}

// Connect opens Postgres and dials Temporal (with TLS or an API key when
// configured), instrumented with metrics and tracing.
func Connect(ctx context.Context, cfg config.Config) (*App, error) {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	metrics := observe.NewMetrics()
	opts, err := TemporalOptions(cfg)
	if err == nil {
		opts, err = instrument(opts, metrics)
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	tc, err := DialTemporal(ctx, opts)
	if err != nil {
		pool.Close()
		return nil, err
	}
	return build(cfg, pool, tc, metrics), nil
}

// New assembles an App from open connections (tests use it directly). The
// client is shared, not owned: New adds the payload codec, metrics and
// tracing on a client of its own over the same connection, so what the
// app writes to Temporal is sealed even when the caller's client is plain.
func New(cfg config.Config, pool *pgxpool.Pool, tc client.Client) *App {
	metrics := observe.NewMetrics()
	dc, err := DataConverter(cfg)
	if err != nil {
		panic(fmt.Sprintf("app.New: %v", err)) // tests pass WithDevDefaults
	}
	opts := client.Options{Namespace: cfg.TemporalNamespace, DataConverter: dc}
	if instrumented, err := instrument(opts, metrics); err == nil {
		opts = instrumented
	} else {
		slog.Warn("temporal client without metrics and tracing", "err", err)
	}
	sealed, err := client.NewClientFromExisting(tc, opts)
	if err != nil {
		panic(fmt.Sprintf("app.New: temporal client with the payload codec: %v", err))
	}
	return build(cfg, pool, sealed, metrics)
}

func build(cfg config.Config, pool *pgxpool.Pool, tc client.Client, metrics *observe.Metrics) *App {
	st := store.New(pool)
	minter := &links.Minter{Secret: cfg.LinkSecret, BaseURL: cfg.BaseURL, TTL: cfg.LinkTTL}
	metrics.Registry.MustRegister(observe.NewJourneyStages(pool), observe.NewOutboxBacklog(outboxBacklog(pool)))
	journeys := &journey.Service{Store: st, Temporal: tc, TaskQueue: cfg.TaskQueue, TimeScale: cfg.TimeScale}
	return &App{
		Cfg: cfg, Pool: pool, Store: st, Temporal: tc, Links: minter, Metrics: metrics,
		Outbox:     &messaging.Outbox{Links: minter},
		Journeys:   journeys,
		Enrolments: &enrolment.Runner{Store: st, Journeys: journeys},
	}
}

// outboxBacklog reads every district's outbox backlog for /metrics.
func outboxBacklog(pool *pgxpool.Pool) func(context.Context) ([]observe.OutboxCount, error) {
	return func(ctx context.Context) ([]observe.OutboxCount, error) {
		b, err := messaging.Backlog(ctx, pool, "", time.Now())
		if err != nil {
			return nil, err
		}
		var out []observe.OutboxCount
		for _, ch := range []string{messaging.ChannelSMS, messaging.ChannelEmail} {
			out = append(out, observe.OutboxCount{Channel: ch, Due: b[ch].Due, Held: b[ch].Held})
		}
		return out, nil
	}
}

// Close releases connections.
func (a *App) Close() {
	a.Temporal.Close()
	a.Pool.Close()
}

// Activities builds the activity struct the worker registers.
func (a *App) Activities() *activities.Activities {
	return &activities.Activities{Store: a.Store, Outbox: a.Outbox, Permits: &permit.Builder{Store: a.Store},
		Certificates: &certificate.Issuer{Store: a.Store}, Temporal: a.Temporal, TaskQueue: a.Cfg.TaskQueue,
		MOU: workflows.MOUActivities}
}

// NewWorker registers every workflow and activity on the task queue.
func (a *App) NewWorker() worker.Worker {
	w := worker.New(a.Temporal, a.Cfg.TaskQueue, WorkerOptions(a.Cfg.Worker))
	Register(w, a.Activities())
	return w
}

// WorkerOptions applies the WORKER_* settings; zero values keep the SDK's
// defaults. The sticky cache is per process, so it is set once here.
func WorkerOptions(c config.WorkerConfig) worker.Options {
	if c.CacheSize > 0 {
		worker.SetStickyWorkflowCacheSize(c.CacheSize)
	}
	return worker.Options{
		MaxConcurrentWorkflowTaskPollers:   c.Pollers,
		MaxConcurrentActivityTaskPollers:   c.Pollers,
		MaxConcurrentActivityExecutionSize: c.MaxActivities,
	}
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
	return messaging.NewDispatcher(a.Pool, providers, a.DispatcherConfig())
}

// DispatcherConfig is how this app renders and sends messages; the local
// inbox renders with it too, so it shows exactly what is sent.
func (a *App) DispatcherConfig() messaging.DispatcherConfig {
	cfg := messaging.NewDispatcherConfig(a.Cfg)
	cfg.Links, cfg.OnUndeliverable = a.Links, a.Journeys
	cfg.Counter = a.Metrics
	return cfg
}

// Records answers FERPA record requests (export and purge) with this
// app's database, Temporal and message rendering.
func (a *App) Records() *records.Service {
	return &records.Service{Store: a.Store, Temporal: a.Temporal, Namespace: a.Cfg.TemporalNamespace, Render: a.DispatcherConfig()}
}

// Handler is the HTTP handler for the API, webhooks and pages.
func (a *App) Handler() (http.Handler, error) {
	whCfg := messaging.NewWebhooksConfig(a.Cfg)
	whCfg.OnReply = a.Journeys
	whCfg.Rejections = a.Metrics
	hooks, err := messaging.NewWebhooks(a.Pool, a.Outbox, whCfg)
	if err != nil {
		return nil, err
	}
	s := &api.Server{Store: a.Store, Temporal: a.Temporal, Journeys: a.Journeys, HSTS: a.Cfg.HSTS}
	s.Middleware = append(s.Middleware, a.Metrics.HTTP(nil))
	// People's link pages (/l/...).
	pages := &web.Pages{Store: a.Store, Journeys: a.Journeys, Links: a.Links, Outbox: a.Outbox}
	pc, err := PayloadCodec(a.Cfg)
	if err != nil {
		return nil, err
	}
	// Staff sign-in (emailed link or the district's OpenID provider),
	// pages, reports and roster upload; the JSON API is staff-only.
	site := staff.NewSite(staff.SiteConfig{Store: a.Store, Journeys: a.Journeys, Outbox: a.Outbox, Secure: a.Cfg.SessionSecure,
		TemporalUIURL: a.Cfg.TemporalUIURL, Namespace: a.Cfg.TemporalNamespace, Records: a.Records(),
		Enrolments: a.Enrolments, Messages: a.DispatcherConfig(), SMSSegmentPrice: a.Cfg.SMSSegmentPrice,
		BaseURL: a.Cfg.BaseURL, Secrets: pc, OIDC: a.Cfg.OIDC})
	s.RequireStaff, pages.StaffLogin = site.RequireAPI, site.SignInLink()
	// Scripts enrol with a district API token (made on /staff/tokens).
	s.RequireToken, s.Enrolments = site.Pages.Tokens.Require, a.Enrolments
	codecCfg := staff.CodecConfig{Codec: pc, UIOrigin: a.Cfg.CodecOrigin(), Namespace: a.Cfg.TemporalNamespace}
	// The client address (rate limits, audit, signature evidence) is decided
	// once, before anything else sees the request.
	return a.Cfg.TrustedProxies.Middleware(s.Routes(func(r chi.Router) {
		hooks.Mount(r)
		pages.Mount(r)
		site.Mount(r)
		site.MountCodec(r, codecCfg)
	})), nil
}

// Timeouts of every listener, sized for the largest upload: a roster
// export of up to 128 MB (roster.maxUpload; 50,000 students is ~15 MB)
// from a school uplink of 4 Mbit/s takes about 4.5 minutes; a 5 MB
// document from a phone on 1 Mbit/s about 40 seconds. Past these a
// trickled body or a silent keep-alive is cut instead of holding a
// connection (and its goroutine) open forever.
const (
	// readHeaderTimeout: headers come in one packet from a real browser.
	readHeaderTimeout = 10 * time.Second
	// readTimeout bounds reading a whole request, body included.
	readTimeout = 5 * time.Minute
	// writeTimeout runs from the end of the headers to the end of the
	// response, so it covers the upload plus importing it.
	writeTimeout = 7 * time.Minute
	// idleTimeout closes a keep-alive connection nobody uses.
	idleTimeout = 2 * time.Minute
)

func newServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout: readTimeout, WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
}

// Serve runs the HTTP server until ctx ends, then drains it.
func Serve(ctx context.Context, addr string, h http.Handler) error {
	srv := newServer(addr, h)
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
