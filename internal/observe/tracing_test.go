package observe_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"go.opentelemetry.io/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/internflow/internflow/internal/apptest"
)

// record installs an in-memory tracer provider for the test, as an OTLP
// exporter would be installed in production.
func record(t *testing.T) *tracetest.SpanRecorder {
	t.Helper()
	rec := tracetest.NewSpanRecorder()
	prev := otel.GetTracerProvider()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	otel.SetTracerProvider(tp)
	t.Cleanup(func() { otel.SetTracerProvider(prev); _ = tp.Shutdown(t.Context()) })
	return rec
}

// One enrolment over HTTP is one trace: the request's span, the workflow
// it starts, the activities the workflow runs, and the text sent to the
// student through the provider once the dispatcher picks it up from the
// outbox. The front door is the app's HTTP middleware around the call the
// staff API's enrol handler makes (Journeys.Enroll with the request's
// context), so the test is about propagation, not staff sign-in. Span
// names carry route patterns, never ids.
func TestTracing_OneTraceFromHTTPThroughWorkflowAndActivityToTheProvider(t *testing.T) {
	rec := record(t)
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	enrolled := make(chan string, 1)
	front := chi.NewRouter()
	front.Use(s.Metrics.HTTP(nil))
	front.Post("/api/journeys", func(w http.ResponseWriter, r *http.Request) {
		enrolled <- enrollCtx(t, r.Context(), s, f.Student, f.Program)
		w.WriteHeader(http.StatusCreated)
	})
	srv := httptest.NewServer(front)
	defer srv.Close()
	if code, _ := post(t, srv.URL+"/api/journeys", map[string]string{}, nil); code != http.StatusCreated {
		t.Fatalf("enrol: %d", code)
	}
	journeyID := <-enrolled
	waitForInvites(t, s, "+15555550142")

	var root trace.SpanContext
	for _, sp := range rec.Ended() {
		if sp.Name() == "POST /api/journeys" {
			root = sp.SpanContext()
		}
	}
	if !root.IsValid() {
		t.Fatalf("no span for the HTTP request; spans: %v", names(rec.Ended()))
	}
	// Started, not ended: the workflow's own span lasts as long as the
	// journey (months).
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, sp := range rec.Started() {
		if sp.SpanContext().TraceID() == root.TraceID() {
			byName[prefix(sp.Name())] = sp
		}
	}
	for _, want := range []string{"StartWorkflow", "RunWorkflow", "StartActivity", "RunActivity", "send sms"} {
		if byName[want] == nil {
			t.Errorf("the enrolment's trace has no %q span; it has %v", want, names(rec.Started()))
		}
	}
	if send := byName["send sms"]; send != nil {
		// Each span's parent is the one before it: the provider call hangs
		// under the activity, the activity under the workflow, the workflow
		// under the request.
		chain := ancestry(rec.Started(), send)
		want := []string{"send sms", "RunActivity", "StartActivity", "RunWorkflow", "StartWorkflow", "POST /api/journeys"}
		if strings.Join(chain, " < ") != strings.Join(want, " < ") {
			t.Errorf("parent chain of the provider call = %v, want %v", chain, want)
		}
		for _, kv := range send.Attributes() {
			if strings.Contains(kv.Value.String(), "5555550142") {
				t.Errorf("span attribute %s holds the phone number", kv.Key)
			}
		}
	}
	for _, sp := range rec.Ended() {
		if strings.Contains(sp.Name(), journeyID) {
			t.Errorf("span name %q holds an id", sp.Name())
		}
	}
}

// An incoming W3C traceparent (a load balancer or another service) is
// continued, not replaced.
func TestTracing_ContinuesTheCallersTrace(t *testing.T) {
	rec := record(t)
	s := apptest.New(t, apptest.Options{})
	const caller = "4bf92f3577b34da6a3ce929d0e0e4736"
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/healthz", nil)
	req.Header.Set("traceparent", "00-"+caller+"-00f067aa0ba902b7-01")
	if code, _ := do(t, req); code != http.StatusOK {
		t.Fatalf("healthz: %d", code)
	}
	for _, sp := range rec.Ended() {
		if sp.Name() == "GET /healthz" && sp.SpanContext().TraceID().String() == caller {
			return
		}
	}
	t.Fatalf("no GET /healthz span in the caller's trace; spans: %v", names(rec.Ended()))
}

// ancestry names sp and its ancestors, nearest first.
func ancestry(spans []sdktrace.ReadWriteSpan, sp sdktrace.ReadOnlySpan) []string {
	byID := map[trace.SpanID]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		byID[s.SpanContext().SpanID()] = s
	}
	var out []string
	for sp != nil && len(out) < 20 {
		out = append(out, prefix(sp.Name()))
		sp = byID[sp.Parent().SpanID()]
	}
	return out
}

func prefix(name string) string {
	if i := strings.IndexByte(name, ':'); i > 0 {
		return name[:i]
	}
	return name
}

func names[S sdktrace.ReadOnlySpan](spans []S) []string {
	var out []string
	for _, sp := range spans {
		out = append(out, sp.Name())
	}
	return out
}
