package messaging

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// MessageCounter hears what the dispatcher did with messages, by channel
// and outcome (OutcomeSent, ...); the app exports it as metrics.
type MessageCounter interface {
	CountMessages(channel, outcome string, n int)
}

// Outcomes counted by MessageCounter; a digest counts as one message.
const (
	OutcomeSent       = "sent"
	OutcomeReconciled = "reconciled" // found at the provider after a crash: not resent
	OutcomeRetried    = "retried"    // transient failure, rescheduled
	OutcomeFailed     = "failed"     // permanent failure: undeliverable
	OutcomeSuppressed = "suppressed" // opted out after it was queued
	OutcomeCancelled  = "cancelled"  // its step closed before it went: not sent
)

// WebhookRejectionCounter hears about refused webhooks, by provider
// ("twilio", "sendgrid") and reason ("signature", "malformed").
type WebhookRejectionCounter interface {
	CountWebhookRejection(provider, reason string)
}

func (d *Dispatcher) count(channel, outcome string, n int) {
	if d.cfg.Counter != nil && n > 0 {
		d.cfg.Counter.CountMessages(channel, outcome, n)
	}
}

// traceParam carries the enqueuer's trace context in the row's params, so
// the provider call joins the trace of the activity that queued it.
const traceParam = "otel_traceparent"

// withTraceParent stores the caller's span context (if any) in params.
func withTraceParent(ctx context.Context, params map[string]string) {
	carrier := propagation.MapCarrier{}
	propagation.TraceContext{}.Inject(ctx, carrier)
	if tp := carrier.Get("traceparent"); tp != "" {
		params[traceParam] = tp
	}
}

// sendSpan starts the span around a provider call, a child of the span
// that queued the message. Its attributes are ids, never addresses.
func (d *Dispatcher) sendSpan(ctx context.Context, r *outboxRow, provider string) (context.Context, trace.Span) {
	tp := d.cfg.TracerProvider
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	if parent := r.Params[traceParam]; parent != "" {
		ctx = propagation.TraceContext{}.Extract(ctx, propagation.MapCarrier{"traceparent": parent})
	}
	return tp.Tracer("github.com/internflow/internflow/internal/messaging").Start(ctx, "send "+r.Channel,
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
			attribute.String("messaging.system", provider), attribute.String("internflow.channel", r.Channel),
			attribute.String("internflow.template", r.Template), attribute.Int64("internflow.outbox_id", r.ID),
			attribute.String("internflow.journey_id", r.JourneyID), attribute.Int("internflow.digest_items", len(r.followers)+1)))
}

// endSendSpan records the outcome; error text is scrubbed of addresses
// (Twilio quotes the number it refused).
func endSendSpan(span trace.Span, err error) {
	if err != nil {
		span.SetStatus(codes.Error, scrub(err.Error()))
	}
	span.End()
}
