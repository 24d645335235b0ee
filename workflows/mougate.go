package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
)

// MOU gate: a district-funded placement waits until the employer's MOU is
// approved. The MOU is its own workflow; the journey registers with it and
// is signalled once, never polls.

// MOUApprovedSignal tells a waiting journey the employer's MOU is approved.
type MOUApprovedSignal struct {
	EmployerID         string `json:"employer_id"`
	ImplementationDate string `json:"implementation_date"`
}

func (j *journey) onMOUApproved(ctx workflow.Context, s MOUApprovedSignal) {
	if j.placement == nil || s.EmployerID != j.placement.EmployerID || j.mouApproved {
		return
	}
	j.mouApproved = true
	j.note(ctx, "mou_approved", Actor{Kind: "system", Ref: "mou"}, map[string]string{"employer_id": s.EmployerID})
}

var registerOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{activities.ErrInvalidInput}},
}

func (j *journey) runMOUGate(ctx workflow.Context) error {
	in := activities.MOUWaitInput{
		EmployerID: j.placement.EmployerID, DistrictID: j.in.DistrictID, ProgramYear: j.in.ProgramYear,
		JourneyWorkflowID: JourneyWorkflowID(j.in.JourneyID), TimeScale: j.in.Program.TimeScale,
	}
	err := j.retryable(ctx, "register_mou_wait", func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, registerOptions), a.RegisterMOUWait, in).Get(ctx, nil)
	})
	if err != nil {
		return err
	}
	w := j.newWait(ctx, "mou", "mou", PartyMOU, func() bool { return j.mouApproved })
	return j.stepThrough(ctx, w, "")
}
