package demo_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/demo"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// TestSeed_JourneysAtEveryStage_AndASecondSeedChangesNothing is what a
// newcomer sees after `make run`: students at every stage.
func TestSeed_JourneysAtEveryStage_AndASecondSeedChangesNothing(t *testing.T) {
	ctx := context.Background()
	s := apptest.New(t, apptest.Options{})
	res, err := demo.Seed(ctx, s.Store, s.Journeys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"survey", "intern_ready", "applying", "mou_gate", "work_permit", "trainings", "working",
		"deliverable", "completed", "withdrawn"}
	// The last step of each script moves its journey on a moment later.
	var stages map[string]int
	deadline := time.Now().Add(15 * time.Second)
	for {
		stages = stageCounts(t, s)
		missing := slices.ContainsFunc(want, func(st string) bool { return stages[st] == 0 })
		if !missing || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, st := range want {
		if stages[st] == 0 {
			t.Errorf("no demo journey at %s (stages: %v)", st, stages)
		}
	}
	// The partner record has something to show: last year's MOUs, the
	// clinic's MOU of this year carrying their terms over, the
	// micro-intern's recommendation.
	var carried, recommends int
	deadline = time.Now().Add(15 * time.Second)
	for (carried == 0 || recommends == 0) && time.Now().Before(deadline) {
		_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM mous WHERE cardinality(carried_fields) = 4 AND document_id IS NOT NULL`).Scan(&carried)
		_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM reflections WHERE recommend = 5 AND comment <> ''`).Scan(&recommends)
		time.Sleep(200 * time.Millisecond)
	}
	if carried != 1 || recommends != 1 {
		t.Errorf("MOUs carrying last year's terms: %d; reflections recommending: %d", carried, recommends)
	}
	again, err := demo.Seed(ctx, s.Store, s.Journeys)
	if err != nil || !again.Skipped {
		t.Fatalf("second seed: %+v %v", again, err)
	}
	var journeys int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM journeys`).Scan(&journeys)
	if journeys != res.Journeys {
		t.Fatalf("%d journeys after a second seed, want %d", journeys, res.Journeys)
	}
}

func stageCounts(t *testing.T, s *apptest.Stack) map[string]int {
	stages := map[string]int{}
	rows, err := s.Pool.Query(context.Background(), `SELECT stage, count(*) FROM journey_view GROUP BY stage`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var stage string
		var n int
		_ = rows.Scan(&stage, &n)
		stages[stage] = n
	}
	return stages
}
