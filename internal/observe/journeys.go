package observe

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// JourneyStages exports how many journeys sit in each stage, and how many
// of those are overdue, from the journey_view read model. A scrape runs at
// most one cheap GROUP BY per CacheFor, bounded by Timeout, so a busy
// Prometheus (or several replicas scraped at once) never loads the
// database; when the query fails the last good figures are served and the
// failure is counted.
type JourneyStages struct {
	Pool     *pgxpool.Pool
	CacheFor time.Duration
	Timeout  time.Duration

	mu      sync.Mutex
	at      time.Time
	counts  []stageCount
	journey *prometheus.Desc
	overdue *prometheus.Desc
	errors  prometheus.Counter
}

type stageCount struct {
	stage          string
	total, overdue int64
}

// NewJourneyStages builds the collector with a 15 s cache and a 2 s query
// timeout.
func NewJourneyStages(pool *pgxpool.Pool) *JourneyStages {
	return &JourneyStages{
		Pool: pool, CacheFor: 15 * time.Second, Timeout: 2 * time.Second,
		journey: prometheus.NewDesc("internflow_journeys", "Journeys by current stage (journey_view).", []string{"stage"}, nil),
		overdue: prometheus.NewDesc("internflow_journeys_overdue", "Overdue journeys by current stage (journey_view).", []string{"stage"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: "internflow_journeys_collect_errors_total",
			Help: "Failed journey_view queries during scrapes (the previous figures were served)."}),
	}
}

// Describe implements prometheus.Collector.
func (j *JourneyStages) Describe(ch chan<- *prometheus.Desc) {
	ch <- j.journey
	ch <- j.overdue
	j.errors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (j *JourneyStages) Collect(ch chan<- prometheus.Metric) {
	for _, c := range j.current() {
		ch <- prometheus.MustNewConstMetric(j.journey, prometheus.GaugeValue, float64(c.total), c.stage)
		ch <- prometheus.MustNewConstMetric(j.overdue, prometheus.GaugeValue, float64(c.overdue), c.stage)
	}
	j.errors.Collect(ch)
}

// current returns cached counts, refreshing them when stale. The lock is
// held across the query so concurrent scrapes wait for one query rather
// than each running their own.
func (j *JourneyStages) current() []stageCount {
	j.mu.Lock()
	defer j.mu.Unlock()
	if !j.at.IsZero() && time.Since(j.at) < j.CacheFor {
		return j.counts
	}
	counts, err := j.query()
	j.at = time.Now()
	if err != nil {
		j.errors.Inc()
		slog.Warn("journeys by stage: query failed; serving previous figures", "err", err)
		return j.counts
	}
	j.counts = counts
	return counts
}

func (j *JourneyStages) query() ([]stageCount, error) {
	ctx, cancel := context.WithTimeout(context.Background(), j.Timeout)
	defer cancel()
	rows, err := j.Pool.Query(ctx, `SELECT stage, count(*), count(*) FILTER (WHERE overdue) FROM journey_view GROUP BY stage`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stageCount
	for rows.Next() {
		var c stageCount
		if err := rows.Scan(&c.stage, &c.total, &c.overdue); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
