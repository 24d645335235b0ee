package observe

import (
	"fmt"
	"log/slog"

	"go.opentelemetry.io/otel"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/trace"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

// temporalBuckets are in seconds: the SDK times everything from a
// millisecond poll to a schedule-to-start delay of minutes, and the OTel
// default buckets assume milliseconds.
var temporalBuckets = []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300}

// TemporalHandler returns the Temporal SDK metrics handler, exported on
// this registry (temporal_request_total, temporal_workflow_task_*,
// temporal_local_activity_execution_latency_seconds (the journeys' own
// writes), temporal_activity_execution_latency_seconds, temporal_worker_task_slots_*,
// ...). The SDK reports through OpenTelemetry; the OTel Prometheus
// exporter turns that into the same /metrics page.
func (m *Metrics) TemporalHandler() (client.MetricsHandler, error) {
	exp, err := otelprom.New(otelprom.WithRegisterer(m.Registry), otelprom.WithoutTargetInfo(), otelprom.WithoutScopeInfo(),
		otelprom.WithAggregationSelector(func(k sdkmetric.InstrumentKind) sdkmetric.Aggregation {
			if k == sdkmetric.InstrumentKindHistogram {
				return sdkmetric.AggregationExplicitBucketHistogram{Boundaries: temporalBuckets}
			}
			return sdkmetric.DefaultAggregationSelector(k)
		}))
	if err != nil {
		return nil, fmt.Errorf("temporal metrics exporter: %w", err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp))
	return temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
		Meter:                mp.Meter("temporal-sdk-go"),
		UseMonotonicCounters: true,
		OnError:              func(err error) { slog.Warn("temporal metric not exported", "err", err) },
	}), nil
}

// TemporalTracing returns the Temporal interceptor that carries the
// caller's span into workflow headers, so a trace goes from the HTTP
// request that started or updated a journey into the workflow task and on
// into each activity. tp nil means the global tracer provider.
func TemporalTracing(tp trace.TracerProvider) (interceptor.Interceptor, error) {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	return temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{Tracer: tp.Tracer("go.temporal.io/sdk")})
}
