package enrolment_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/testenv"
)

// BenchmarkEnrol50k enrols every student of a 50,000-student district
// (INTERNFLOW_ENROL, default 50000; INTERNFLOW_ENROL_STARTS starts at a
// time) in one batch, as "Enrol all" on the enrolment page does: journeys
// opened and their workflows started in Temporal (the dev server `make
// bench` runs). Journeys then run at the workers' pace; enrolled here
// means recorded and started, so nothing is lost if every process stops
// now.
//
// Beside it, the floor: the same number of trivial workflows started, as
// many at a time, through the same client on the same server, before the
// enrolment (so the enrolment, not the floor, meets the fuller server).
func BenchmarkEnrol50k(b *testing.B) {
	n := envInt("INTERNFLOW_ENROL", 50000)
	for range b.N {
		ctx := context.Background()
		d := newDistrict(b, n, 40)
		d.runner.Starts = envInt("INTERNFLOW_ENROL_STARTS", 0)
		starts := d.runner.Starts
		if starts == 0 {
			starts = 64 // the runner's default
		}
		floor := startFloor(b, d.app.Temporal, d.app.Cfg.TaskQueue, n, starts)
		loadFloor := testenv.LoadAverage()

		b.ResetTimer()
		start := time.Now()
		id, _, err := d.st.CreateEnrolment(ctx, d.request("bench"))
		if err != nil {
			b.Fatal(err)
		}
		queued := time.Since(start)
		if err := d.runner.Drain(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()
		loadEnrol := testenv.LoadAverage()
		e, err := d.st.GetEnrolment(ctx, d.scope.DistrictID, id)
		if err != nil {
			b.Fatal(err)
		}
		journeys := d.count(b, `SELECT count(*) FROM journeys WHERE program_id = $1`, d.program.ID)
		if e.Enrolled != n || journeys != n {
			b.Fatalf("%d students: %d enrolled, %d journeys", n, e.Enrolled, journeys)
		}
		rate, floorRate := float64(n)/took.Seconds(), float64(n)/floor.Seconds()
		b.ReportMetric(took.Seconds(), "s")
		b.ReportMetric(rate, "students/s")
		b.ReportMetric(floorRate, "floor_starts/s")
		b.ReportMetric(rate/floorRate, "ratio")
		fmt.Printf("\nEnrolment of %d students (40 schools), one batch, %d workflow starts at a time\n", n, starts)
		fmt.Printf("  %-40s %10.2fs\n", "batch recorded (all matching)", queued.Seconds())
		fmt.Printf("  %-40s %10.2fs  (load average %s)\n", "journeys opened, workflows started", took.Seconds(), loadEnrol)
		fmt.Printf("  %-40s %10.0f\n", "students per second", rate)
		fmt.Printf("  %-40s %10.2fs  (load average %s)\n", "floor: as many trivial workflows started", floor.Seconds(), loadFloor)
		fmt.Printf("  %-40s %10.0f\n", "floor: starts per second", floorRate)
		fmt.Printf("  %-40s %10.2f\n", "enrolment / floor", rate/floorRate)
		fmt.Printf("  %-40s %10d\n\n", "journeys (one per student)", journeys)
	}
}

// startFloor starts n workflows of a type no worker runs, with no input
// and no search attributes, inFlight at a time: the server's raw
// StartWorkflow rate, what enrolling can at best approach. A start that
// times out on a saturated server is tried again, as the enrolment
// runner's are (the same id is the same workflow).
func startFloor(tb testing.TB, tc client.Client, queue string, n, inFlight int) time.Duration {
	tb.Helper()
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(inFlight)
	began := time.Now()
	for i := range n {
		g.Go(func() error {
			opts := client.StartWorkflowOptions{ID: fmt.Sprintf("floor-%s-%d", queue, i), TaskQueue: queue,
				WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}
			var err error
			for range 5 {
				if _, err = tc.ExecuteWorkflow(ctx, opts, "EnrolFloor"); err == nil || ctx.Err() != nil {
					break
				}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		tb.Fatalf("floor: %v", err)
	}
	return time.Since(began)
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}
