package api

import (
	"net/http"

	"github.com/internflow/internflow/internal/store"
)

// Worksites and supervisors: listed under their employer, created by POST
// on the list and replaced by PUT on one ({partID}).

type worksiteRequest struct {
	Name         string `json:"name"`
	Remote       bool   `json:"remote"`
	AddressLine1 string `json:"address_line1"`
	City         string `json:"city"`
	State        string `json:"state"`
	PostalCode   string `json:"postal_code"`
	SafetyNotes  string `json:"safety_notes"`
	Timezone     string `json:"timezone"`
}

type supervisorRequest struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Language string `json:"language"`
	Timezone string `json:"timezone"`
	StaffID  string `json:"staff_id"`
}

// partPath checks the role and loads the employer, and for a PUT the
// path's part id (which the store checks is the employer's).
func (s *Server) partPath(r *http.Request) (store.Employer, string, error) {
	if err := mayManage(r); err != nil {
		return store.Employer{}, "", err
	}
	e, err := s.scopedEmployer(r)
	if err != nil || r.Method != http.MethodPut {
		return e, "", err
	}
	id, err := pathID(r, "partID")
	return e, id, err
}

// created is 201 for a POST, 200 for a PUT.
func created(r *http.Request) int {
	if r.Method == http.MethodPost {
		return http.StatusCreated
	}
	return http.StatusOK
}

func (s *Server) saveWorksite(w http.ResponseWriter, r *http.Request) {
	var req worksiteRequest
	e, id, err := s.partPath(r)
	if err == nil {
		err = decode(r, &req)
	}
	var ws store.Worksite
	if err == nil {
		ws, err = s.Store.SaveWorksite(r.Context(), editor(r), store.Worksite{ID: id, EmployerID: e.ID, Name: req.Name,
			Remote: req.Remote, AddressLine1: req.AddressLine1, City: req.City, State: req.State, PostalCode: req.PostalCode,
			SafetyNotes: req.SafetyNotes, Timezone: req.Timezone})
	}
	respond(w, r, created(r), ws, err)
}

func (s *Server) saveSupervisor(w http.ResponseWriter, r *http.Request) {
	var req supervisorRequest
	e, id, err := s.partPath(r)
	if err == nil {
		err = decode(r, &req)
	}
	var sv store.Supervisor
	if err == nil {
		sv, err = s.Store.SaveSupervisor(r.Context(), editor(r), store.Supervisor{ID: id, EmployerID: e.ID, Name: req.Name,
			Email: req.Email, Phone: req.Phone, Language: req.Language, Timezone: req.Timezone, StaffID: req.StaffID})
	}
	respond(w, r, created(r), sv, err)
}

// viewedEmployer checks the reading role and loads the employer.
func (s *Server) viewedEmployer(r *http.Request) (store.Employer, error) {
	if err := mayView(r); err != nil {
		return store.Employer{}, err
	}
	return s.scopedEmployer(r)
}

func (s *Server) listWorksites(w http.ResponseWriter, r *http.Request) {
	e, err := s.viewedEmployer(r)
	var list []store.Worksite
	if err == nil {
		list, err = s.Store.EmployerWorksites(r.Context(), e.ID)
	}
	respond(w, r, http.StatusOK, nonNilList(list), err)
}

func (s *Server) listSupervisors(w http.ResponseWriter, r *http.Request) {
	e, err := s.viewedEmployer(r)
	var list []store.Supervisor
	if err == nil {
		list, err = s.Store.EmployerSupervisors(r.Context(), e.ID)
	}
	respond(w, r, http.StatusOK, nonNilList(list), err)
}
