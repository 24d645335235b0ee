package api

import (
	"net/http"

	"github.com/internflow/internflow/workflows"
)

type enrollRequest struct {
	StudentID string `json:"student_id"`
	ProgramID string `json:"program_id"`
}

type enrollResponse struct {
	JourneyID  string `json:"journey_id"`
	WorkflowID string `json:"workflow_id"`
	Created    bool   `json:"created"`
}

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
	e, err := s.Journeys.Enroll(r.Context(), req.StudentID, req.ProgramID)
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

func (s *Server) getJourney(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		v, gerr := s.Journeys.Status(r.Context(), id)
		if gerr == nil {
			writeJSON(w, http.StatusOK, v)
			return
		}
		err = gerr
	}
	writeError(w, r, err)
}

func (s *Server) submitSurvey(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in workflows.SurveyInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	in.By = workflows.Actor{Kind: "student"}
	updateID := r.Header.Get("Idempotency-Key")
	if err := s.Journeys.Update(r.Context(), id, workflows.UpdateSurvey, updateID, in); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "accepted"})
}
