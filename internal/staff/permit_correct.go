package staff

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

// permitCorrection is the student page's form for a rejected permit: every
// correctable field with what the next version would say now.
type permitCorrection struct {
	Version int // the version the corrections go into
	Reason  string
	Fields  []correctionField
}

type correctionField struct {
	Name, Label, Value string
	Employer           bool // the employer may correct it too
}

// permitCorrection builds the form when the live journey waits for a
// correction (nil otherwise).
func (h *Handler) permitCorrection(ctx context.Context, live *workflows.JourneyStatus, journeyID string) (*permitCorrection, error) {
	if live == nil || live.Permit == nil || !live.Permit.AwaitingCorrection {
		return nil, nil
	}
	next := live.Permit.Version + 1
	f, err := permit.CurrentFields(ctx, h.Store, journeyID, next)
	if err != nil {
		return nil, err
	}
	c := &permitCorrection{Version: next, Reason: live.Permit.Reason}
	for _, cf := range permit.Correctables {
		c.Fields = append(c.Fields, correctionField{Name: cf.Field, Label: cf.Label("en"), Value: f.Value(cf.Field), Employer: cf.Employer})
	}
	return c, nil
}

// correctionInputs are the correction form's inputs, one per correctable
// field.
func correctionInputs() []string {
	var names []string
	for _, cf := range permit.Correctables {
		names = append(names, cf.Field)
	}
	return names
}

// correctPermit sends the fields staff changed (none: the permit was
// right, only its signatures must be given again) and draws the new version.
func (h *Handler) correctPermit(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	st, err := h.Journeys.Query(r.Context(), j.View.JourneyID)
	if err != nil {
		return "", err
	}
	if st.Permit == nil || !st.Permit.AwaitingCorrection {
		return "", workflows.NewInputError(workflows.PermitNotCorrecting, "")
	}
	current, err := permit.CurrentFields(r.Context(), h.Store, j.View.JourneyID, st.Permit.Version+1)
	if err != nil {
		return "", err
	}
	var values []facts.FieldValue
	for _, cf := range permit.Correctables {
		typed := strings.TrimSpace(r.PostFormValue(cf.Field))
		if typed == current.Value(cf.Field) {
			continue
		}
		value, err := permit.CheckCorrection(cf.Field, typed)
		var problem permit.Problem
		if errors.As(err, &problem) {
			return "", &workflows.InputError{Field: cf.Field, Message: cf.Label("en") + ": " + problem.EN}
		}
		was, _ := permit.CheckCorrection(cf.Field, current.Value(cf.Field))
		if value != was {
			values = append(values, facts.FieldValue{Field: cf.Field, Value: value})
		}
	}
	in := workflows.CorrectPermitInput{By: by, Values: values}
	if err := h.Journeys.CorrectPermit(r.Context(), j.View.JourneyID, updateID(r, "permit_correct"), in); err != nil {
		return "", err
	}
	if len(values) == 0 {
		return "Nothing changed; a new version goes to the signers to sign again.", nil
	}
	return "Permit corrected; the new version goes to the signers with what changed.", nil
}
