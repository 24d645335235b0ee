package observe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"go.opentelemetry.io/otel"

	"github.com/internflow/internflow/internal/observe"
)

// With an endpoint configured, spans reach the collector over OTLP/HTTP
// when the process stops; with none, nothing is exported at all.
func TestStartTracing_ExportsToTheConfiguredCollectorOnlyWhenSet(t *testing.T) {
	var posts atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/v1/traces" {
			posts.Add(1)
		}
	}))
	defer collector.Close()
	prev := otel.GetTracerProvider()
	t.Cleanup(func() { otel.SetTracerProvider(prev) })
	ctx := context.Background()

	stop, err := observe.StartTracing(ctx, observe.TracingOptions{Protocol: "http/protobuf", ServiceName: "internflow"})
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer("test").Start(ctx, "off")
	span.End()
	if err := stop(ctx); err != nil || posts.Load() != 0 {
		t.Fatalf("tracing off: stop = %v, %d exports", err, posts.Load())
	}

	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	stop, err = observe.StartTracing(ctx, observe.TracingOptions{Endpoint: collector.URL, Protocol: "http/protobuf",
		ServiceName: "internflow", Process: "serve"})
	if err != nil {
		t.Fatal(err)
	}
	_, span = otel.Tracer("test").Start(ctx, "on")
	span.End()
	if err := stop(ctx); err != nil {
		t.Fatal(err)
	}
	if posts.Load() == 0 {
		t.Fatal("no spans reached the collector")
	}
}
