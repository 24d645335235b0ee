package observe

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/internflow/internflow/internal/store"
)

// JourneyStages exports how many journeys sit in each stage, and how many
// of those are overdue, from the journey_view read model: one cheap
// GROUP BY through a 15 s cache (cached), so scrapes never load the
// database.
type JourneyStages struct {
	Pool    *pgxpool.Pool
	counts  *cached[[]stageCount]
	journey *prometheus.Desc
	overdue *prometheus.Desc
	errors  prometheus.Counter
}

type stageCount struct {
	stage          string
	total, overdue int64
}

// NewJourneyStages builds the collector.
func NewJourneyStages(pool *pgxpool.Pool) *JourneyStages {
	j := &JourneyStages{
		Pool:    pool,
		journey: prometheus.NewDesc("internflow_journeys", "Journeys by current stage (journey_view).", []string{"stage"}, nil),
		overdue: prometheus.NewDesc("internflow_journeys_overdue", "Overdue journeys by current stage (journey_view).", []string{"stage"}, nil),
		errors: prometheus.NewCounter(prometheus.CounterOpts{Name: "internflow_journeys_collect_errors_total",
			Help: "Failed journey_view queries during scrapes (the previous figures were served)."}),
	}
	j.counts = newCached("journeys by stage", j.query, j.errors)
	return j
}

// Describe implements prometheus.Collector.
func (j *JourneyStages) Describe(ch chan<- *prometheus.Desc) {
	ch <- j.journey
	ch <- j.overdue
	j.errors.Describe(ch)
}

// Collect implements prometheus.Collector.
func (j *JourneyStages) Collect(ch chan<- prometheus.Metric) {
	for _, c := range j.counts.get() {
		ch <- prometheus.MustNewConstMetric(j.journey, prometheus.GaugeValue, float64(c.total), c.stage)
		ch <- prometheus.MustNewConstMetric(j.overdue, prometheus.GaugeValue, float64(c.overdue), c.stage)
	}
	j.errors.Collect(ch)
}

func (j *JourneyStages) query(ctx context.Context) ([]stageCount, error) {
	counts, err := store.New(j.Pool).StageCounts(ctx)
	if err != nil {
		return nil, err
	}
	var out []stageCount
	for _, c := range counts {
		out = append(out, stageCount{stage: c.Stage, total: c.Total, overdue: c.Overdue})
	}
	return out, nil
}
