// Package observe is what an operator watches internflow through: the
// Prometheus metrics both processes serve on /metrics (HTTP latency by
// route, messages by channel and outcome, webhook rejections, journeys by
// stage, the Temporal SDK's own metrics), OpenTelemetry tracing that
// follows a request from HTTP into workflows and activities and out to the
// SMS and email providers, and a log handler that stamps records with the
// trace they belong to.
//
// Nothing here ever records a raw URL path, an address or a name: paths
// can hold link tokens, so HTTP is labelled by chi's route pattern.
package observe
