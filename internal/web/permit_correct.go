package web

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

// The employer corrects its own details on a rejected work permit through
// the link in the rejection email ("correct_permit", subject
// "employer:v<next version>"); the next version is drawn with them.

// correctView is the employer's correction form.
type correctView struct {
	Intern string
	Reason string
	Fields []correctField
}

// correctField is one correctable line with its current value.
type correctField struct {
	Name, Label, Value, Hint string
}

// correction is a rejected permit waiting for the version a correction
// link was minted for.
type correction struct {
	reason  string        // the rejected version's
	next    int           // the version the corrections go into
	current permit.Fields // what that version would say now
}

// openCorrection loads the correction the link is for; ok is false when
// the link is not an employer's correction link or the corrected version
// was already drawn.
func (p *Pages) openCorrection(ctx context.Context, c *call) (corr correction, ok bool, err error) {
	role, next, valid := permitRef(c.link.SubjectRef)
	if !valid || role != "employer" || !roleFits(role, c.link.PersonKind) {
		return corr, false, nil
	}
	corr.next = next
	var latest int
	corr.reason, latest, err = p.Store.RejectedPermit(ctx, c.j.ID, next-1)
	if errors.Is(err, store.ErrNotFound) || (err == nil && latest >= next) {
		return corr, false, nil
	}
	if err != nil {
		return corr, false, err
	}
	corr.current, err = permit.CurrentFields(ctx, p.Store, c.j.ID, next)
	return corr, err == nil, err
}

// loadCorrection is openCorrection for a page: it answers the request
// itself (an error page, or "already corrected") when ok is false.
func (p *Pages) loadCorrection(w http.ResponseWriter, r *http.Request, c *call) (correction, bool) {
	corr, ok, err := p.openCorrection(r.Context(), c)
	switch {
	case err != nil:
		p.failed(w, r, c, "load permit correction", err)
	case !ok:
		p.renderStatus(w, r, c, http.StatusConflict, "corrected")
	}
	return corr, ok && err == nil
}

func (p *Pages) formCorrectPermit(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	corr, ok := p.loadCorrection(w, r, c)
	if !ok {
		return
	}
	v := correctView{Intern: p.internName(r.Context(), c.j.StudentID), Reason: corr.reason}
	for _, cf := range employerCorrectables() {
		field := correctField{Name: cf.Field, Label: cf.Label(c.lang.Code), Value: corr.current.Value(cf.Field)}
		if cf.Field == "pay" {
			field.Hint = c.lang.T("correct.pay_hint")
		}
		if r.Method == http.MethodPost {
			field.Value = r.PostForm.Get(cf.Field)
		}
		v.Fields = append(v.Fields, field)
	}
	p.showForm(w, r, c, "correct", errs, v)
}

// submitCorrectPermit sends the details that differ from the permit's.
func (p *Pages) submitCorrectPermit(w http.ResponseWriter, r *http.Request, c *call) {
	corr, ok := p.loadCorrection(w, r, c)
	if !ok {
		return
	}
	current := corr.current
	errs := formErrors{}
	var values []facts.FieldValue
	var parts []string
	for _, cf := range employerCorrectables() {
		typed := strings.TrimSpace(r.PostForm.Get(cf.Field))
		if typed == current.Value(cf.Field) {
			continue // left as it is
		}
		value, err := permit.CheckCorrection(cf.Field, typed)
		var problem permit.Problem
		if errors.As(err, &problem) {
			errs.Add(cf.Field, sentence(cf.Label(c.lang.Code)+": "+problem.In(c.lang.Code)))
			continue
		}
		was, _ := permit.CheckCorrection(cf.Field, current.Value(cf.Field))
		if value != was {
			values = append(values, facts.FieldValue{Field: cf.Field, Value: value})
			parts = append(parts, cf.Field, value)
		}
	}
	if len(errs) == 0 && len(values) == 0 {
		errs.Add("", c.lang.T("correct.nothing"))
	}
	if len(errs) > 0 {
		p.formCorrectPermit(w, r, c, errs)
		return
	}
	key := updateID(c, append([]string{"correct_permit"}, parts...)...)
	err := deliver(r.Context(), p, c, p.Journeys.CorrectPermit, key, workflows.CorrectPermitInput{By: c.actor(), Values: values})
	names := make([]string, 0, len(values))
	for _, cf := range employerCorrectables() {
		names = append(names, cf.Field)
	}
	p.outcome(w, r, c, err, key, sameFields(names...), func(e formErrors) { p.formCorrectPermit(w, r, c, e) },
		doneView{Body: c.lang.T("correct.done")})
}

// employerCorrectables are the fields an employer may correct.
func employerCorrectables() []permit.Correctable {
	var out []permit.Correctable
	for _, c := range permit.Correctables {
		if c.Employer {
			out = append(out, c)
		}
	}
	return out
}
