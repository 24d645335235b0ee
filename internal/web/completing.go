package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/workflows"
)

type reflectionView struct {
	// Scores are the 1-5 choices of "would you recommend it to a friend".
	Scores []int
}

func (p *Pages) formReflection(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	p.showForm(w, r, c, "reflection", errs, reflectionView{Scores: []int{1, 2, 3, 4, 5}})
}

// submitReflection shows every problem at once (the journey's own list),
// then sends the reflection.
func (p *Pages) submitReflection(w http.ResponseWriter, r *http.Request, c *call) {
	recommend, _ := strconv.Atoi(r.PostForm.Get("recommend"))
	in := workflows.ReflectionInput{By: c.actor(), Body: strings.TrimSpace(r.PostForm.Get("body")), Recommend: recommend,
		Comment: strings.TrimSpace(r.PostForm.Get("comment"))}
	if problems := workflows.ReflectionProblems(in); len(problems) > 0 {
		errs := formErrors{}
		for _, pr := range problems {
			errs.Add(pr.Field, c.lang.refusal(&pr))
		}
		p.formReflection(w, r, c, errs)
		return
	}
	key := updateID(c, "reflection", in.Body, strconv.Itoa(in.Recommend), in.Comment)
	err := deliver(r.Context(), p, c, p.Journeys.SubmitReflection, key, in)
	p.outcome(w, r, c, err, key, sameFields("body", "recommend", "comment"), func(e formErrors) { p.formReflection(w, r, c, e) },
		doneView{Body: c.lang.T("reflection.done")})
}

// skillRow is one soft skill with its 1-5 choices.
type skillRow struct {
	Skill, Label, Field string
	Scores              []int
}

type feedbackView struct {
	Intern string
	Skills []skillRow
}

// internName is the student's first (or preferred) name, for employers.
func (p *Pages) internName(ctx context.Context, studentID string) string {
	name, _ := p.Store.StudentFirstName(ctx, studentID)
	return name
}

func (p *Pages) formFeedback(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	v := feedbackView{Intern: p.internName(r.Context(), c.j.StudentID)}
	labels := certificate.SkillLabels[c.lang.Code] // one home for the skills' names
	if labels == nil {
		labels = certificate.SkillLabels["en"]
	}
	for _, s := range workflows.SoftSkills {
		v.Skills = append(v.Skills, skillRow{Skill: s, Label: labels[s], Field: "r_" + s, Scores: []int{1, 2, 3, 4, 5}})
	}
	p.showForm(w, r, c, "feedback", errs, v)
}

// submitFeedback checks every skill is rated (all missing ones at once,
// not one per try), then sends the ratings.
func (p *Pages) submitFeedback(w http.ResponseWriter, r *http.Request, c *call) {
	ratings := map[string]int{}
	errs := formErrors{}
	var parts []string
	for _, s := range workflows.SoftSkills {
		n, err := strconv.Atoi(r.PostForm.Get("r_" + s))
		if err != nil || n < 1 || n > 5 {
			errs.Add("r_"+s, c.lang.T("feedback.rate"))
			continue
		}
		ratings[s] = n
		parts = append(parts, s+"="+strconv.Itoa(n))
	}
	if len(errs) > 0 {
		p.formFeedback(w, r, c, errs)
		return
	}
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	key := updateID(c, "feedback", strings.Join(parts, ","), comment)
	err := deliver(r.Context(), p, c, p.Journeys.GiveFeedback, key, workflows.FeedbackInput{By: c.actor(), Ratings: ratings, Comment: comment})
	p.outcome(w, r, c, err, key, func(f string) string { return strings.Replace(f, "ratings.", "r_", 1) },
		func(e formErrors) { p.formFeedback(w, r, c, e) }, doneView{Body: c.lang.T("feedback.done")})
}
