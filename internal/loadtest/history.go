package loadtest

import (
	"context"
	"fmt"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// HistoryStats summarises the journeys' Temporal histories.
type HistoryStats struct {
	Sampled int
	// Per journey, its own history and its timesheet weeks' together.
	EventsPerJourney  float64
	ActionsPerJourney float64
	// ParentEvents is the journey workflow's own history, on average.
	ParentEvents float64
	MaxHistory   int
	// Activities and Inputs (updates and signals) per journey: the shape
	// the baseline workflow copies.
	Activities, Inputs float64
}

// CloudDollarsPer1000 is Temporal Cloud's list price for the actions of
// 1,000 journeys, at $50 per million actions (the first volume tier).
func (h HistoryStats) CloudDollarsPer1000() float64 { return h.ActionsPerJourney * 1000 * 50 / 1e6 }

// billed counts the actions Temporal Cloud bills for one history, by its
// rules (docs.temporal.io/cloud/actions). Queries, retried activity
// attempts and rejected updates also count but leave no event here.
type billed struct {
	actions int
	// markerBilled: every marker a workflow task records (local
	// activities, versions) is one action together.
	markerBilled bool
}

func (b *billed) add(ev *historypb.HistoryEvent) {
	switch ev.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
		enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
		enumspb.EVENT_TYPE_TIMER_STARTED,
		enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
		enumspb.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
		enumspb.EVENT_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
		// A child costs two: its start (counted in its own history) and
		// the parent's intent to start it.
		enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
		b.actions++
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
		// A signal from another workflow was billed where it was sent.
		if ev.GetWorkflowExecutionSignaledEventAttributes().GetExternalWorkflowExecution() == nil {
			b.actions++
		}
	case enumspb.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
		// The SDK's own TemporalChangeVersion upserts are free.
		fields := ev.GetUpsertWorkflowSearchAttributesEventAttributes().GetSearchAttributes().GetIndexedFields()
		if _, version := fields["TemporalChangeVersion"]; !version || len(fields) > 1 {
			b.actions++
		}
	case enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
		b.markerBilled = false
	case enumspb.EVENT_TYPE_MARKER_RECORDED:
		if !b.markerBilled {
			b.actions++
			b.markerBilled = true
		}
	}
}

// historyStats samples up to 25 journeys' histories (with their weeks)
// and finds the longest journey history of the run.
func historyStats(tb testing.TB, sys *system, journeys []string) HistoryStats {
	ctx := context.Background()
	tc := testenv.Temporal(tb)
	var h HistoryStats
	step := max(1, len(journeys)/25)
	for i := 0; i < len(journeys); i += step {
		wf := workflows.JourneyWorkflowID(journeys[i])
		parent := CountHistory(ctx, tc, wf)
		total := parent
		weeks, _ := weekIDs(ctx, sys.Store, journeys[i])
		for _, w := range weeks {
			total = total.Add(CountHistory(ctx, tc, workflows.WeekWorkflowID(wf, w)))
		}
		h.Sampled++
		h.ParentEvents += float64(parent.Events)
		h.EventsPerJourney += float64(total.Events)
		h.ActionsPerJourney += float64(total.Actions)
		h.Activities += float64(total.Activities)
		h.Inputs += float64(total.Inputs)
	}
	if h.Sampled > 0 {
		n := float64(h.Sampled)
		h.ParentEvents, h.EventsPerJourney, h.ActionsPerJourney = h.ParentEvents/n, h.EventsPerJourney/n, h.ActionsPerJourney/n
		h.Activities, h.Inputs = h.Activities/n, h.Inputs/n
	}
	h.MaxHistory = longestHistory(ctx, tc, sys.TaskQueue)
	return h
}

// Counts are one history's tallies: its events, the actions Temporal
// Cloud bills for them, its activities and its inputs (updates, signals).
type Counts struct{ Events, Actions, Activities, Inputs int }

// Add sums two histories' tallies (a journey and its weeks).
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Events + o.Events, c.Actions + o.Actions, c.Activities + o.Activities, c.Inputs + o.Inputs}
}

// CountHistory tallies one workflow's history as Temporal stores it.
func CountHistory(ctx context.Context, tc client.Client, workflowID string) Counts {
	var c Counts
	var bill billed
	it := tc.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			break
		}
		c.Events++
		bill.add(ev)
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			c.Activities++
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
			c.Inputs++
		}
	}
	c.Actions = bill.actions
	return c
}

func weekIDs(ctx context.Context, st *store.Store, journeyID string) ([]string, error) {
	rows, err := st.Pool.Query(ctx, `SELECT week_start::text FROM timesheets WHERE journey_id = $1`, journeyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var w string
		if rows.Scan(&w) == nil {
			out = append(out, w)
		}
	}
	return out, rows.Err()
}

// longestHistory lists the run's journey workflows from visibility.
func longestHistory(ctx context.Context, tc client.Client, taskQueue string) int {
	longest := 0
	var token []byte
	for {
		resp, err := tc.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: fmt.Sprintf("TaskQueue = '%s' AND WorkflowType = '%s'", taskQueue, workflows.JourneyWorkflow), NextPageToken: token, PageSize: 1000})
		if err != nil {
			return longest
		}
		for _, e := range resp.Executions {
			longest = max(longest, int(e.GetHistoryLength()))
		}
		if token = resp.NextPageToken; len(token) == 0 {
			return longest
		}
	}
}
