package observe

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one process's Prometheus registry and internflow's own
// instruments. Each App has its own, so tests never share counters.
type Metrics struct {
	Registry *prometheus.Registry

	httpDuration *prometheus.HistogramVec
	messages     *prometheus.CounterVec
	rejections   *prometheus.CounterVec
}

// NewMetrics registers the Go runtime and process collectors and
// internflow's instruments on a fresh registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "internflow_http_request_duration_seconds",
			Help:    "HTTP request latency by method, chi route pattern and status code.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "status"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "internflow_messages_total",
			Help: "Outbox messages by channel and outcome: sent, reconciled (found at the provider, not resent), retried, failed (permanent), suppressed (opted out).",
		}, []string{"channel", "outcome"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "internflow_webhook_rejections_total",
			Help: "Provider webhooks refused, by provider and reason (signature or malformed).",
		}, []string{"provider", "reason"}),
	}
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpDuration, m.messages, m.rejections)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// ObserveHTTP records one request's latency under its route pattern.
func (m *Metrics) ObserveHTTP(method, route string, status int, d time.Duration) {
	m.httpDuration.WithLabelValues(method, route, strconv.Itoa(status)).Observe(d.Seconds())
}

// CountMessages adds n messages on a channel with an outcome; the outbox
// dispatcher calls it.
func (m *Metrics) CountMessages(channel, outcome string, n int) {
	m.messages.WithLabelValues(channel, outcome).Add(float64(n))
}

// CountWebhookRejection counts a refused provider webhook.
func (m *Metrics) CountWebhookRejection(provider, reason string) {
	m.rejections.WithLabelValues(provider, reason).Inc()
}
