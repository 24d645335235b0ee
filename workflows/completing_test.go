package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

// The reflection asks "would you recommend this placement to a friend"
// (1-5): without the score it is refused by that field, out of range too;
// with it the journey stores the score and the staff-only comment and
// completes.
func TestJourney_Reflection_NeedsRecommendScoreAndStoresIt(t *testing.T) {
	w := newWorld(t)
	done := w.workWeeks(w.happyUntilWorking(), 10, 2)
	body := "I learned how a clinic front desk runs."
	w.at(done, func() {
		w.update(workflows.UpdateReflection, workflows.ReflectionInput{By: student, Body: body})
		w.update(workflows.UpdateReflection, workflows.ReflectionInput{By: student, Body: body, Recommend: 6})
	})
	w.at(done+time.Hour, func() {
		w.update(workflows.UpdateReflection, workflows.ReflectionInput{By: student, Body: body, Recommend: 4,
			Comment: "  The front desk was busy but everyone helped me.  "})
	})
	w.at(done+day, func() {
		w.update(workflows.UpdateFeedback, workflows.FeedbackInput{By: employer, Ratings: ratings()})
	})
	w.run(input(workflows.DefaultProgram()))

	want := "submit_reflection: choose from 1 to 5 how much you would recommend this placement to a friend"
	if len(w.rejected) != 2 || w.rejected[0] != want || w.rejected[1] != want {
		t.Fatalf("rejections = %q, want the score refused twice", w.rejected)
	}
	var got *facts.ReflectionFact
	for _, r := range w.records {
		if r.Record.Reflection != nil {
			got = r.Record.Reflection
		}
	}
	if got == nil || got.Recommend != 4 || got.Comment != "The front desk was busy but everyone helped me." || got.Body != body {
		t.Fatalf("stored reflection = %+v", got)
	}
	if v := w.view(); v.Stage != "completed" {
		t.Fatalf("stage %s, want completed", v.Stage)
	}
}

// The page shows every problem at once, from the same list the journey
// checks.
func TestReflectionProblems_EveryFieldAtOnce(t *testing.T) {
	problems := workflows.ReflectionProblems(workflows.ReflectionInput{Body: "Fun.", Comment: strings.Repeat("x", 3001)})
	var fields []string
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	if !slices.Equal(fields, []string{"body", "recommend", "comment"}) {
		t.Fatalf("fields = %v", fields)
	}
	if p := workflows.ReflectionProblems(workflows.ReflectionInput{Body: strings.Repeat("I learned. ", 3), Recommend: 1}); len(p) != 0 {
		t.Fatalf("a good reflection has problems: %v", p)
	}
}
