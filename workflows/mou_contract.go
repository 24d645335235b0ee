package workflows

import (
	"fmt"

	"github.com/internflow/internflow/activities"
)

// The MOU contract: one workflow per employer and program year
// (MOUWorkflow, id MOUWorkflowID, input MOUInput, result MOUStatus) that
// carries the employer's memorandum of understanding from drafted to
// approved. Journeys register with it by SignalRegisterMOU (started on
// their behalf if nobody has yet) and hear back by SignalMOUApproved; the
// employer signs and the district approves by update (UpdateSignMOU,
// UpdateApproveMOU); QueryMOUStatus reads it. Names are stored in running
// histories: never rename one.

// MOUWorkflowIDPrefix starts every MOU workflow id.
const MOUWorkflowIDPrefix = "mou-"

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

// MOUActivities is this contract as the activities that start and signal
// the MOU workflow need it (the worker hands it to them).
var MOUActivities = activities.MOUWorkflow{Name: MOUWorkflow, RegisterSignal: SignalRegisterMOU, ID: MOUWorkflowID,
	Start: func(in activities.MOUWaitInput) any {
		return MOUStart{EmployerID: in.EmployerID, DistrictID: in.DistrictID, ProgramYear: in.ProgramYear, TimeScale: in.TimeScale}
	}}

// Names of the MOU workflow's updates and query.
const (
	MOUWorkflow       = "MOU"
	UpdateSignMOU     = "sign_mou"
	UpdateApproveMOU  = "approve_mou"
	QueryMOUStatus    = "status"
	SignalRegisterMOU = "register_journey"
)

// MOUSignInput is the employer's e-signature on the MOU.
type MOUSignInput struct {
	SignInput
}

// MOUApproveInput is the district approver's decision.
type MOUApproveInput struct {
	By                 Actor  `json:"by"`
	Approve            bool   `json:"approve"`
	ImplementationDate string `json:"implementation_date"` // 2006-01-02
	Reason             string `json:"reason"`
}

// MOUStatus answers the MOU status query.
type MOUStatus struct {
	Status             string `json:"status"`
	DocumentID         string `json:"document_id,omitempty"`
	DocumentSHA256     string `json:"document_sha256,omitempty"`
	ImplementationDate string `json:"implementation_date,omitempty"`
	WaitingJourneys    int    `json:"waiting_journeys"`
}

// MOUInput starts (or continues) an employer's MOU workflow.
type MOUInput struct {
	MOUStart
	State *MOUState `json:"state,omitempty"`
}
