package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/internflow/internflow/internal/journey"
)

// An input the engine aborted (nothing applied) answers 503 with a body
// that says to try again; an unknown failure stays a plain 500.
func TestClassify_TryAgainIs503WithAReason(t *testing.T) {
	status, body := classify(fmt.Errorf("update: %w", journey.ErrTryAgain))
	if status != http.StatusServiceUnavailable || body.Error == "" {
		t.Fatalf("try again: %d %+v, want 503 with a reason", status, body)
	}
	if status, _ := classify(errors.New("boom")); status != http.StatusInternalServerError {
		t.Fatalf("unknown error: %d, want 500", status)
	}
}
