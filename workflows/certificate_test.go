package workflows_test

import (
	"slices"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// A journey that completes issues its certificate once, before the text
// that links to it; a withdrawn journey issues none.
func TestJourney_Completes_IssuesCertificateOnceBeforeTheCompletionText(t *testing.T) {
	w := newWorld(t)
	w.finish(w.workWeeks(w.happyUntilWorking(), 10, 2))
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	if err := w.env.GetWorkflowError(); err != nil {
		t.Fatalf("journey failed: %v", err)
	}
	if len(w.certificates) != 1 {
		t.Fatalf("the journey asked for %d certificates, want 1", len(w.certificates))
	}
	c := w.certificates[0]
	if c.JourneyID != journeyID || c.CompletedAt.IsZero() || c.textsBefore != 0 {
		t.Errorf("certificate request %+v: want this journey, its completion time, before the completion text", c)
	}
	if n := len(w.sentTemplate("journey_completed")); n != 1 {
		t.Errorf("%d completion texts, want 1", n)
	}
}

func TestJourney_Withdrawn_NoCertificate(t *testing.T) {
	w := newWorld(t)
	w.at(day, func() {
		w.update(workflows.UpdateWithdraw, workflows.WithdrawInput{By: coord, Reason: "Moved out of district"})
	})
	w.run(input(workflows.DefaultProgram()))
	if len(w.certificates) != 0 {
		t.Fatalf("a withdrawn journey asked for %d certificates", len(w.certificates))
	}
}

// A certificate that cannot be issued flags the journey for ops, sends no
// completion text without it, and is issued on staff's Retry.
func TestJourney_CertificateFails_StuckUntilRetryThenCompletes(t *testing.T) {
	w := newWorld(t)
	w.failCertificate = 1
	done := w.workWeeks(w.happyUntilWorking(), 10, 2)
	w.finish(done)
	w.at(done+3*day, func() {
		if st := w.status(); st.StuckReason != "failed:certificate" || len(w.sentTemplate("journey_completed")) != 0 {
			t.Errorf("before retry: stuck %q, %d completion texts", st.StuckReason, len(w.sentTemplate("journey_completed")))
		}
		w.env.SignalWorkflow(workflows.SignalRetry, workflows.RetrySignal{By: coord})
	})
	w.run(input(workflows.DefaultProgram()))
	if err := w.env.GetWorkflowError(); err != nil {
		t.Fatalf("journey failed: %v", err)
	}
	if !slices.Equal(w.stuck, []string{"failed:certificate"}) || len(w.certificates) != 1 || len(w.sentTemplate("journey_completed")) != 1 {
		t.Fatalf("ops flagged %v; %d certificates, %d completion texts", w.stuck, len(w.certificates), len(w.sentTemplate("journey_completed")))
	}
	if v := w.view(); v.Stage != "completed" || v.StuckReason != "" {
		t.Errorf("final view: %s, stuck %q", v.Stage, v.StuckReason)
	}
}
