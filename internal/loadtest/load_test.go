package loadtest

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// TestLoad_SmallDistrict_EveryJourneyCompletesThroughThePages is the load
// generator on a small scale: every simulated journey reaches completion
// with people acting only through links and pages.
func TestLoad_SmallDistrict_EveryJourneyCompletesThroughThePages(t *testing.T) {
	r := Run(t, Options{Journeys: 12, Schools: 3, TimeScale: weekIn(8 * time.Second), InFlight: 16, Timeout: 3 * time.Minute})
	t.Log(r)
	if r.Completed != r.Journeys {
		t.Fatalf("%d of %d journeys completed; given up on: %v", r.Completed, r.Journeys, r.GaveUp)
	}
	if r.History.EventsPerJourney == 0 || r.History.MaxHistory == 0 {
		t.Errorf("no history figures: %+v", r.History)
	}
	// What a slow run would be explained by: serve's own time on the
	// dashboard the probe loaded, and the slowest journey's last events.
	t.Log(diagnosis(r))
	if i := slices.IndexFunc(r.Routes, func(rt RouteTime) bool { return rt.Route == "GET /staff" }); i < 0 || r.Routes[i].Requests < r.Dashboard.N {
		t.Errorf("serve's histogram lacks the %d dashboard loads: %+v", r.Dashboard.N, r.Routes)
	}
	if len(r.Slowest) == 0 || !strings.Contains(r.Slowest[0], "got journey_completed") {
		t.Errorf("the slowest journey's trail does not end in its completion: %q", r.Slowest)
	}
}

// weekIn is the time scale that makes a program week last d.
func weekIn(d time.Duration) float64 { return float64(7*24*time.Hour) / float64(d) }

// TestBaseline_TrivialWorkflowsComplete checks the engine-floor workflow
// the benchmark compares journeys against.
func TestBaseline_TrivialWorkflowsComplete(t *testing.T) {
	r := RunBaseline(t, 20, 8, BaselineInput{Inputs: 5, Activities: 9})
	if r.Workflows != 20 || r.PerMinute <= 0 {
		t.Fatalf("baseline: %+v", r)
	}
}
