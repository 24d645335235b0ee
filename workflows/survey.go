package workflows

import (
	"slices"
	"strings"

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

// atStage rejects input that arrives when the journey is elsewhere.
func (j *journey) atStage(what string, stages ...Stage) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyEnded, "")
	}
	if !slices.Contains(stages, j.stage) {
		return reject(StepNotOpen, "", what, strings.ReplaceAll(string(j.stage), "_", " "))
	}
	return nil
}

func (j *journey) validateSurvey(in SurveyInput) error {
	if j.survey != nil {
		return reject(SurveyAlreadySubmitted, "")
	}
	if err := j.atStage("the survey", StageSurvey); err != nil {
		return err
	}
	if strings.TrimSpace(in.Pathway) == "" {
		return reject(SurveyPathwayRequired, "pathway")
	}
	// Virtual placements have no commute, so they don't ask.
	if j.in.Program.Kind != "virtual" && !slices.Contains(Transports, in.Transport) {
		return reject(SurveyTransportRequired, "transport")
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
