package loadtest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/testenv"
)

// BenchmarkOpenJourneys opens INTERNFLOW_OPEN journeys (default 5,000)
// through the coordinators' API and leaves them all waiting on their
// students' surveys, then reads the worker's memory: what a worker holds
// for a district's open journeys between steps (the sticky cache keeps
// each one in memory so the next step needs no replay).
func BenchmarkOpenJourneys(b *testing.B) {
	n := 5000
	if v := os.Getenv("INTERNFLOW_OPEN"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("INTERNFLOW_OPEN: %v", err)
		}
	}
	for range b.N {
		openJourneys(b, n)
	}
}

func openJourneys(b *testing.B, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n/20+300)*time.Second)
	defer cancel()
	st := testenv.DB(b)
	d, err := seed(ctx, st, n, 40, 20)
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	sys := startSystem(b, st, 1) // real time: nobody is nudged while we look
	idle, _ := processUsage(sys.Worker.Cmd.Process.Pid)
	p, err := staffUp(ctx, sys, &links.Minter{Secret: sys.LinkSecret, BaseURL: sys.URL}, d)
	if err != nil {
		b.Fatalf("staff sign-in: %v", err)
	}
	began := time.Now()
	if _, err := enrolAll(ctx, sys, d, p); err != nil {
		b.Fatalf("enrol: %v", err)
	}
	if err := waitForSurveys(ctx, sys, n); err != nil {
		b.Fatal(err)
	}
	opened := time.Since(began)
	var peak int64
	sampling, stop := context.WithTimeout(ctx, 5*time.Second)
	sampleRSS(sampling, sys.Worker.Cmd.Process.Pid, &peak)
	stop()
	busy, _ := processUsage(sys.Worker.Cmd.Process.Pid)
	perJourney := float64(peak-idle.RSS) / float64(n)
	b.ReportMetric(float64(peak)/1e6, "worker-MB")
	b.ReportMetric(perJourney/1e3, "KB/journey")
	fmt.Printf("\n### %d open journeys\n\n", n)
	fmt.Printf("| worker RSS with %d journeys open | %.0f MB (%.0f MB idle; %.1f KB per journey) | /proc of `internflow worker` once every journey waits on its survey |\n",
		n, float64(peak)/1e6, float64(idle.RSS)/1e6, perJourney/1e3)
	fmt.Printf("| opening them | %v (%.0f journeys/s) | through POST /api/journeys, 16 at a time, until the read model shows each waiting |\n",
		opened.Round(time.Second), float64(n)/opened.Seconds())
	fmt.Printf("| worker CPU to open one | %.1f ms | user+system time of the worker / journeys |\n\n",
		float64((busy.CPU-idle.CPU).Microseconds())/1000/float64(n))
}

// waitForSurveys waits until the read model shows n load-test journeys
// waiting on their students' surveys.
func waitForSurveys(ctx context.Context, sys *system, n int) error {
	for {
		var waiting int
		err := sys.Store.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view v JOIN students s ON s.id = v.student_id
			WHERE s.source_id LIKE 'load-%' AND v.stage = 'survey' AND v.waiting_on = 'student'`).Scan(&waiting)
		if err != nil {
			return err
		}
		if waiting >= n {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d of %d journeys wait on their survey: %w", waiting, n, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}
