package journey

import (
	"errors"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/internflow/internflow/workflows"
)

// What a person sees when the engine refuses an input: a closed step is
// a plain sentence on the form, an aborted update is "try again" (503),
// never a bare 500. Both seen under load (BenchmarkDistrictYear).
func TestAsInputError_ClosedStepAndAbortedUpdate(t *testing.T) {
	var ie *workflows.InputError
	if err := asInputError(temporal.NewCanceledError()); !errors.As(err, &ie) || ie.Message != stepClosedMessage {
		t.Errorf("update on a cancelled week: %v, want the input error %q", err, stepClosedMessage)
	}
	for _, aborted := range []error{
		serviceerror.NewWorkflowNotReady("Unable to perform workflow execution update due to unexpected workflow task failure."),
		serviceerror.NewUnavailable("workflow update was aborted"),
		// The journey did not answer within the page's wait (text storm
		// on a saturated machine): the same input again is the same update.
		client.NewWorkflowUpdateServiceTimeoutOrCanceledError(serviceerror.NewDeadlineExceeded("context deadline exceeded")),
	} {
		if err := asInputError(aborted); !errors.Is(err, ErrTryAgain) {
			t.Errorf("%v: got %v, want ErrTryAgain", aborted, err)
		}
	}
	if err := asInputError(serviceerror.NewNotFound("workflow not found")); !errors.As(err, &ie) || ie.Message != closedMessage {
		t.Errorf("update on a closed journey: %v, want %q", err, closedMessage)
	}
	if err := asInputError(errors.New("boom")); errors.Is(err, ErrTryAgain) || errors.As(err, &ie) {
		t.Errorf("an unknown error must stay an error (500), got %v", err)
	}
}
