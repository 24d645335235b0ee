package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows/facts"
)

// SurveyInput is the student's interest survey.
type SurveyInput struct {
	By             Actor    `json:"by"`
	Pathway        string   `json:"pathway"`
	Interests      []string `json:"interests"`
	Availability   string   `json:"availability"`
	Transport      string   `json:"transport"`
	Languages      []string `json:"languages"`
	ContactConsent bool     `json:"contact_consent"`
}

// Transports a survey accepts.
var Transports = []string{"transit", "walk", "bike", "car", "remote_only", "other"}

// InputError is a rejection the API shows to the person: which field, why.
type InputError struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// InputErrorType is the ApplicationError type validators reject with.
const InputErrorType = "InputError"

// reject is what validators return: a non-retryable error carrying the
// field and message, which the service turns back into an *InputError.
func reject(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return temporal.NewNonRetryableApplicationError(msg, InputErrorType, nil, InputError{Field: field, Message: msg})
}

// atStage rejects input that arrives when the journey is elsewhere.
func (j *journey) atStage(what string, stages ...Stage) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject("", "this journey has ended")
	}
	if !slices.Contains(stages, j.stage) {
		return reject("", "%s is not open right now (the journey is at %s)", what, strings.ReplaceAll(string(j.stage), "_", " "))
	}
	return nil
}

func (j *journey) validateSurvey(in SurveyInput) error {
	if j.survey != nil {
		return reject("", "the survey was already submitted")
	}
	if err := j.atStage("the survey", StageSurvey); err != nil {
		return err
	}
	if strings.TrimSpace(in.Pathway) == "" {
		return reject("pathway", "choose a career pathway")
	}
	// Virtual placements have no commute, so they don't ask.
	if j.in.Program.Kind != "virtual" && !slices.Contains(Transports, in.Transport) {
		return reject("transport", "choose how you would get to work")
	}
	if in.Transport == "" {
		in.Transport = "remote_only"
	}
	return nil
}

func (j *journey) submitSurvey(ctx workflow.Context, in SurveyInput) error {
	if in.Transport == "" {
		in.Transport = "remote_only"
	}
	// State changes before the write, so a second submission racing this
	// one fails validation instead of being written twice.
	now := workflow.Now(ctx)
	j.survey = &facts.SurveyFact{Pathway: in.Pathway, Interests: in.Interests, Availability: in.Availability,
		Transport: in.Transport, Languages: in.Languages, ContactConsent: in.ContactConsent, At: now}
	j.ms.SurveyDone = &now
	j.note(ctx, "survey_submitted", in.By, map[string]string{"pathway": in.Pathway})
	return j.flush(ctx, nil, func(r *facts.Record) { r.Survey = j.survey })
}

func (j *journey) runSurvey(ctx workflow.Context) error {
	w := j.newWait(ctx, "survey", "survey", PartyStudent, func() bool { return j.survey != nil }).withLink("survey", "")
	if err := j.begin(ctx, w); err != nil {
		return err
	}
	// A waived survey is not done: the funnel's "Survey done" counts only
	// surveys the student answered (SurveyDone is set by submitSurvey).
	return j.await(ctx, w)
}
