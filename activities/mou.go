package activities

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows/facts"

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

// MOUWorkflow names the employer's MOU workflow for the activities that
// start and signal it. Its home is the workflows package's MOU contract
// (workflows.MOUActivities), which the worker wiring passes in: activities
// cannot import workflows, which imports activities.
type MOUWorkflow struct {
	Name           string
	RegisterSignal string
	// ID is the one MOU workflow per employer and program year.
	ID func(employerID string, year int) string
	// Start is the workflow's input when a journey's wait starts it.
	Start func(in MOUWaitInput) any
}

// RegisterMOUWait signals the employer's MOU workflow (starting it in
// "drafted" if nobody has yet) that a journey waits on it. The MOU workflow
// signals the journey back when approved, or at once if it already is.
func (a *Activities) RegisterMOUWait(ctx context.Context, in MOUWaitInput) error {
	_, err := a.Temporal.SignalWithStartWorkflow(ctx, a.MOU.ID(in.EmployerID, in.ProgramYear), a.MOU.RegisterSignal,
		in.JourneyWorkflowID, client.StartWorkflowOptions{
			TaskQueue:                a.TaskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		}, a.MOU.Name, a.MOU.Start(in))
	return err
}

// MOURecord is one MOU state change plus its messages.
type MOURecord struct {
	EmployerID         string               `json:"employer_id"`
	ProgramYear        int                  `json:"program_year"`
	Status             string               `json:"status"`
	StaffID            string               `json:"staff_id,omitempty"`
	Reason             string               `json:"reason,omitempty"`
	ImplementationDate string               `json:"implementation_date,omitempty"`
	Signature          *facts.SignatureFact `json:"signature,omitempty"`
	Messages           []messaging.Request  `json:"messages,omitempty"`
	// Waits are the MOU's open waits after this write (nil: unchanged).
	Waits *facts.WaitSet `json:"waits,omitempty"`
	// Key makes the audit entry idempotent.
	Key string `json:"key"`
}

// MOUDoc is the MOU's document and the employer it names (messages say
// whose agreement it is).
type MOUDoc struct {
	PermitDoc
	EmployerName string `json:"employer_name,omitempty"`
	// PlannedStart and TermEnd (2006-01-02) are the dates the MOU's
	// messages state: when interns are planned to start and the last day
	// the MOU covers.
	PlannedStart string `json:"planned_start,omitempty"`
	TermEnd      string `json:"term_end,omitempty"`
}

// PrepareMOUInput names the MOU to draft (the MOU workflow's own input,
// whose other fields this activity ignores, is what older histories hold).
type PrepareMOUInput struct {
	EmployerID  string `json:"employer_id"`
	ProgramYear int    `json:"program_year"`
}

// PrepareMOU creates the MOU row (drafted) and its document for signing.
func (a *Activities) PrepareMOU(ctx context.Context, in PrepareMOUInput) (MOUDoc, error) {
	d, err := a.Store.PrepareMOU(ctx, in.EmployerID, in.ProgramYear, a.MOU.ID(in.EmployerID, in.ProgramYear), time.Now().UTC())
	if err != nil {
		return MOUDoc{}, permanent(err, "prepare MOU")
	}
	e, err := a.Store.GetEmployer(ctx, in.EmployerID)
	return MOUDoc{PermitDoc: PermitDoc{Version: 1, DocumentID: d.DocumentID, SHA256: d.SHA256}, EmployerName: e.Name,
		PlannedStart: d.PlannedStart, TermEnd: d.TermEnd}, permanent(err, "prepare MOU")
}

// RecordMOU writes an MOU state change, its signature and audit entry, and
// queues its messages in one transaction.
func (a *Activities) RecordMOU(ctx context.Context, in MOURecord) (RecordOutput, error) {
	var out RecordOutput
	err := a.Store.InTx(ctx, func(tx pgx.Tx) error {
		err := store.WriteMOU(ctx, tx, store.MOUChange{EmployerID: in.EmployerID, ProgramYear: in.ProgramYear, Status: in.Status,
			StaffID: in.StaffID, Reason: in.Reason, ImplementationDate: in.ImplementationDate,
			Signature: in.Signature, Key: in.Key})
		if err != nil {
			return err
		}
		if in.Waits != nil {
			if err := store.SyncWaits(ctx, tx, "", *in.Waits); err != nil {
				return err
			}
		}
		out.Outcomes, err = a.enqueueAll(ctx, tx, in.Messages)
		return err
	})
	return out, permanent(err, "record MOU")
}
