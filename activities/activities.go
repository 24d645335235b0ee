// Package activities holds the journey's side effects: thin functions over
// the store, the messaging outbox and the Temporal client. Business
// decisions stay in workflows; these only do I/O and classify errors.
package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/internflow/internflow/internal/store"
)

// Activities is registered with the worker as one struct so workflows refer
// to its methods by pointer (workflow.ExecuteActivity(ctx, a.Record, ...)).
type Activities struct {
	Store *store.Store
}

// ErrInvalidInput marks an activity input that no retry can fix.
const ErrInvalidInput = "InvalidInput"

// permanent wraps errors that retrying cannot fix (bad references,
// constraint violations) so Temporal stops retrying.
func permanent(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrNotFound) || store.IsConstraintViolation(err) {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s: %v", what, err), ErrInvalidInput, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Record writes one journey state change atomically: the facts the person
// submitted, the timeline events and the read-model row.
func (a *Activities) Record(ctx context.Context, in store.Record) (store.RecordResult, error) {
	res, err := a.Store.ApplyRecord(ctx, in)
	return res, permanent(err, "record journey "+in.View.JourneyID)
}
