package problems

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// An input the engine aborted (nothing applied) answers 503 with a body
// that says to try again; an unknown failure stays a plain 500.
func TestClassify_TryAgainIs503WithAReason(t *testing.T) {
	p := Of(fmt.Errorf("update: %w", journey.ErrTryAgain))
	if status, body := p.Status, p.Body(); status != http.StatusServiceUnavailable || body.Error == "" {
		t.Fatalf("try again: %d %+v, want 503 with a reason", status, body)
	}
	if status := Of(errors.New("boom")).Status; status != http.StatusInternalServerError {
		t.Fatalf("unknown error: %d, want 500", status)
	}
}

// The journey's refusal is 422 with its field and English sentence for the
// API, and its code's sentence for a Spanish page.
func TestOf_RefusalByFieldInEitherLanguage(t *testing.T) {
	p := Of(fmt.Errorf("update: %w", workflows.NewInputError(workflows.SurveyPathwayRequired, "pathway")))
	if !p.Refused() || p.Body() != (Body{Error: "choose a career pathway", Field: "pathway"}) {
		t.Errorf("refusal: %+v", p)
	}
	if got := p.In("es"); got != "elige un área profesional" {
		t.Errorf("es: %q", got)
	}
	fe := Of(&store.FieldError{Field: "interns", Message: "give the number"})
	if !fe.Refused() || fe.Body() != (Body{Error: "give the number", Field: "interns"}) || fe.In("es") != "give the number" {
		t.Errorf("field error: %+v", fe)
	}
	if nf := Of(fmt.Errorf("program: %w", store.ErrNotFound)); nf.Status != http.StatusNotFound || nf.Body().Error != "not found" {
		t.Errorf("not found: %+v", nf)
	}
}

// A form shows the first problem found for each field.
func TestFieldErrors_FirstMessageStays(t *testing.T) {
	errs := FieldErrors{}
	errs.Add("hours", "enter the hours")
	errs.Add("hours", "hours go from 0 to 24")
	errs.Add("", "check the form")
	if errs["hours"] != "enter the hours" || errs[""] != "check the form" || len(errs) != 2 {
		t.Errorf("errors: %v", errs)
	}
}
