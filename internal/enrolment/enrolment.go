// Package enrolment enrols many students in a program at once, from the
// staff enrolment page or the API: a request becomes a batch of students
// in PostgreSQL, and a runner opens their journeys a share at a time (one
// statement for the rows, then the workflows started side by side).
//
// Enrolling is idempotent at every level: a repeated request (the same
// form submitted twice, an API call retried with its key) is the same
// batch; a student is claimed with a lease, so a runner that crashes
// leaves its share to be taken again; the database keeps one open journey
// per student and year, and a journey's workflow id is its own, so taking
// a share again opens no second journey and starts no second workflow.
package enrolment

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// Runner opens the journeys of pending enrolment batches.
type Runner struct {
	Store    *store.Store
	Journeys *journey.Service
	// Share is how many students one claim takes (default 500).
	Share int
	// Starts is how many workflow starts run at once (default 64): a
	// start is one round trip to Temporal, so they overlap well.
	Starts int
	// Lease is how long a claimed share is this runner's before another
	// may take it (default 2 minutes).
	Lease time.Duration
	// Poll is how often Work looks for batches nobody woke it for, such as
	// those a crashed process left (default 10 s).
	Poll time.Duration

	wakeOnce sync.Once
	wakeCh   chan struct{}
}

func (r *Runner) share() int  { return orDefault(r.Share, 500) }
func (r *Runner) starts() int { return orDefault(r.Starts, 64) }
func (r *Runner) lease() time.Duration {
	if r.Lease > 0 {
		return r.Lease
	}
	return 2 * time.Minute
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

func (r *Runner) wakeup() chan struct{} {
	r.wakeOnce.Do(func() { r.wakeCh = make(chan struct{}, 1) })
	return r.wakeCh
}

// Wake tells Work a batch is waiting (a new request).
func (r *Runner) Wake() {
	select {
	case r.wakeup() <- struct{}{}:
	default:
	}
}

// Work drains pending batches whenever woken and every Poll, until ctx
// ends.
func (r *Runner) Work(ctx context.Context) error {
	poll := r.Poll
	if poll <= 0 {
		poll = 10 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if err := r.Drain(ctx); err != nil && ctx.Err() == nil {
			slog.ErrorContext(ctx, "enrolment runner", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-r.wakeup():
		case <-t.C:
		}
	}
}

// Drain works shares until no batch has a student to take.
func (r *Runner) Drain(ctx context.Context) error {
	for ctx.Err() == nil {
		c, err := r.Store.ClaimEnrolment(ctx, r.share(), r.lease())
		if err != nil {
			return err
		}
		if len(c.StudentIDs) == 0 {
			return nil
		}
		if err := r.work(ctx, c); err != nil {
			return fmt.Errorf("enrolment %s: %w", c.BatchID, err)
		}
	}
	return ctx.Err()
}

// work opens the share's journeys in one statement, starts their
// workflows side by side, and records each student's outcome. A student
// whose workflow did not start stays pending and is taken again when the
// lease ends (its journey row is found then, not opened twice).
func (r *Runner) work(ctx context.Context, c store.EnrolmentClaim) error {
	program, err := r.Store.GetProgram(ctx, c.ProgramID)
	if err != nil {
		return err
	}
	def, err := journey.ProgramDefinition(program)
	if err != nil {
		return err
	}
	students, err := r.Store.StudentsByID(ctx, c.DistrictID, c.StudentIDs)
	if err != nil {
		return err
	}
	journeys, err := r.Store.CreateJourneys(ctx, program, c.StudentIDs)
	if err != nil {
		return err
	}
	byStudent := make(map[string]store.BulkJourney, len(journeys))
	for _, j := range journeys {
		byStudent[j.StudentID] = j
	}
	out := r.startAll(ctx, c, program, def, students, byStudent)
	// Students no longer in the district (purged meanwhile) are done too.
	known := make(map[string]bool, len(students))
	for _, st := range students {
		known[st.ID] = true
	}
	for _, id := range c.StudentIDs {
		if !known[id] {
			out = append(out, store.EnrolmentOutcome{StudentID: id, State: "skipped"})
		}
	}
	return r.Store.FinishEnrolment(ctx, c.BatchID, out)
}

// startAll starts the workflow of each student's journey in the program,
// Starts at a time, and returns the outcomes of those that are settled.
func (r *Runner) startAll(ctx context.Context, c store.EnrolmentClaim, program store.Program, def workflows.Program,
	students []store.Student, byStudent map[string]store.BulkJourney) []store.EnrolmentOutcome {
	var (
		mu   sync.Mutex
		out  = make([]store.EnrolmentOutcome, 0, len(students))
		wg   sync.WaitGroup
		sem  = make(chan struct{}, r.starts())
		once sync.Once
	)
	for _, st := range students {
		j, ok := byStudent[st.ID]
		if !ok || j.ProgramID != program.ID {
			// Not enrolable (not in the program's district), or this year's
			// journey is in another program.
			mu.Lock()
			out = append(out, store.EnrolmentOutcome{StudentID: st.ID, State: "skipped", JourneyID: j.ID})
			mu.Unlock()
			continue
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := r.Journeys.Start(ctx, j.Journey, st, program, def); err != nil {
				once.Do(func() {
					slog.WarnContext(ctx, "enrolment: workflow not started; retried after the lease",
						"batch", c.BatchID, "journey_id", j.ID, "err", err)
				})
				return
			}
			state := "already"
			// Opened by this batch, now or by an attempt that crashed after
			// the row was written.
			if j.Created || !j.CreatedAt.Before(c.CreatedAt) {
				state = "enrolled"
			}
			mu.Lock()
			out = append(out, store.EnrolmentOutcome{StudentID: st.ID, State: state, JourneyID: j.ID})
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}
