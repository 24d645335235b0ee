package api

import (
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// The employer API: the same operations as the staff employer pages, for
// district tools. District ops and admins manage employers, worksites,
// supervisors and postings; coordinators read them. Every id outside the
// staff member's district is "not found". Input is checked by the store
// (store.FieldError → 422 with the field to fix).

func (s *Server) mountEmployers(r chi.Router) {
	r.Get("/employers", s.listEmployers)
	r.Post("/employers", s.createEmployer)
	r.Get("/employers/{id}", s.getEmployer)
	r.Put("/employers/{id}", s.updateEmployer)
	r.Post("/employers/{id}/mou", s.draftMOU)
	r.Get("/employers/{id}/worksites", s.listWorksites)
	r.Post("/employers/{id}/worksites", s.saveWorksite)
	r.Put("/employers/{id}/worksites/{partID}", s.saveWorksite)
	r.Get("/employers/{id}/supervisors", s.listSupervisors)
	r.Post("/employers/{id}/supervisors", s.saveSupervisor)
	r.Put("/employers/{id}/supervisors/{partID}", s.saveSupervisor)
	r.Get("/employers/{id}/postings", s.listPostings)
	r.Post("/employers/{id}/postings", s.createPosting)
	r.Get("/postings/{id}", s.getPosting)
	r.Put("/postings/{id}", s.updatePosting)
	r.Post("/postings/{id}/publish", s.setPostingStatus("published"))
	r.Post("/postings/{id}/close", s.setPostingStatus("closed"))
}

// mayView and mayManage check the role (403) before anything is loaded.
func mayView(r *http.Request) error {
	if !principal(r).CanViewEmployers() {
		return statusError(http.StatusForbidden, "your role does not include employers")
	}
	return nil
}

func mayManage(r *http.Request) error {
	// Employers are the district's, not a school's: a district-wide grant.
	if !principal(r).CanManageEmployers() {
		return statusError(http.StatusForbidden, "your role does not include managing employers")
	}
	return nil
}

func editor(r *http.Request) store.Editor {
	p := principal(r)
	return store.Editor{DistrictID: p.DistrictID, StaffID: p.StaffID, IP: clientip.From(r)}
}

// scopedEmployer loads the path's employer if it is the district's.
func (s *Server) scopedEmployer(r *http.Request) (store.Employer, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Employer{}, err
	}
	return s.Store.DistrictEmployer(r.Context(), principal(r).DistrictID, id)
}

type employersResponse struct {
	ProgramYear int                     `json:"program_year"`
	Employers   []store.EmployerSummary `json:"employers"`
}

// listEmployers lists the district's employers with their MOU status for
// ?year= (default: the coming summer's program year).
func (s *Server) listEmployers(w http.ResponseWriter, r *http.Request) {
	if err := mayView(r); err != nil {
		writeError(w, r, err)
		return
	}
	year := time.Now().Year()
	if time.Now().Month() >= time.September {
		year++
	}
	if q := r.URL.Query().Get("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 2000 || y > 2100 {
			writeError(w, r, badRequest("year", "year must be a program year such as %d", year))
			return
		}
		year = y
	}
	list, err := s.Store.Employers(r.Context(), principal(r).DistrictID, year)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, employersResponse{ProgramYear: year, Employers: nonNilList(list)})
}

func nonNilList[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

type employerRequest struct {
	Name         string `json:"name"`
	IsDistrict   bool   `json:"is_district"`
	ContactName  string `json:"contact_name"`
	ContactEmail string `json:"contact_email"`
	ContactPhone string `json:"contact_phone"`
	Timezone     string `json:"timezone"`
}

func (q employerRequest) employer(id string) store.Employer {
	return store.Employer{ID: id, Name: q.Name, IsDistrict: q.IsDistrict, ContactName: q.ContactName,
		ContactEmail: q.ContactEmail, ContactPhone: q.ContactPhone, Timezone: q.Timezone}
}

func (s *Server) createEmployer(w http.ResponseWriter, r *http.Request) {
	var req employerRequest
	err := mayManage(r)
	if err == nil {
		err = decode(r, &req)
	}
	var e store.Employer
	if err == nil {
		e, err = s.Store.SaveEmployer(r.Context(), editor(r), req.employer(""))
	}
	respond(w, r, http.StatusCreated, e, err)
}

func (s *Server) getEmployer(w http.ResponseWriter, r *http.Request) {
	err := mayView(r)
	var e store.Employer
	if err == nil {
		e, err = s.scopedEmployer(r)
	}
	respond(w, r, http.StatusOK, e, err)
}

// employerToManage checks the caller may manage employers, finds the
// employer in scope and decodes the request body into req.
func (s *Server) employerToManage(r *http.Request, req any) (store.Employer, error) {
	if err := mayManage(r); err != nil {
		return store.Employer{}, err
	}
	e, err := s.scopedEmployer(r)
	if err != nil {
		return e, err
	}
	return e, decode(r, req)
}

func (s *Server) updateEmployer(w http.ResponseWriter, r *http.Request) {
	var req employerRequest
	e, err := s.employerToManage(r, &req)
	if err == nil {
		e, err = s.Store.SaveEmployer(r.Context(), editor(r), req.employer(e.ID))
	}
	respond(w, r, http.StatusOK, e, err)
}

// respond writes v with status, or the error.
func respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

type draftMOURequest struct {
	ProgramYear int `json:"program_year"`
}

type draftMOUResponse struct {
	WorkflowID  string `json:"workflow_id"`
	ProgramYear int    `json:"program_year"`
}

// draftMOU starts the employer's MOU workflow for a program year (202:
// the employer is asked to sign; the status follows in the mous table).
func (s *Server) draftMOU(w http.ResponseWriter, r *http.Request) {
	var req draftMOURequest
	e, err := s.employerToManage(r, &req)
	switch {
	case err != nil:
	case req.ProgramYear < 2000 || req.ProgramYear > 2100:
		err = badRequest("program_year", "program_year must be a year such as %d", time.Now().Year()+1)
	case e.IsDistrict:
		err = &store.FieldError{Field: "is_district", Message: "the district itself needs no MOU"}
	case e.ContactEmail == "" && e.ContactPhone == "":
		err = &store.FieldError{Field: "contact_email", Message: "add the employer's contact email first: the MOU goes to them to sign"}
	default:
		err = s.Journeys.DraftMOU(r.Context(), e.ID, e.DistrictID, req.ProgramYear)
	}
	if err == nil {
		s.auditEmployer(r, e, "mou_draft_requested", strconv.Itoa(req.ProgramYear))
	}
	respond(w, r, http.StatusAccepted, draftMOUResponse{WorkflowID: workflows.MOUWorkflowID(e.ID, req.ProgramYear), ProgramYear: req.ProgramYear}, err)
}

// auditEmployer records a request that is not a row change (the store
// audits those itself); the request already happened, so a failed write
// is logged.
func (s *Server) auditEmployer(r *http.Request, e store.Employer, action, reason string) {
	p := principal(r)
	err := s.Store.Audit(r.Context(), store.AuditEntry{DistrictID: p.DistrictID, ActorKind: "staff", ActorRef: p.StaffID,
		Action: action, EntityKind: "employer", EntityID: e.ID, Reason: reason, IP: clientip.From(r)})
	if err != nil {
		slog.ErrorContext(r.Context(), "audit employer request", "action", action, "employer_id", e.ID, "err", err)
	}
}
