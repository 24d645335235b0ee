package activities

import (
	"context"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// MOUWaitInput registers a journey with its employer's MOU workflow.
type MOUWaitInput struct {
	EmployerID        string  `json:"employer_id"`
	DistrictID        string  `json:"district_id"`
	ProgramYear       int     `json:"program_year"`
	JourneyWorkflowID string  `json:"journey_workflow_id"`
	TimeScale         float64 `json:"time_scale,omitempty"`
}

// MOU workflow names shared with the workflows package (which cannot be
// imported here).
const (
	MOUWorkflowName     = "MOU"
	SignalRegisterMOU   = "register_journey"
	MOUWorkflowIDPrefix = "mou-"
)

// MOUWorkflowID is the one MOU workflow per employer and program year.
func MOUWorkflowID(employerID string, year int) string {
	return fmt.Sprintf("%s%s-%d", MOUWorkflowIDPrefix, employerID, year)
}

// MOUStart is the MOU workflow's input.
type MOUStart struct {
	EmployerID  string  `json:"employer_id"`
	DistrictID  string  `json:"district_id"`
	ProgramYear int     `json:"program_year"`
	TimeScale   float64 `json:"time_scale,omitempty"`
}

// RegisterMOUWait signals the employer's MOU workflow (starting it in
// "drafted" if nobody has yet) that a journey waits on it. The MOU workflow
// signals the journey back when approved, or at once if it already is.
func (a *Activities) RegisterMOUWait(ctx context.Context, in MOUWaitInput) error {
	_, err := a.Temporal.SignalWithStartWorkflow(ctx, MOUWorkflowID(in.EmployerID, in.ProgramYear), SignalRegisterMOU,
		in.JourneyWorkflowID, client.StartWorkflowOptions{
			TaskQueue:                a.TaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		}, MOUWorkflowName, MOUStart{EmployerID: in.EmployerID, DistrictID: in.DistrictID, ProgramYear: in.ProgramYear, TimeScale: in.TimeScale})
	return err
}
