package observe

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// OutboxCount is what waits on one channel: Due may go now, Held waits
// for quiet hours, a digest or a retry.
type OutboxCount struct {
	Channel   string
	Due, Held int
}

// OutboxBacklog exports the outbox backlog by channel: messages due now
// (what the paced sender works through: divided by SMS_PER_SECOND it is
// the time to empty) and messages held for later. Like JourneyStages, a
// scrape runs at most one query per CacheFor, and a failed query serves
// the last figures.
type OutboxBacklog struct {
	// Count reads the backlog (the app passes messaging.Backlog).
	Count    func(ctx context.Context) ([]OutboxCount, error)
	CacheFor time.Duration
	Timeout  time.Duration

	mu     sync.Mutex
	at     time.Time
	counts []OutboxCount
	due    *prometheus.Desc
	held   *prometheus.Desc
	errors prometheus.Counter
}

// NewOutboxBacklog builds the collector with a 15 s cache and a 2 s query
// timeout.
func NewOutboxBacklog(count func(ctx context.Context) ([]OutboxCount, error)) *OutboxBacklog {
	return &OutboxBacklog{
		Count: count, CacheFor: 15 * time.Second, Timeout: 2 * time.Second,
		due: prometheus.NewDesc("internflow_outbox_backlog", "Outbox messages due now and not yet sent, by channel (time to empty = backlog / the channel's rate).",
			[]string{"channel"}, nil),
		held: prometheus.NewDesc("internflow_outbox_held", "Outbox messages waiting for a later time (quiet hours, digest, retry), by channel.",
			[]string{"channel"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: "internflow_outbox_collect_errors_total",
			Help: "Failed outbox backlog queries during scrapes (the previous figures were served)."}),
	}
}

// Describe implements prometheus.Collector.
func (o *OutboxBacklog) Describe(ch chan<- *prometheus.Desc) {
	ch <- o.due
	ch <- o.held
	o.errors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (o *OutboxBacklog) Collect(ch chan<- prometheus.Metric) {
	for _, c := range o.current() {
		ch <- prometheus.MustNewConstMetric(o.due, prometheus.GaugeValue, float64(c.Due), c.Channel)
		ch <- prometheus.MustNewConstMetric(o.held, prometheus.GaugeValue, float64(c.Held), c.Channel)
	}
	o.errors.Collect(ch)
}

func (o *OutboxBacklog) current() []OutboxCount {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.at.IsZero() && time.Since(o.at) < o.CacheFor {
		return o.counts
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.Timeout)
	defer cancel()
	counts, err := o.Count(ctx)
	o.at = time.Now()
	if err != nil {
		o.errors.Inc()
		slog.Warn("outbox backlog: query failed; serving previous figures", "err", err)
		return o.counts
	}
	o.counts = counts
	return counts
}
