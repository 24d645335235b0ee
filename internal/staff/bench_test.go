package staff_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/loadtest/synthetic"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/staff"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// BenchmarkPages50k loads 50,000 journeys (students, timelines, 200,000
// audit rows) and times the staff pages in the server, from the request
// to the last byte of HTML: a coordinator's dashboard and student page,
// and district ops' dashboard and ops console. The bar is 100 ms for the
// list and student pages. The student page's live query goes to the real
// Temporal dev server (these synthetic journeys have no workflow, so it
// answers "not found" at once; a running journey answers from the worker's
// cache in a few milliseconds).
func BenchmarkPages50k(b *testing.B) {
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil))) // the live query's warnings
	ctx := context.Background()
	st := testenv.DB(b)
	start := time.Now()
	d, err := synthetic.Load(ctx, st.Pool, synthetic.Options{AuditRows: 200_000, Seed: 3})
	if err != nil {
		b.Fatal(err)
	}
	fmt.Printf("\nloaded 50,000 journeys in %.1fs\n", time.Since(start).Seconds())
	site := staff.NewSite(staff.SiteConfig{Store: st, Outbox: &messaging.Outbox{},
		Journeys: &journey.Service{Store: st, Temporal: testenv.Temporal(b)}, TemporalUIURL: "http://127.0.0.1:8233"})
	r := chi.NewRouter()
	site.Mount(r)
	coach := benchSession(b, st, site.Sessions, d, "coordinator", d.SchoolIDs[0])
	ops := benchSession(b, st, site.Sessions, d, "district_ops", "")
	var student string // an open journey with a full timeline
	if err := st.Pool.QueryRow(ctx, `SELECT journey_id FROM journey_view WHERE school_id = $1 AND stage = 'working' LIMIT 1`,
		d.SchoolIDs[0]).Scan(&student); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name, path, cookie string
		bar                time.Duration
	}{
		{"coordinator dashboard (funnel + list)", "/staff", coach, 100 * time.Millisecond},
		{"coordinator list, stage filter", "/staff?stage=applying", coach, 100 * time.Millisecond},
		{"coordinator list, overdue + waiting", "/staff?overdue=1&waiting=student", coach, 100 * time.Millisecond},
		{"coordinator list, name search", "/staff?q=ma&stage=all", coach, 100 * time.Millisecond},
		{"student page (timeline + live query)", "/staff/students/" + student, coach, 100 * time.Millisecond},
		{"district ops dashboard (50k)", "/staff", ops, 100 * time.Millisecond},
		{"ops console (district)", "/staff/ops", ops, 0},
		{"students CSV (one school)", "/staff/export/students.csv?stage=all", coach, 0},
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fmt.Printf("\n%-40s %9s %9s %8s  %s\n", "page (200 runs, server time)", "p50 ms", "p95 ms", "KB", "bar")
		for _, c := range cases {
			p50, p95, size := timePage(b, r, c.path, c.cookie)
			bar := "-"
			if c.bar > 0 {
				bar = "< " + c.bar.String()
				if p95 > c.bar {
					b.Errorf("%s: p95 %v over %v", c.name, p95, c.bar)
				}
			}
			fmt.Printf("%-40s %9.2f %9.2f %8.1f  %s\n", c.name, ms(p50), ms(p95), float64(size)/1024, bar)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// timePage serves path 200 times (after warm-up) and returns p50, p95 and
// the page size.
func timePage(b *testing.B, h http.Handler, path, cookie string) (time.Duration, time.Duration, int) {
	b.Helper()
	var times []time.Duration
	size := 0
	for i := range 210 {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Cookie", cookie)
		rec := httptest.NewRecorder()
		t := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(t)
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d\n%s", path, rec.Code, rec.Body.String())
		}
		if i >= 10 {
			times = append(times, d)
		}
		size = rec.Body.Len()
		if i == 0 && os.Getenv("BENCH_DUMP") != "" && strings.Contains(path, os.Getenv("BENCH_DUMP")) {
			fmt.Println(rec.Body.String())
		}
	}
	slices.Sort(times)
	return times[len(times)/2], times[len(times)*95/100], size
}

// benchSession creates a staff member with one role and a signed-in
// session, returning the Cookie header.
func benchSession(b *testing.B, st *store.Store, s *auth.Sessions, d synthetic.District, role, school string) string {
	b.Helper()
	ctx := context.Background()
	id, err := st.CreateStaff(ctx, store.Staff{DistrictID: d.DistrictID, Name: "Bench " + role, Email: role + "@bench.example.org",
		Roles: []store.StaffRole{{Role: role, SchoolID: school}}})
	if err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/l/x", nil)
	if err := pgx.BeginFunc(ctx, st.Pool, func(tx pgx.Tx) error { return s.SignIn(ctx, tx, rec, req, id, "bench") }); err != nil {
		b.Fatal(err)
	}
	c := rec.Result().Cookies()[0]
	return c.Name + "=" + c.Value
}
