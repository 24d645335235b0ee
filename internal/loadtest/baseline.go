package loadtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/testenv"
)

// The baseline is the engine's floor: a trivial workflow with a journey's
// number of activities and inputs (updates and signals), on the same
// server and machine, driven as hard as the journeys were.

// BaselineInput shapes a baseline workflow like a journey.
type BaselineInput struct {
	Inputs, Activities int
	// Wait is the calendar time a journey cannot skip (its timesheet week
	// has to end before it is submitted), so the ratio compares work, not
	// the calendar.
	Wait time.Duration
}

// Baseline receives Inputs updates, each running a no-op activity, plus
// the rest of the activities in sequence.
func Baseline(ctx workflow.Context, in BaselineInput) error {
	opts := workflow.ActivityOptions{StartToCloseTimeout: 10 * time.Second}
	ctx = workflow.WithActivityOptions(ctx, opts)
	received := 0
	if err := workflow.SetUpdateHandler(ctx, "step", func(ctx workflow.Context) error {
		received++
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), Noop).Get(ctx, nil)
	}); err != nil {
		return err
	}
	for range max(0, in.Activities-in.Inputs) {
		if err := workflow.ExecuteActivity(ctx, Noop).Get(ctx, nil); err != nil {
			return err
		}
	}
	if in.Wait > 0 {
		if err := workflow.Sleep(ctx, in.Wait); err != nil {
			return err
		}
	}
	return workflow.Await(ctx, func() bool { return received >= in.Inputs && workflow.AllHandlersFinished(ctx) })
}

// Noop does nothing.
func Noop(context.Context) error { return nil }

// BaselineResult is the floor's throughput.
type BaselineResult struct {
	Workflows int
	Wall      time.Duration
	PerMinute float64
}

// RunBaseline runs n baseline workflows with the given shape.
func RunBaseline(tb testing.TB, n, inFlight int, in BaselineInput) BaselineResult {
	ctx := context.Background()
	tc := testenv.Temporal(tb)
	queue := testenv.TaskQueue(tb)
	w := worker.New(tc, queue, worker.Options{})
	w.RegisterWorkflow(Baseline)
	w.RegisterActivity(Noop)
	if err := w.Start(); err != nil {
		tb.Fatal(err)
	}
	defer w.Stop()
	// All n open at once, as the journeys were; inFlight bounds the
	// requests in flight, as it bounded the simulated people.
	start := time.Now()
	var done atomic.Int64
	sem := make(chan struct{}, inFlight)
	g, gctx := errgroup.WithContext(ctx)
	for i := range n {
		g.Go(func() error {
			return runOneBaseline(gctx, tc, queue, fmt.Sprintf("baseline-%s-%d", queue, i), in, sem, &done)
		})
	}
	if err := g.Wait(); err != nil {
		tb.Fatalf("baseline: %v", err)
	}
	wall := time.Since(start)
	return BaselineResult{Workflows: n, Wall: wall, PerMinute: float64(n) / wall.Minutes()}
}

func runOneBaseline(ctx context.Context, tc client.Client, queue, id string, in BaselineInput, sem chan struct{}, done *atomic.Int64) error {
	call := func(fn func() error) error {
		sem <- struct{}{}
		defer func() { <-sem }()
		return fn()
	}
	var run client.WorkflowRun
	err := call(func() (err error) {
		run, err = tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, Baseline, in)
		return err
	})
	if err != nil {
		return err
	}
	for i := range in.Inputs {
		err := call(func() error {
			h, err := tc.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: "step",
				UpdateID: fmt.Sprint(i), WaitForStage: client.WorkflowUpdateStageCompleted})
			if err != nil {
				return err
			}
			return h.Get(ctx, nil)
		})
		if err != nil {
			return err
		}
	}
	if err := run.Get(ctx, nil); err != nil {
		return err
	}
	done.Add(1)
	return nil
}
