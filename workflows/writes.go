package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// versionLocalWrites: the workflows' own writes to PostgreSQL (the
// journey's Record, a week's RecordTimesheet, the MOU's RecordMOU) run as
// local activities. A write takes milliseconds, and as an ordinary
// activity it cost six history events and a workflow task of its own;
// as a local activity it is one marker inside the task that asked for
// it. The write stays idempotent (sequence-guarded rows, keyed outbox
// rows), which is what makes a re-run after a worker crash safe.
// Workflows that made their first write on version 0 keep ordinary
// activities.
const versionLocalWrites = "local-writes"

// localWriteWindow bounds a local write's retries. An ordinary activity
// with no schedule-to-close timeout retries for ever; a local activity's
// schedule-to-close defaults to its start-to-close, so without this a
// PostgreSQL outage of ten seconds would fail the write. Retries longer
// than a workflow task's timeout back off on a durable timer.
const localWriteWindow = 30 * 24 * time.Hour

// write runs one of the workflow's own writes: a local activity on
// version 1, an ordinary one for workflows that started before.
func write(ctx workflow.Context, opts workflow.ActivityOptions, activity any, args ...any) workflow.Future {
	if workflow.GetVersion(ctx, versionLocalWrites, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), activity, args...)
	}
	lo := workflow.LocalActivityOptions{
		ScheduleToCloseTimeout: localWriteWindow,
		StartToCloseTimeout:    opts.StartToCloseTimeout,
		RetryPolicy:            opts.RetryPolicy,
		Summary:                opts.Summary,
	}
	return workflow.ExecuteLocalActivity(workflow.WithLocalActivityOptions(ctx, lo), activity, args...)
}
