package observe

import (
	"context"
	"fmt"
	"os"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"

	"github.com/internflow/internflow/internal/config"
)

// Propagator reads and writes W3C traceparent and baggage headers. The
// HTTP middleware uses it directly, so a caller's trace is continued (and
// its id logged) whether or not this process exports spans.
var Propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// TracingOptions say where spans go.
type TracingOptions struct {
	// Endpoint is the OTLP collector; empty leaves tracing off.
	Endpoint string
	// Protocol is "grpc" or "http/protobuf".
	Protocol string
	// ServiceName and Process name this process in traces
	// (service.name, and internflow.process = serve or worker).
	ServiceName string
	Process     string
}

// TracingFrom takes the tracing settings from the app config.
func TracingFrom(c config.Config, process string) TracingOptions {
	return TracingOptions{Endpoint: c.OTLPEndpoint, Protocol: c.OTLPProtocol, ServiceName: c.ServiceName, Process: process}
}

// StartTracing installs the W3C trace-context propagator (so an incoming
// traceparent reaches logs and workflows even with tracing off) and, when
// an endpoint is configured, a global tracer provider that exports over
// OTLP in batches. With no endpoint the global provider stays the no-op
// one: spans cost nothing. The returned function flushes and stops.
func StartTracing(ctx context.Context, o TracingOptions) (shutdown func(context.Context) error, err error) {
	otel.SetTextMapPropagator(Propagator)
	if o.Endpoint == "" {
		return func(context.Context) error { return nil }, nil
	}
	exp, err := newExporter(ctx, o.Protocol)
	if err != nil {
		return nil, err
	}
	res := resource.NewSchemaless(semconv.ServiceName(o.ServiceName), semconv.ServiceInstanceID(instanceID()),
		processAttr.String(o.Process))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	otel.SetTracerProvider(tp)
	return tp.Shutdown, nil
}

// newExporter builds the OTLP exporter; both read the standard
// OTEL_EXPORTER_OTLP_* variables for endpoint, headers and TLS.
func newExporter(ctx context.Context, protocol string) (sdktrace.SpanExporter, error) {
	var exp sdktrace.SpanExporter
	var err error
	if protocol == "grpc" {
		exp, err = otlptracegrpc.New(ctx)
	} else {
		exp, err = otlptracehttp.New(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("otlp trace exporter (%s): %w", protocol, err)
	}
	return exp, nil
}

// processAttr tells serve spans from worker spans of the same service.
var processAttr = attribute.Key("internflow.process")

// instanceID is the pod (host) name, so a slow span can be traced to a
// replica.
func instanceID() string {
	h, err := os.Hostname()
	if err != nil {
		return "unknown"
	}
	return h
}
