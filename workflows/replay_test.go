package workflows_test

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/internflow/internflow/workflows"
)

// TestReplay_RecordedHistories replays histories of real runs on the dev
// server (testdata/histories, written by the integration tests with
// INTERNFLOW_RECORD_HISTORIES=1) against the current code. A change that
// would break journeys already running fails here: guard it with
// workflow.GetVersion.
func TestReplay_RecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/histories/*.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("found %d recorded histories, want the journey, MOU and week histories", len(files))
	}
	replayer := worker.NewWorkflowReplayer()
	workflows.Register(replayer)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
