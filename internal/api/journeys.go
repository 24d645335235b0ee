package api

import (
	"errors"
	"net/http"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/store"
)

// principal is the signed-in staff member; requireStaff guarantees one.
func principal(r *http.Request) auth.Principal {
	p, _ := auth.FromContext(r.Context())
	return p
}

type meResponse struct {
	StaffID    string       `json:"staff_id"`
	DistrictID string       `json:"district_id"`
	Roles      []auth.Grant `json:"roles"`
	// CSRFToken goes in the X-CSRF-Token header of every write.
	CSRFToken string `json:"csrf_token"`
}

// me tells a signed-in client who it is and the CSRF token for writes.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	writeJSON(w, http.StatusOK, meResponse{StaffID: p.StaffID, DistrictID: p.DistrictID, Roles: p.Grants, CSRFToken: p.CSRFToken})
}

type enrollRequest struct {
	StudentID string `json:"student_id"`
	ProgramID string `json:"program_id"`
}

type enrollResponse struct {
	JourneyID  string `json:"journey_id"`
	WorkflowID string `json:"workflow_id"`
	Created    bool   `json:"created"`
}

// enroll opens a journey for a student of a school the staff member
// manages (coordinators their schools, district ops and admins the
// district); any other student is "not found".
func (s *Server) enroll(w http.ResponseWriter, r *http.Request) {
	var req enrollRequest
	if err := decode(r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if !uuidRe.MatchString(req.StudentID) {
		writeError(w, r, badRequest("student_id", "student_id must be a student's id"))
		return
	}
	if !uuidRe.MatchString(req.ProgramID) {
		writeError(w, r, badRequest("program_id", "program_id must be a program's id"))
		return
	}
	p := principal(r)
	student, err := s.Store.GetStudent(r.Context(), req.StudentID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (student.DistrictID != p.DistrictID || !p.Can(student.SchoolID, auth.ManageRoles...))) {
		err = notFound("student_id", "student_id is not a student of your schools")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	e, err := s.Journeys.Enroll(r.Context(), req.StudentID, req.ProgramID)
	if errors.Is(err, store.ErrNotFound) { // the student is in scope: the program is not theirs
		err = notFound("program_id", "program_id is not a program of your district")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusCreated
	if !e.Created {
		status = http.StatusOK
	}
	writeJSON(w, status, enrollResponse{JourneyID: e.Journey.ID, WorkflowID: e.Journey.WorkflowID, Created: e.Created})
}

// getJourney returns a journey's read-model row, if it is in scope.
func (s *Server) getJourney(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var j store.StudentJourney
		j, err = s.Store.ScopedJourney(r.Context(), principal(r).ViewScope(), id)
		if err == nil {
			writeJSON(w, http.StatusOK, j.View)
			return
		}
	}
	writeError(w, r, err)
}
