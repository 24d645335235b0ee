// Package problems is how an error is told to the person who met it: one
// classifier (Of) gives the HTTP status, the field and the sentence, which
// the JSON API answers as {"error": ..., "field": ...} and the pages show
// in the page's language. The sentences of the journey's refusals are the
// catalogue in workflows/errors.go, by code, in English and Spanish.
package problems

import (
	"context"
	"errors"
	"net/http"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// Problem is an error as it is told: status, field and English sentence.
type Problem struct {
	Status int
	// Field is the input it concerns ("" for the request as a whole).
	Field string
	// Message is the English sentence (the API's "error").
	Message string
	// refusal is the journey's refusal behind it, for other languages.
	refusal *workflows.InputError
}

// Body is the JSON body of every 4xx/5xx answer.
type Body struct {
	Error string `json:"error"`
	Field string `json:"field,omitempty"`
}

// Teller is an error that already knows how it is told (the API's own
// answers to a request it cannot read).
type Teller interface {
	error
	Problem() Problem
}

// Sentences of the problems that are not a refusal of the person's input.
const (
	notFound    = "not found"
	unavailable = "the service is temporarily unavailable; please try again in a minute"
	tryAgain    = "the journey could not take this just now; nothing was changed, please try again"
	tooLong     = "the request took too long; please try again"
	internal    = "internal error"
)

// Of classifies err, in one place for the API and the pages: a refusal of
// the person's input (the journey's, or a form's a store check refused) is
// 422 with its field; what nobody may see is 404; a journey or database
// that cannot answer now is 503 (trying again is safe); anything else 500.
func Of(err error) Problem {
	var t Teller
	var ie *workflows.InputError
	var fe *store.FieldError
	switch {
	case errors.As(err, &t):
		return t.Problem()
	case errors.As(err, &ie):
		return Problem{Status: http.StatusUnprocessableEntity, Field: ie.Field, Message: ie.Message, refusal: ie}
	case errors.As(err, &fe):
		return Problem{Status: http.StatusUnprocessableEntity, Field: fe.Field, Message: fe.Message}
	case errors.Is(err, store.ErrNotFound):
		return Problem{Status: http.StatusNotFound, Message: notFound}
	case errors.Is(err, store.ErrAlreadyEnrolled):
		return Problem{Status: http.StatusConflict, Message: err.Error()}
	case store.IsUnavailable(err):
		return Problem{Status: http.StatusServiceUnavailable, Message: unavailable}
	case errors.Is(err, journey.ErrTryAgain):
		return Problem{Status: http.StatusServiceUnavailable, Message: tryAgain}
	case errors.Is(err, context.DeadlineExceeded):
		return Problem{Status: http.StatusServiceUnavailable, Message: tooLong}
	default:
		return Problem{Status: http.StatusInternalServerError, Message: internal}
	}
}

// Body is the problem as the API answers it.
func (p Problem) Body() Body { return Body{Error: p.Message, Field: p.Field} }

// Refused: the person's input was refused, and the form is shown again
// with the sentence by its field.
func (p Problem) Refused() bool { return p.Status == http.StatusUnprocessableEntity }

// In is the problem's sentence in lang ("en" or "es"), as the pages show
// it (before capitalising): the journey's refusal from its code's
// catalogue entry, anything else in English.
func (p Problem) In(lang string) string {
	if p.refusal != nil {
		return p.refusal.In(lang)
	}
	return p.Message
}
