package staff

import (
	"errors"
	"net/http"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

type employerPage struct {
	base
	E           store.Employer
	Worksites   []store.Worksite
	Supervisors []store.Supervisor
	Postings    []store.PostingSummary
	Year        int
	Years       []int
	// MOU is the employer's MOU for Year (nil: none drafted yet).
	MOU *store.MOUSummary
	// Flagged are the contact's and supervisors' addresses we no longer
	// use (a bounce, STOP), with the journeys each one flags.
	Flagged []messaging.FlaggedAddress
	// Partner is the employer's record across program years.
	Partner partnerView
	// Recommend is the students' score over every year, by the postings.
	Recommend string
	// Draft is the MOU form's terms (none drafted for Year yet): as typed,
	// else the last MOU's; Prior is that MOU (nil for a new partner) and
	// TermErrors what is wrong with the terms typed.
	Draft      store.MOUTerms
	Prior      *store.PriorMOU
	TermErrors fieldErrors
	// Terms are the terms of the Year's MOU and what was carried over.
	Terms     *store.MOUTermsOf
	CanManage bool
	ActionID  string
}

// employer shows one employer: contact, MOU for the program year,
// worksites, supervisors and postings, with the buttons to change them.
func (h *Handler) employer(w http.ResponseWriter, r *http.Request) {
	if !h.mayView(w, r) {
		return
	}
	e, ok := h.scopedEmployer(w, r)
	if !ok {
		return
	}
	year, _ := h.programYear(r)
	h.showEmployer(w, r, e, year, nil, nil)
}

// showEmployer renders the employer page for a program year; typed and
// errs are an MOU draft form coming back with errors (nil: a fresh page).
func (h *Handler) showEmployer(w http.ResponseWriter, r *http.Request, e store.Employer, year int, typed *store.MOUTerms, errs fieldErrors) {
	pg := employerPage{base: h.base(r, e.Name, "employers"), E: e, CanManage: principal(r).CanManageEmployers(), ActionID: newActionID(),
		TermErrors: errs}
	_, pg.Years = h.programYear(r)
	pg.Year = year
	ctx := r.Context()
	var err error
	if pg.Worksites, err = h.Store.EmployerWorksites(ctx, e.ID); err == nil {
		if pg.Supervisors, err = h.Store.EmployerSupervisors(ctx, e.ID); err == nil {
			if pg.Postings, err = h.Store.EmployerPostings(ctx, e.ID); err == nil {
				if pg.Flagged, err = messaging.EmployerFlaggedAddresses(ctx, h.Store.Pool, e.ID); err == nil {
					pg.Partner, pg.Recommend, err = h.partnerRecord(r, e.ID)
				}
			}
		}
	}
	if err == nil {
		var m store.MOUSummary
		if m, err = h.Store.EmployerMOU(ctx, e.ID, pg.Year); err == nil {
			pg.MOU = &m
		} else if errors.Is(err, store.ErrNotFound) {
			err = nil
		}
	}
	if err == nil {
		err = h.mouTerms(r, &pg, typed)
	}
	if err != nil {
		h.failed(w, r, "employer", err)
		return
	}
	render(w, r, formStatus(errs), "employer", pg)
}

// mouTerms fills the MOU's terms: the Year's MOU's, or the draft form's,
// which for a returning employer starts from the last MOU.
func (h *Handler) mouTerms(r *http.Request, pg *employerPage, typed *store.MOUTerms) error {
	ctx := r.Context()
	if pg.MOU != nil {
		t, err := h.Store.EmployerMOUTerms(ctx, pg.E.ID, pg.Year)
		pg.Terms = &t
		return err
	}
	prior, err := h.Store.LastMOU(ctx, pg.E.ID, pg.Year)
	switch {
	case err == nil:
		pg.Prior, pg.Draft = &prior, prior.Terms
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	if typed != nil {
		pg.Draft = *typed
	}
	return nil
}

type employerFormPage struct {
	base
	E      store.Employer
	Errors fieldErrors
}

func (h *Handler) showEmployerForm(w http.ResponseWriter, r *http.Request, e store.Employer, errs fieldErrors) {
	title := "New employer"
	if e.ID != "" {
		title = "Edit " + e.Name
	}
	render(w, r, formStatus(errs), "employer_form", employerFormPage{base: h.base(r, title, "employers"), E: e, Errors: errs})
}

// formStatus is 200 for a fresh form, 422 when it comes back with errors.
func formStatus(errs fieldErrors) int {
	if len(errs) > 0 {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

func (h *Handler) newEmployer(w http.ResponseWriter, r *http.Request) {
	if h.mayManage(w, r) {
		h.showEmployerForm(w, r, store.Employer{}, nil)
	}
}

func (h *Handler) editEmployer(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	if e, ok := h.scopedEmployer(w, r); ok {
		h.showEmployerForm(w, r, e, nil)
	}
}

func (h *Handler) createEmployer(w http.ResponseWriter, r *http.Request) {
	if h.mayManage(w, r) {
		h.saveEmployer(w, r, employerFromForm(r, ""))
	}
}

func (h *Handler) updateEmployer(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	if e, ok := h.scopedEmployer(w, r); ok {
		h.saveEmployer(w, r, employerFromForm(r, e.ID))
	}
}

func (h *Handler) saveEmployer(w http.ResponseWriter, r *http.Request, e store.Employer) {
	saved, err := h.Store.SaveEmployer(r.Context(), editor(r), e)
	if !h.saved(w, r, err, func(errs fieldErrors) { h.showEmployerForm(w, r, e, errs) }) {
		return
	}
	h.setFlash(w, false, "Saved "+saved.Name+".")
	http.Redirect(w, r, "/staff/employers/"+saved.ID, http.StatusSeeOther)
}
