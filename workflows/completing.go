package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/store"
)

// Completing: the student's reflection and the employer's feedback.

// ReflectionInput is the student's closing reflection.
type ReflectionInput struct {
	By   Actor  `json:"by"`
	Body string `json:"body"`
}

// FeedbackInput is the employer's one-click ratings plus a comment.
type FeedbackInput struct {
	By      Actor          `json:"by"`
	Ratings map[string]int `json:"ratings"`
	Comment string         `json:"comment"`
}

// SoftSkills are rated 1 (needs work) to 5 (excellent).
var SoftSkills = []string{"communication", "reliability", "teamwork", "initiative", "professionalism"}

func (j *journey) validateReflection(in ReflectionInput) error {
	if err := j.atStage("the reflection", StageCompleting); err != nil {
		return err
	}
	if j.reflection != nil {
		return reject("", "your reflection was already submitted")
	}
	if len(strings.TrimSpace(in.Body)) < 20 {
		return reject("body", "write a few sentences about what you learned")
	}
	if len(in.Body) > 10000 {
		return reject("body", "keep the reflection under 10,000 characters")
	}
	return nil
}

func (j *journey) submitReflection(ctx workflow.Context, in ReflectionInput) error {
	j.reflection = &store.ReflectionFact{Body: strings.TrimSpace(in.Body), At: workflow.Now(ctx)}
	j.note(ctx, "reflection_submitted", in.By, nil)
	return j.flush(ctx, nil, func(r *store.Record) { r.Reflection = j.reflection })
}

func (j *journey) validateFeedback(in FeedbackInput) error {
	if err := j.atStage("employer feedback", StageCompleting); err != nil {
		return err
	}
	if j.feedback != nil {
		return reject("", "feedback was already given")
	}
	for _, skill := range SoftSkills {
		r, ok := in.Ratings[skill]
		if !ok {
			return reject("ratings."+skill, "rate %s", skill)
		}
		if r < 1 || r > 5 {
			return reject("ratings."+skill, "ratings go from 1 to 5")
		}
	}
	if len(in.Ratings) != len(SoftSkills) {
		return reject("ratings", "rate exactly: %s", strings.Join(SoftSkills, ", "))
	}
	return nil
}

func (j *journey) submitFeedback(ctx workflow.Context, in FeedbackInput) error {
	j.feedback = &store.FeedbackFact{Ratings: in.Ratings, Comment: strings.TrimSpace(in.Comment), At: workflow.Now(ctx)}
	if in.By.Kind == "supervisor" || in.By.Kind == "employer" {
		if j.placement != nil && in.By.Ref == j.placement.SupervisorID {
			j.feedback.SupervisorID = in.By.Ref
		}
	}
	j.note(ctx, "feedback_given", in.By, nil)
	return j.flush(ctx, nil, func(r *store.Record) { r.Feedback = j.feedback })
}

func (j *journey) runCompleting(ctx workflow.Context) error {
	reflect := j.newWait(ctx, "reflection", "reflection", PartyStudent, func() bool { return j.reflection != nil }).
		withLink("submit_reflection", "")
	feedback := j.newWait(ctx, "feedback", "feedback", PartyEmployer, func() bool { return j.feedback != nil }).
		withLink("give_feedback", "")
	if err := j.begin(ctx, reflect, feedback); err != nil {
		return err
	}
	return j.awaitAll(ctx, reflect, feedback)
}
