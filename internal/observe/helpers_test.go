package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// post sends JSON (or a form, when body is a string) and returns the
// status and the decoded JSON answer.
func post(t *testing.T, url string, body any, header http.Header) (int, map[string]any) {
	t.Helper()
	var buf bytes.Buffer
	ctype := "application/x-www-form-urlencoded"
	if s, ok := body.(string); ok {
		buf.WriteString(s)
	} else {
		ctype = "application/json"
		_ = json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(http.MethodPost, url, &buf)
	req.Header.Set("Content-Type", ctype)
	for k, v := range header {
		req.Header[k] = v
	}
	return do(t, req)
}

func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// enroll enrols a student (as the staff API does) and returns the
// journey id.
func enroll(t *testing.T, s *apptest.Stack, student, program string) string {
	t.Helper()
	return enrollCtx(t, context.Background(), s, student, program)
}

func enrollCtx(t *testing.T, ctx context.Context, s *apptest.Stack, student, program string) string {
	t.Helper()
	e, err := s.Journeys.Enroll(ctx, student, program)
	if err != nil {
		t.Fatalf("enroll: %v", err)
	}
	return e.Journey.ID
}

// scrape reads /metrics as Prometheus would, and returns the raw text too.
func scrape(t *testing.T, url string) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(teeReader(resp, &raw))
	if err != nil {
		t.Fatalf("/metrics is not valid Prometheus text: %v", err)
	}
	return fams, raw.String()
}

func teeReader(resp *http.Response, into *bytes.Buffer) *strings.Reader {
	_, _ = into.ReadFrom(resp.Body)
	return strings.NewReader(into.String())
}

// value sums a family's samples whose labels include want: a counter's
// or gauge's value, a histogram's count.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f, ok := fams[name]
	if !ok {
		return -1
	}
	sum := 0.0
	for _, m := range f.GetMetric() {
		if !hasLabels(m, want) {
			continue
		}
		switch {
		case m.Counter != nil:
			sum += m.Counter.GetValue()
		case m.Gauge != nil:
			sum += m.Gauge.GetValue()
		case m.Histogram != nil:
			sum += float64(m.Histogram.GetSampleCount())
		}
	}
	return sum
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	n := 0
	for _, l := range m.GetLabel() {
		if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
			n++
		}
	}
	return n == len(want)
}

func newStudent(t *testing.T, st *store.Store, district, school, phone string) string {
	t.Helper()
	id, err := st.CreateStudent(context.Background(), store.Student{DistrictID: district, SchoolID: school,
		FirstName: "Sam", LastName: "Okafor", Grade: 11, Phone: phone, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// eventually waits for the event (testenv.Eventually).
var eventually = testenv.Eventually
