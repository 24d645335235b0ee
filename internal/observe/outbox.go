package observe

import (
	"context"

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
// the time to empty) and messages held for later, read through a 15 s
// cache like JourneyStages.
type OutboxBacklog struct {
	counts *cached[[]OutboxCount]
	due    *prometheus.Desc
	held   *prometheus.Desc
	errors prometheus.Counter
}

// NewOutboxBacklog builds the collector over count (the app passes
// messaging.Backlog).
func NewOutboxBacklog(count func(ctx context.Context) ([]OutboxCount, error)) *OutboxBacklog {
	errors := prometheus.NewCounter(prometheus.CounterOpts{Name: "internflow_outbox_collect_errors_total",
		Help: "Failed outbox backlog queries during scrapes (the previous figures were served)."})
	return &OutboxBacklog{
		counts: newCached("outbox backlog", count, errors),
		due: prometheus.NewDesc("internflow_outbox_backlog", "Outbox messages due now and not yet sent, by channel (time to empty = backlog / the channel's rate).",
			[]string{"channel"}, nil),
		held: prometheus.NewDesc("internflow_outbox_held", "Outbox messages waiting for a later time (quiet hours, digest, retry), by channel.",
			[]string{"channel"}, nil),
		errors: errors,
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
	for _, c := range o.counts.get() {
		ch <- prometheus.MustNewConstMetric(o.due, prometheus.GaugeValue, float64(c.Due), c.Channel)
		ch <- prometheus.MustNewConstMetric(o.held, prometheus.GaugeValue, float64(c.Held), c.Channel)
	}
	o.errors.Collect(ch)
}
