package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
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

// correctionOpen reports whether the permit still waits for the version
// the link was minted for; it returns the rejected version's reason.
func (p *Pages) correctionOpen(ctx context.Context, c *call) (reason string, next int, open bool, err error) {
	role, next, ok := permitRef(c.link.SubjectRef)
	if !ok || role != "employer" || !roleFits(role, c.link.PersonKind) {
		return "", 0, false, nil
	}
	var latest int
	err = p.Store.Pool.QueryRow(ctx, `SELECT COALESCE(reason, ''), (SELECT max(version) FROM work_permits WHERE journey_id = $1)
		FROM work_permits WHERE journey_id = $1 AND version = $2 AND status = 'rejected'`, c.j.ID, next-1).Scan(&reason, &latest)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", next, false, nil
	}
	return reason, next, err == nil && latest < next, err
}

func (p *Pages) formCorrectPermit(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	reason, next, open, err := p.correctionOpen(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load permit correction", err)
		return
	}
	if !open {
		p.renderStatus(w, r, c, http.StatusConflict, "corrected")
		return
	}
	f, err := permit.CurrentFields(r.Context(), p.Store.Pool, c.j.ID, next)
	if err != nil {
		p.failed(w, r, c, "load permit fields", err)
		return
	}
	v := correctView{Intern: p.internName(r.Context(), c.j.StudentID), Reason: reason}
	for _, cf := range employerCorrectables() {
		field := correctField{Name: cf.Field, Label: cf.Label(c.lang.Code), Value: f.Value(cf.Field)}
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
	_, next, open, err := p.correctionOpen(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load permit correction", err)
		return
	}
	if !open {
		p.renderStatus(w, r, c, http.StatusConflict, "corrected")
		return
	}
	current, err := permit.CurrentFields(r.Context(), p.Store.Pool, c.j.ID, next)
	if err != nil {
		p.failed(w, r, c, "load permit fields", err)
		return
	}
	errs := formErrors{}
	var values []store.FieldValue
	var parts []string
	for _, cf := range employerCorrectables() {
		typed := strings.TrimSpace(r.PostForm.Get(cf.Field))
		if typed == current.Value(cf.Field) {
			continue // left as it is
		}
		value, err := permit.CheckCorrection(cf.Field, typed)
		var problem permit.Problem
		if errors.As(err, &problem) {
			errs.add(cf.Field, sentence(cf.Label(c.lang.Code)+": "+problem.In(c.lang.Code)))
			continue
		}
		was, _ := permit.CheckCorrection(cf.Field, current.Value(cf.Field))
		if value != was {
			values = append(values, store.FieldValue{Field: cf.Field, Value: value})
			parts = append(parts, cf.Field, value)
		}
	}
	if len(errs) == 0 && len(values) == 0 {
		errs.add("", c.lang.T("correct.nothing"))
	}
	if len(errs) > 0 {
		p.formCorrectPermit(w, r, c, errs)
		return
	}
	key := updateID(c, append([]string{"correct_permit"}, parts...)...)
	err = p.update(r.Context(), c, workflows.UpdateCorrectPermit, key, workflows.CorrectPermitInput{By: c.actor(), Values: values})
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
