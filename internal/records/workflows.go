package records

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/internflow/internflow/workflows"
)

// run is one workflow execution of the student's.
type run struct {
	WorkflowID string     `json:"workflow_id"`
	RunID      string     `json:"run_id"`
	Type       string     `json:"type"`
	Status     string     `json:"status"`
	Started    *time.Time `json:"started_at,omitempty"`
	Closed     *time.Time `json:"closed_at,omitempty"`
}

// workflowIDs are the student's workflow ids the database knows: each
// journey's, and each timesheet week a journey opened (from its timeline,
// so a week that never got a timesheet is found too).
func (s *Service) workflowIDs(ctx context.Context, studentID string) ([]string, error) {
	var ids []string
	err := s.Store.StudentJourneyWeeks(ctx, studentID, func(journey, week string) {
		if !slices.Contains(ids, journey) {
			ids = append(ids, journey)
		}
		if week != "" {
			ids = append(ids, workflows.WeekWorkflowID(journey, week))
		}
	})
	if err != nil {
		return nil, fmt.Errorf("the student's workflows: %w", err)
	}
	return ids, nil
}

// listRuns finds every execution of the student's workflows: by Temporal's
// visibility (every run of the journey, and every workflow whose id starts
// with the journey's or whose parent is the journey: its timesheet weeks
// and any child added later), and by id for those the database knows but
// visibility has not indexed yet.
func (s *Service) listRuns(ctx context.Context, ids []string) ([]run, error) {
	if s.Temporal == nil {
		return nil, nil
	}
	seen := map[string]bool{}
	var runs []run
	addRun := func(r run) {
		if !seen[r.WorkflowID+"/"+r.RunID] {
			seen[r.WorkflowID+"/"+r.RunID], seen[r.WorkflowID] = true, true
			runs = append(runs, r)
		}
	}
	for _, id := range ids {
		if err := s.listFamily(ctx, id, addRun); err != nil {
			return nil, err
		}
	}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		d, err := s.Temporal.DescribeWorkflow(ctx, id, "")
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("describe workflow %s: %w", id, err)
		}
		i := d.RawResponse.GetWorkflowExecutionInfo()
		addRun(newRun(i.GetExecution().GetWorkflowId(), i.GetExecution().GetRunId(), i.GetType().GetName(), i.GetStatus(),
			i.GetStartTime().AsTime(), i.GetCloseTime()))
	}
	// Journeys before their weeks (the export reads better).
	slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(len(a.WorkflowID), len(b.WorkflowID)) })
	return runs, nil
}

// listFamily lists a workflow id's runs and its children's.
func (s *Service) listFamily(ctx context.Context, id string, add func(run)) error {
	if !workflowIDSafe(id) {
		return fmt.Errorf("workflow id %q cannot be queried", id)
	}
	query := fmt.Sprintf(`WorkflowId = '%[1]s' OR WorkflowId STARTS_WITH '%[1]s-' OR ParentWorkflowId = '%[1]s'`, id)
	var token []byte
	for {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Namespace: s.namespace(), Query: query, NextPageToken: token})
		if err != nil {
			return fmt.Errorf("list workflows of %s: %w", id, err)
		}
		for _, i := range resp.GetExecutions() {
			add(newRun(i.GetExecution().GetWorkflowId(), i.GetExecution().GetRunId(), i.GetType().GetName(), i.GetStatus(),
				i.GetStartTime().AsTime(), i.GetCloseTime()))
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			return nil
		}
	}
}

type timestamp interface{ AsTime() time.Time }

func newRun(id, runID, typ string, st enumspb.WorkflowExecutionStatus, started time.Time, closed timestamp) run {
	r := run{WorkflowID: id, RunID: runID, Type: typ, Status: st.String(), Started: &started}
	if closed != nil && !closed.AsTime().IsZero() && closed.AsTime().Unix() > 0 {
		c := closed.AsTime()
		r.Closed = &c
	}
	return r
}

// workflowIDSafe: ids go into a visibility query, so only the characters
// internflow's ids use.
func workflowIDSafe(id string) bool {
	for _, r := range id {
		if !(r == '-' || r == '_' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return id != ""
}

func (s *Service) namespace() string {
	if s.Namespace == "" {
		return "default"
	}
	return s.Namespace
}

// deleteWorkflows deletes every execution of the student's workflows:
// history and visibility record. Deleting a running execution terminates
// it and deletes it at once; a closed one is deleted by the server a
// little later (once its close has been processed). Weeks go before their
// journey: a journey ended first would cancel its running weeks, closing
// them, which delays their deletion. The list is taken again until it finds
// nothing new, in case a journey opened a week meanwhile.
func (s *Service) deleteWorkflows(ctx context.Context, studentID string) (int, error) {
	if s.Temporal == nil {
		return 0, nil
	}
	ids, err := s.workflowIDs(ctx, studentID)
	if err != nil {
		return 0, err
	}
	deleted := map[string]bool{}
	for round := 0; round < 5; round++ {
		runs, err := s.listRuns(ctx, ids)
		if err != nil {
			return len(deleted), err
		}
		fresh := 0
		for _, r := range slices.Backward(runs) {
			key := r.WorkflowID + "/" + r.RunID
			if deleted[key] {
				continue
			}
			_, err := s.Temporal.WorkflowService().DeleteWorkflowExecution(ctx, &workflowservice.DeleteWorkflowExecutionRequest{
				Namespace: s.namespace(), WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: r.WorkflowID, RunId: r.RunID}})
			var nf *serviceerror.NotFound
			if err != nil && !errors.As(err, &nf) {
				return len(deleted), fmt.Errorf("delete workflow %s: %w", r.WorkflowID, err)
			}
			deleted[key] = true
			fresh++
		}
		if fresh == 0 {
			break
		}
	}
	return len(deleted), nil
}
