package loadtest

import (
	"context"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// analyzeEvery is how often standInForAutovacuum refreshes the planner's
// statistics: autovacuum's default naptime.
const analyzeEvery = time.Minute

// standInForAutovacuum keeps the planner's statistics current during a
// run when the PostgreSQL under the benchmark has autovacuum turned off,
// as this machine's does (conf.d/90-ci.conf). Production runs with it on.
// Without it, the statistics are the ones taken when the run's tables were
// still nearly empty, and a journey write that closes a step's links
// chose to scan every linked message (44 ms at 13,600 of them, growing
// with the run) instead of looking up the step's own: the writes then
// ran past their 10-second limit, were cancelled and retried on new
// connections (about 1,000 a minute at N=1,000), and the run measured
// that rather than internflow.
func standInForAutovacuum(tb testing.TB, st *store.Store) {
	tb.Helper()
	var on string
	if err := st.Pool.QueryRow(context.Background(), `SHOW autovacuum`).Scan(&on); err != nil || on == "on" {
		return
	}
	tb.Logf("autovacuum is off on this PostgreSQL: the run analyzes its tables every %v instead", analyzeEvery)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	tb.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		t := time.NewTicker(analyzeEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := st.Pool.Exec(ctx, `ANALYZE`); err != nil && ctx.Err() == nil {
					tb.Logf("analyze: %v", err)
				}
			}
		}
	}()
}
