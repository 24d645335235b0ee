package staff

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/internflow/internflow/internal/problems"
	"github.com/internflow/internflow/internal/store"
)

// A student-page form refused for one of its own inputs is shown again
// rather than flashed after a redirect: the message next to that input,
// the form open and everything as typed, so the staff member corrects
// one thing instead of typing it all again. A refusal about the journey
// (it is not waiting for that, the week is already decided) has nothing
// to correct in the form and stays a flash.

// refusedForm is the refused form the student page shows again; its zero
// value is "no form refused", so the template can ask any form.
type refusedForm struct {
	action string // the form's action: "waive", "purge-record"
	key    string // which of the action's repeated forms (the hours week)
	typed  url.Values
	errors problems.FieldErrors // by input name
}

// refusal is the form to show again when err refuses one of the action's
// own inputs; ok is false for any other outcome, which is a flash.
func (a action) refusal(r *http.Request, name string, err error) (f refusedForm, ok bool) {
	pr := problems.Of(err)
	if err == nil || !pr.Refused() || !slices.Contains(a.inputs, pr.Field) {
		return refusedForm{}, false
	}
	_ = r.ParseForm() // parsed already when the action read its inputs
	f = refusedForm{action: name, typed: r.PostForm, errors: problems.FieldErrors{pr.Field: sentence(pr.Message)}}
	if a.key != "" {
		f.key = r.PostFormValue(a.key)
	}
	return f, true
}

// showRefused shows the student page again with the refused form; the
// journey is as it was.
func (h *Handler) showRefused(w http.ResponseWriter, r *http.Request, j store.StudentJourney, f refusedForm) {
	h.renderStudent(w, r, j, http.StatusUnprocessableEntity, func(d *studentPage) { d.Refused = f })
}

// Form is what the template fills the action's form with: the refused
// form if it is this one, else nothing. Forms repeated on the page (one
// per hour week) pass their key so only the refused one is filled.
func (d studentPage) Form(action string, key ...string) refusedForm {
	f := d.Refused
	if f.action != action || (len(key) > 0 && key[0] != f.key) {
		return refusedForm{}
	}
	return f
}

// Open: the form was refused, so it is shown unfolded.
func (f refusedForm) Open() bool { return f.action != "" }

// Value is what was typed into the input, or initial (the value the page
// offers) when the form was not refused.
func (f refusedForm) Value(name string, initial ...string) string {
	if !f.Open() && len(initial) > 0 {
		return initial[0]
	}
	return f.typed.Get(name)
}

// Err is the message shown next to the input ("" for none).
func (f refusedForm) Err(name string) string { return f.errors[name] }

// Has reports whether the refused form had this value ticked for the
// input (a checkbox list shown again as it was).
func (f refusedForm) Has(name, value string) bool { return slices.Contains(f.typed[name], value) }
