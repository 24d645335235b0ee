package workflows

import (
	"go.temporal.io/sdk/workflow"

	"go.temporal.io/sdk/worker"
)

// Register adds every workflow under its stable name.
func Register(r worker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(Journey, workflow.RegisterOptions{Name: JourneyWorkflow})
	r.RegisterWorkflowWithOptions(TimesheetWeekWorkflow, workflow.RegisterOptions{Name: TimesheetWorkflow})
	r.RegisterWorkflowWithOptions(MOUWorkflowFn, workflow.RegisterOptions{Name: MOUWorkflow})
}
