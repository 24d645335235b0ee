package enrolment_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"
)

// BenchmarkEnrol50k enrols every student of a 50,000-student district
// (INTERNFLOW_ENROL, default 50000) in one batch, as "Enrol all" on the
// enrolment page does: journeys opened and their workflows started in
// Temporal (the dev server `make bench` runs). Journeys then run at the
// workers' pace; enrolled here means recorded and started, so nothing is
// lost if every process stops now.
func BenchmarkEnrol50k(b *testing.B) {
	n := 50000
	if v, err := strconv.Atoi(os.Getenv("INTERNFLOW_ENROL")); err == nil && v > 0 {
		n = v
	}
	for range b.N {
		ctx := context.Background()
		d := newDistrict(b, n, 40)
		if v, err := strconv.Atoi(os.Getenv("INTERNFLOW_ENROL_STARTS")); err == nil && v > 0 {
			d.runner.Starts = v
		}
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
		e, err := d.st.GetEnrolment(ctx, d.scope.DistrictID, id)
		if err != nil {
			b.Fatal(err)
		}
		journeys := d.count(b, `SELECT count(*) FROM journeys WHERE program_id = $1`, d.program.ID)
		if e.Enrolled != n || journeys != n {
			b.Fatalf("%d students: %d enrolled, %d journeys", n, e.Enrolled, journeys)
		}
		b.ReportMetric(took.Seconds(), "s")
		b.ReportMetric(float64(n)/took.Seconds(), "students/s")
		fmt.Printf("\nEnrolment of %d students (40 schools), one batch, %d workflow starts at a time\n", n, d.runner.Starts)
		fmt.Printf("  %-34s %10.2fs\n", "batch recorded (all matching)", queued.Seconds())
		fmt.Printf("  %-34s %10.2fs\n", "journeys opened, workflows started", took.Seconds())
		fmt.Printf("  %-34s %10.0f\n", "students per second", float64(n)/took.Seconds())
		fmt.Printf("  %-34s %10d\n\n", "journeys (one per student)", journeys)
	}
}
