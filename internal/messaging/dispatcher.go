package messaging

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"go.opentelemetry.io/otel/trace"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/links"
)

// Dispatcher sends what the outbox holds. It claims due rows with FOR
// UPDATE SKIP LOCKED (so replicas never take the same row), fairly across
// schools, sends them at the configured rate, and records the provider's
// id. A row whose attempt may have reached the provider without being
// recorded (a crash, a timeout) is first looked up at the provider, so a
// person receives each message once.
//
// Rate limits are global per sender: in Run, a dispatcher sends on a
// channel only while it holds that channel's PostgreSQL advisory lock, so
// with N replicas one sends per channel at the full rate and the others
// stand by, taking over within a poll interval if it dies.
type Dispatcher struct {
	pool      *pgxpool.Pool
	providers Providers
	cfg       DispatcherConfig
	clock     Clock
	templates *Templates
	log       *slog.Logger
	pacers    map[string]*pacer
	// wake is signalled (by listen) when a channel has a new message.
	wake map[string]chan struct{}

	// afterSend, set only by tests, runs between the provider call and
	// recording it; an error abandons the message there, as a crash would.
	afterSend func(id int64) error

	// lastSchool is the school each channel served last (round-robin).
	lastSchool sync.Map

	notifyMu        sync.Mutex
	notifyPauseTill time.Time
}

// DispatcherConfig tunes a Dispatcher; zero values take the defaults.
type DispatcherConfig struct {
	// SMSPerSecond and EmailPerSecond cap sends per sender (a Twilio long
	// code takes about 1/s, toll-free 3/s, a short code 100/s).
	SMSPerSecond   float64
	EmailPerSecond float64
	// Program and Contact fill {{.program}} and {{.contact}} in messages.
	Program string
	Contact string
	// Links renders the URL of a message's action link at send time.
	Links     *links.Minter
	Templates *Templates
	Clock     Clock
	// OnUndeliverable hears about every message that will never arrive.
	OnUndeliverable UndeliverableHook
	Logger          *slog.Logger
	// Lease is how long a claimed row is reserved (default 2 minutes).
	Lease time.Duration
	// BatchSize caps rows per claim (default 500); Workers is how many
	// sends run at once (default 16); PollInterval is the idle wait.
	BatchSize    int
	Workers      int
	PollInterval time.Duration
	// DigestHour is the local hour at which a deferred digest goes out
	// (default 8).
	DigestHour int
	// RetryBase and RetryMax bound the backoff of transient failures
	// (defaults 30 s and 1 h).
	RetryBase, RetryMax time.Duration
	// Counter, if set, counts messages by channel and outcome (metrics).
	Counter MessageCounter
	// TracerProvider traces provider calls (default: the global one, a
	// no-op unless tracing is configured).
	TracerProvider trace.TracerProvider
}

// NewDispatcherConfig takes rates and program texts from the app config.
func NewDispatcherConfig(c config.Config) DispatcherConfig {
	return DispatcherConfig{SMSPerSecond: c.SMSPerSecond, EmailPerSecond: c.EmailPerSecond,
		Program: c.ProgramName, Contact: c.ProgramContact, Lease: c.OutboxLease}
}

// Undeliverable describes a message that will never arrive, and why.
type Undeliverable struct {
	MessageID     int64  `json:"message_id"`
	JourneyID     string `json:"journey_id,omitempty"`
	SchoolID      string `json:"school_id,omitempty"`
	DistrictID    string `json:"district_id,omitempty"`
	RecipientKind string `json:"recipient_kind"`
	RecipientRef  string `json:"recipient_ref"`
	Channel       string `json:"channel"`
	Template      string `json:"template"`
	// Reason: invalid, unsubscribed, opted_out, bounced, spamreport, failed.
	Reason string `json:"reason"`
}

// UndeliverableHook is told about undeliverable messages, at least once
// each (it is retried until it returns nil). The app signals the journey
// and alerts the coordinator; the dispatcher enqueues nothing itself.
type UndeliverableHook interface {
	OnUndeliverable(ctx context.Context, u Undeliverable) error
}

// UndeliverableFunc adapts a function to UndeliverableHook.
type UndeliverableFunc func(ctx context.Context, u Undeliverable) error

// OnUndeliverable implements UndeliverableHook.
func (f UndeliverableFunc) OnUndeliverable(ctx context.Context, u Undeliverable) error {
	return f(ctx, u)
}

// NewDispatcher builds a dispatcher over the outbox in pool.
func NewDispatcher(pool *pgxpool.Pool, providers Providers, cfg DispatcherConfig) *Dispatcher {
	cfg = withDispatcherDefaults(cfg)
	d := &Dispatcher{
		pool: pool, providers: providers, cfg: cfg, clock: clockOr(cfg.Clock),
		templates: cfg.Templates, log: cfg.Logger.With("component", "messaging.dispatcher"),
		pacers: map[string]*pacer{ChannelSMS: newPacer(cfg.SMSPerSecond), ChannelEmail: newPacer(cfg.EmailPerSecond)},
		wake:   map[string]chan struct{}{ChannelSMS: make(chan struct{}, 1), ChannelEmail: make(chan struct{}, 1)},
	}
	return d
}

func withDispatcherDefaults(c DispatcherConfig) DispatcherConfig {
	if c.SMSPerSecond <= 0 {
		c.SMSPerSecond = 1
	}
	if c.EmailPerSecond <= 0 {
		c.EmailPerSecond = 10
	}
	if c.Templates == nil {
		c.Templates = DefaultTemplates()
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.DigestHour <= 0 || c.DigestHour > 23 {
		c.DigestHour = 8
	}
	if c.RetryBase <= 0 {
		c.RetryBase = 30 * time.Second
	}
	if c.RetryMax <= 0 {
		c.RetryMax = time.Hour
	}
	return c
}

// DrainStats counts what a drain did.
type DrainStats struct {
	Sent          int // handed to the provider and recorded
	Reconciled    int // found already at the provider after a crash: not resent
	Retried       int // transient failure: rescheduled with backoff
	Undeliverable int // permanent failure: marked, contact flagged
	Suppressed    int // opted out since it was queued: not sent
	Cancelled     int // the wait it served closed before it went: not sent
	Deferred      int // quiet hours or today's digest already sent
	Notified      int // OnUndeliverable calls that succeeded
}

type drainCounters struct {
	sent, reconciled, retried, undeliverable, suppressed, deferred, cancelled atomic.Int64
}

func (c *drainCounters) stats() DrainStats {
	return DrainStats{Sent: int(c.sent.Load()), Reconciled: int(c.reconciled.Load()), Retried: int(c.retried.Load()),
		Undeliverable: int(c.undeliverable.Load()), Suppressed: int(c.suppressed.Load()), Deferred: int(c.deferred.Load()),
		Cancelled: int(c.cancelled.Load())}
}

// Drain sends everything due now on both channels, then reports
// undeliverable messages to the hook, and returns. Tests and the
// benchmark call it; Run calls the same steps in a loop.
func (d *Dispatcher) Drain(ctx context.Context) (DrainStats, error) {
	var c drainCounters
	var errs []error
	for _, ch := range []string{ChannelSMS, ChannelEmail} {
		if err := d.drainChannel(ctx, ch, &c); err != nil {
			errs = append(errs, err)
		}
	}
	st := c.stats()
	n, err := d.notifyUndeliverable(ctx)
	st.Notified = n
	return st, errors.Join(append(errs, err)...)
}

// drainChannel claims batches and sends them with Workers goroutines
// until nothing on the channel is due. The next batch is claimed while
// the current one is sending, so the pace never waits on the database.
func (d *Dispatcher) drainChannel(ctx context.Context, ch string, c *drainCounters) error {
	prov, err := d.providers.For(ch)
	if err != nil {
		return nil // nothing configured sends on this channel
	}
	rec := d.newRecorder(ctx, prov.Name(), c)
	defer rec.close()
	jobs := make(chan *outboxRow, d.batchSize(ch))
	var claimErr error
	go func() {
		defer close(jobs)
		for ctx.Err() == nil {
			rows, err := d.claim(ctx, ch, c)
			if err != nil {
				claimErr = err
				return
			}
			if len(rows) == 0 {
				return
			}
			for _, r := range rows {
				jobs <- r
			}
		}
	}()
	var wg sync.WaitGroup
	for range d.workers(ch) {
		wg.Go(func() {
			for r := range jobs {
				d.deliver(ctx, r, rec, c)
			}
		})
	}
	wg.Wait()
	return claimErr
}

// workers: enough concurrent sends to keep the pace, and no more, so a
// slow sender does not hold many leased rows waiting for their turn.
func (d *Dispatcher) workers(ch string) int {
	return max(1, min(d.cfg.Workers, int(math.Ceil(d.rate(ch)))))
}

func (d *Dispatcher) rate(ch string) float64 {
	if ch == ChannelEmail {
		return d.cfg.EmailPerSecond
	}
	return d.cfg.SMSPerSecond
}

// batchSize keeps a claim to about a second of sending, so rows do not
// sit leased in memory while a slow sender works through them.
func (d *Dispatcher) batchSize(ch string) int {
	return max(1, min(d.cfg.BatchSize, int(d.rate(ch))))
}
