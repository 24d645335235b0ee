package workflows_test

import (
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/worker"

	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/config"
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
	// Through the app's payload codec (dev keys, which a recording run on
	// a test stack uses): the histories recorded before the codec hold
	// plain payloads, and the codec must pass them through.
	keys, err := codec.ParseKeys(config.DevPayloadKeys)
	if err != nil {
		t.Fatal(err)
	}
	c, err := codec.New(keys)
	if err != nil {
		t.Fatal(err)
	}
	replayer, err := worker.NewWorkflowReplayerWithOptions(worker.WorkflowReplayerOptions{DataConverter: c.DataConverter()})
	if err != nil {
		t.Fatal(err)
	}
	workflows.Register(replayer)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if err := replayer.ReplayWorkflowHistoryFromJSONFile(nil, f); err != nil {
				t.Fatalf("replay %s: %v", f, err)
			}
		})
	}
}
