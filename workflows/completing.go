package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows/facts"
)

// Completing: the student's reflection and the employer's feedback.

// ReflectionInput is the student's closing reflection: what they learned,
// whether they would recommend the placement to a friend (1-5) and an
// optional comment about it that only staff read (never the employer).
type ReflectionInput struct {
	By        Actor  `json:"by"`
	Body      string `json:"body"`
	Recommend int    `json:"recommend"`
	Comment   string `json:"comment,omitempty"`
}

// ReflectionProblems lists what is wrong with a reflection, field by
// field, in the order the form asks: the journey refuses the first, the
// page shows them all at once.
func ReflectionProblems(in ReflectionInput) []InputError {
	var out []InputError
	add := func(field string, code Code) { out = append(out, *NewInputError(code, field)) }
	switch body := strings.TrimSpace(in.Body); {
	case len(body) < 20:
		add("body", ReflectionTooShort)
	case len(in.Body) > 10000:
		add("body", ReflectionTooLong)
	}
	if in.Recommend < 1 || in.Recommend > 5 {
		add("recommend", ReflectionRecommendNeeded)
	}
	if len(in.Comment) > 3000 {
		add("comment", ReflectionCommentTooLong)
	}
	return out
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
		return reject(ReflectionAlreadySubmitted, "")
	}
	// Validators do not run on replay: a journey already at this stage
	// asks the new question too, with no version needed.
	if p := ReflectionProblems(in); len(p) > 0 {
		return rejectWith(&p[0])
	}
	return nil
}

func (j *journey) submitReflection(ctx workflow.Context, in ReflectionInput) error {
	// The score and comment only ride along to the record (activity
	// input, which replay does not compare): no decision depends on them.
	j.reflection = &facts.ReflectionFact{Body: strings.TrimSpace(in.Body), Recommend: in.Recommend,
		Comment: strings.TrimSpace(in.Comment), At: workflow.Now(ctx)}
	j.note(ctx, "reflection_submitted", in.By, nil)
	return j.flush(ctx, nil, func(r *facts.Record) { r.Reflection = j.reflection })
}

func (j *journey) validateFeedback(in FeedbackInput) error {
	if err := j.atStage("employer feedback", StageCompleting); err != nil {
		return err
	}
	if j.feedback != nil {
		return reject(FeedbackAlreadyGiven, "")
	}
	for _, skill := range SoftSkills {
		r, ok := in.Ratings[skill]
		if !ok {
			return reject(FeedbackRatingMissing, "ratings."+skill, skill)
		}
		if r < 1 || r > 5 {
			return reject(FeedbackRatingRange, "ratings."+skill)
		}
	}
	if len(in.Ratings) != len(SoftSkills) {
		return reject(FeedbackRatingsExactly, "ratings", strings.Join(SoftSkills, ", "))
	}
	return nil
}

func (j *journey) submitFeedback(ctx workflow.Context, in FeedbackInput) error {
	j.feedback = &facts.FeedbackFact{Ratings: in.Ratings, Comment: strings.TrimSpace(in.Comment), At: workflow.Now(ctx)}
	if in.By.Kind == "supervisor" || in.By.Kind == "employer" {
		if j.placement != nil && in.By.Ref == j.placement.SupervisorID {
			j.feedback.SupervisorID = in.By.Ref
		}
	}
	j.note(ctx, "feedback_given", in.By, nil)
	return j.flush(ctx, nil, func(r *facts.Record) { r.Feedback = j.feedback })
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
