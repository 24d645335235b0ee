package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/internflow/internflow/internal/problems"
)

// Error is the JSON body of every 4xx/5xx answer.
type Error = problems.Body

// httpError is an error that already knows its status.
type httpError struct {
	status int
	body   Error
}

func (e *httpError) Error() string { return e.body.Error }

// Problem tells the error as it is (problems.Of asks).
func (e *httpError) Problem() problems.Problem {
	return problems.Problem{Status: e.status, Field: e.body.Field, Message: e.body.Error}
}

func badRequest(field, format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, body: Error{Error: fmt.Sprintf(format, args...), Field: field}}
}

// notFound is a 404 that names the field whose value matched nothing the
// caller may see.
func notFound(field, msg string) error {
	return &httpError{status: http.StatusNotFound, body: Error{Error: msg, Field: field}}
}

func statusError(status int, msg string) error {
	return &httpError{status: status, body: Error{Error: msg}}
}

// writeError answers err with its status and body (problems.Of, the one
// classifier the pages share).
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problems.Of(err)
	if p.Status >= 500 {
		slog.ErrorContext(r.Context(), "request failed", "method", r.Method, "route", routePattern(r), "err", err)
	}
	writeJSON(w, p.Status, p.Body())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// maxBody bounds JSON request bodies; uploads have their own limit.
const maxBody = 1 << 20

// decode reads a JSON body strictly: unknown fields and trailing data are
// errors, so a typo in a field name is reported instead of ignored.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return badRequest("", "request body is empty; send a JSON object")
		case errors.As(err, &syn):
			return badRequest("", "request body is not valid JSON (at byte %d)", syn.Offset)
		case errors.As(err, &typ):
			return badRequest(typ.Field, "%s must be a %s", typ.Field, typ.Type)
		case strings.HasPrefix(err.Error(), "json: unknown field"):
			field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
			return badRequest(field, "unknown field %q", field)
		default:
			return badRequest("", "request body is not valid JSON: %v", err)
		}
	}
	if dec.More() {
		return badRequest("", "request body has data after the JSON object")
	}
	return nil
}
