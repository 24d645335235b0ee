package staff

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/store"
)

// Worksites and supervisors each have one form page, for a new one (the
// id "new" in the path) or an existing one.

type worksiteFormPage struct {
	base
	E      store.Employer
	W      store.Worksite
	Errors fieldErrors
}

// partID is the path's worksite or supervisor id; "" for "new".
func partID(r *http.Request, name string) string {
	if id := chi.URLParam(r, name); id != "new" {
		return id
	}
	return ""
}

func (h *Handler) showWorksiteForm(w http.ResponseWriter, r *http.Request, e store.Employer, ws store.Worksite, errs fieldErrors) {
	title := "New worksite"
	if ws.ID != "" {
		title = "Edit worksite"
	}
	render(w, r, formStatus(errs), "worksite_form", worksiteFormPage{base: h.base(r, title, "employers"), E: e, W: ws, Errors: errs})
}

// loadWorksite loads the employer and the path's worksite (empty for "new").
func (h *Handler) loadWorksite(w http.ResponseWriter, r *http.Request) (store.Employer, store.Worksite, bool) {
	if !h.mayManage(w, r) {
		return store.Employer{}, store.Worksite{}, false
	}
	e, ok := h.scopedEmployer(w, r)
	ws := store.Worksite{EmployerID: e.ID}
	if id := partID(r, "worksiteID"); ok && id != "" {
		var err error
		ws, err = h.Store.DistrictWorksite(r.Context(), e.DistrictID, e.ID, id)
		ok = h.found(w, r, "worksite", err)
	}
	return e, ws, ok
}

func (h *Handler) worksiteForm(w http.ResponseWriter, r *http.Request) {
	if e, ws, ok := h.loadWorksite(w, r); ok {
		h.showWorksiteForm(w, r, e, ws, nil)
	}
}

func (h *Handler) saveWorksite(w http.ResponseWriter, r *http.Request) {
	e, ws, ok := h.loadWorksite(w, r)
	if !ok {
		return
	}
	in := worksiteFromForm(r, e.ID, ws.ID)
	saved, err := h.Store.SaveWorksite(r.Context(), editor(r), in)
	if !h.saved(w, r, err, func(errs fieldErrors) { h.showWorksiteForm(w, r, e, in, errs) }) {
		return
	}
	h.setFlash(w, false, "Saved worksite "+saved.Name+".")
	http.Redirect(w, r, "/staff/employers/"+e.ID+"#worksites", http.StatusSeeOther)
}

type supervisorFormPage struct {
	base
	E      store.Employer
	S      store.Supervisor
	Staff  []store.StaffRef
	Errors fieldErrors
}

func (h *Handler) showSupervisorForm(w http.ResponseWriter, r *http.Request, e store.Employer, sv store.Supervisor, errs fieldErrors) {
	title := "New supervisor"
	if sv.ID != "" {
		title = "Edit supervisor"
	}
	staff, err := h.Store.DistrictStaff(r.Context(), e.DistrictID)
	if err != nil {
		h.failed(w, r, "district staff", err)
		return
	}
	render(w, r, formStatus(errs), "supervisor_form", supervisorFormPage{base: h.base(r, title, "employers"), E: e, S: sv,
		Staff: staff, Errors: errs})
}

// loadSupervisor loads the employer and the path's supervisor (empty for "new").
func (h *Handler) loadSupervisor(w http.ResponseWriter, r *http.Request) (store.Employer, store.Supervisor, bool) {
	if !h.mayManage(w, r) {
		return store.Employer{}, store.Supervisor{}, false
	}
	e, ok := h.scopedEmployer(w, r)
	sv := store.Supervisor{EmployerID: e.ID, Language: "en"}
	if id := partID(r, "supervisorID"); ok && id != "" {
		var err error
		sv, err = h.Store.DistrictSupervisor(r.Context(), e.DistrictID, e.ID, id)
		ok = h.found(w, r, "supervisor", err)
	}
	return e, sv, ok
}

func (h *Handler) supervisorForm(w http.ResponseWriter, r *http.Request) {
	if e, sv, ok := h.loadSupervisor(w, r); ok {
		h.showSupervisorForm(w, r, e, sv, nil)
	}
}

func (h *Handler) saveSupervisor(w http.ResponseWriter, r *http.Request) {
	e, sv, ok := h.loadSupervisor(w, r)
	if !ok {
		return
	}
	in := supervisorFromForm(r, e.ID, sv.ID)
	saved, err := h.Store.SaveSupervisor(r.Context(), editor(r), in)
	if !h.saved(w, r, err, func(errs fieldErrors) { h.showSupervisorForm(w, r, e, in, errs) }) {
		return
	}
	h.setFlash(w, false, "Saved supervisor "+saved.Name+".")
	http.Redirect(w, r, "/staff/employers/"+e.ID+"#supervisors", http.StatusSeeOther)
}
