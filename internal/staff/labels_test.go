package staff

import (
	"slices"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// The workflow's list of waivable steps is the one list: the staff page
// labels each of them and nothing else.
func TestWaivable_EveryStepTheWorkflowWaivesHasALabel(t *testing.T) {
	for _, step := range workflows.Waivable {
		if waivableLabels[step] == "" {
			t.Errorf("waivable step %q has no label", step)
		}
	}
	for step := range waivableLabels {
		if !slices.Contains(workflows.Waivable, step) {
			t.Errorf("label for %q, which the workflow does not waive", step)
		}
	}
}
