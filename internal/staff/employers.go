package staff

import (
	"errors"
	"github.com/internflow/internflow/internal/clientip"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/problems"
	"github.com/internflow/internflow/internal/store"
)

// Employers are district-wide partners: district ops and admins manage
// them (employers, worksites, supervisors, postings, MOUs); coordinators
// read them to advise students. Everything is scoped to the staff
// member's district, so another district's employer is "not found".

func (h *Handler) mountEmployers(r chi.Router) {
	r.Get("/staff/employers", h.employers)
	r.Get("/staff/employers/new", h.newEmployer)
	r.Post("/staff/employers", h.createEmployer)
	r.Get("/staff/employers/{employerID}", h.employer)
	r.Get("/staff/employers/{employerID}/edit", h.editEmployer)
	r.Post("/staff/employers/{employerID}", h.updateEmployer)
	r.Get("/staff/employers/{employerID}/worksites/{worksiteID}", h.worksiteForm)
	r.Post("/staff/employers/{employerID}/worksites/{worksiteID}", h.saveWorksite)
	r.Get("/staff/employers/{employerID}/supervisors/{supervisorID}", h.supervisorForm)
	r.Post("/staff/employers/{employerID}/supervisors/{supervisorID}", h.saveSupervisor)
	r.Get("/staff/employers/{employerID}/postings/new", h.newPosting)
	r.Post("/staff/employers/{employerID}/postings", h.createPosting)
	r.Post("/staff/employers/{employerID}/mou", h.draftMOU)
	r.Post("/staff/employers/{employerID}/applicants-link", h.emailApplicantsLink)
	r.Post("/staff/employers/{employerID}/stories/{journeyID}", h.markStory)
	r.Get("/staff/postings/{postingID}", h.postingForm)
	r.Post("/staff/postings/{postingID}", h.updatePosting)
	r.Post("/staff/postings/{postingID}/publish", h.publishPosting)
	r.Post("/staff/postings/{postingID}/close", h.closePosting)
}

// mayView answers 403 to staff who may not read employers.
func (h *Handler) mayView(w http.ResponseWriter, r *http.Request) bool {
	if !principal(r).CanViewEmployers() {
		h.forbidden(w, r)
		return false
	}
	return true
}

// mayManage answers 403 to staff who may not change employers.
func (h *Handler) mayManage(w http.ResponseWriter, r *http.Request) bool {
	if !principal(r).CanManageEmployers() {
		h.forbidden(w, r)
		return false
	}
	return true
}

// editor is the signed-in staff member as the store audits them.
func editor(r *http.Request) store.Editor {
	p := principal(r)
	return store.Editor{DistrictID: p.DistrictID, StaffID: p.StaffID, IP: clientip.From(r)}
}

// scopedEmployer loads the path's employer if it is the district's; it
// answers 404 (or 500) itself and reports false then.
func (h *Handler) scopedEmployer(w http.ResponseWriter, r *http.Request) (store.Employer, bool) {
	e, err := h.Store.DistrictEmployer(r.Context(), principal(r).DistrictID, chi.URLParam(r, "employerID"))
	return e, h.found(w, r, "employer", err)
}

// found reports whether a load worked, answering 404 or 500 when not.
func (h *Handler) found(w http.ResponseWriter, r *http.Request, what string, err error) bool {
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.notFound(w, r)
		return false
	case err != nil:
		h.failed(w, r, what, err)
		return false
	}
	return true
}

// saved handles a save's error: a FieldError shows the form again with
// the message by its field (422); not found is 404; anything else 500.
// It reports whether the save worked.
func (h *Handler) saved(w http.ResponseWriter, r *http.Request, err error, again func(fieldErrors)) bool {
	if pr := problems.Of(err); err != nil && pr.Refused() {
		again(fieldErrors{pr.Field: sentence(pr.Message)})
		return false
	}
	return h.found(w, r, "save", err)
}

// fieldErrors are a staff form's messages by field (one type with the
// link pages': problems.FieldErrors).
type fieldErrors = problems.FieldErrors

type employersPage struct {
	base
	Employers []store.EmployerSummary
	Year      int
	Years     []int
	CanManage bool
}

// employers lists the district's employers with their MOU status for the
// program year, open postings, placed interns and waiting applications.
func (h *Handler) employers(w http.ResponseWriter, r *http.Request) {
	if !h.mayView(w, r) {
		return
	}
	p := principal(r)
	year, years := h.programYear(r)
	list, err := h.Store.Employers(r.Context(), p.DistrictID, year)
	if err != nil {
		h.failed(w, r, "employers", err)
		return
	}
	render(w, r, http.StatusOK, "employers", employersPage{base: h.base(r, "Employers", "employers"), Employers: list,
		Year: year, Years: years, CanManage: p.CanManageEmployers()})
}

// programYear is the year the page asked for (?year=) if it is one of the
// district's program years or the current season, else the current one:
// the first program year from this season on (a season runs September to
// August), or this season when the district has none yet.
func (h *Handler) programYear(r *http.Request) (int, []int) {
	season := time.Now().Year()
	if time.Now().Month() >= time.September {
		season++
	}
	var years []int
	if programs, err := h.Store.DistrictPrograms(r.Context(), principal(r).DistrictID); err == nil {
		for _, pr := range programs {
			if !slices.Contains(years, pr.Year) {
				years = append(years, pr.Year)
			}
		}
	}
	slices.Sort(years)
	current := season
	if i := slices.IndexFunc(years, func(y int) bool { return y >= season }); i >= 0 {
		current = years[i]
	}
	if !slices.Contains(years, season) {
		years = append(years, season)
		slices.Sort(years)
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && slices.Contains(years, y) {
		return y, years
	}
	return current, years
}
