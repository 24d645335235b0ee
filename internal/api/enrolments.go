package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/store"
)

// maxEnrolIDs bounds student_ids in one request (the body limit allows
// about 25,000); "all": true takes any number.
const maxEnrolIDs = 20000

type enrolmentRequest struct {
	ProgramID  string   `json:"program_id"`
	StudentIDs []string `json:"student_ids"`
	// All enrols every student without a journey this program year,
	// narrowed by SchoolID and Grade when given.
	All      bool   `json:"all"`
	SchoolID string `json:"school_id"`
	Grade    int    `json:"grade"`
}

type enrolmentResponse struct {
	EnrolmentID string `json:"enrolment_id"`
	ProgramID   string `json:"program_id"`
	Total       int    `json:"total"`
	Pending     int    `json:"pending"`
	Enrolled    int    `json:"enrolled"`
	Already     int    `json:"already"`
	Skipped     int    `json:"skipped"`
	Done        bool   `json:"done"`
	StatusURL   string `json:"status_url"`
}

// createEnrolment records a batch of students to enrol and answers at once
// (202); GET status_url shows its progress. The same request again (the
// same Idempotency-Key header, or without one the same program and
// students) is the same batch (200).
func (s *Server) createEnrolment(w http.ResponseWriter, r *http.Request) {
	var req enrolmentRequest
	if err := decode(r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	scope := p.ScopeFor(auth.ManageRoles...)
	if !p.HasAny(auth.ManageRoles...) {
		writeError(w, r, statusError(http.StatusForbidden, "your role does not include enrolling students"))
		return
	}
	f, err := s.enrolmentFilter(r, scope, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	actorKind, actorRef := "staff", p.StaffID
	if p.TokenID != "" {
		actorKind, actorRef = "api_token", p.TokenID
	}
	key, err := s.requestKey(r, scope, f, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	er := store.EnrolmentRequest{Scope: scope, Filter: f, RequestKey: key, ActorKind: actorKind, ActorRef: actorRef}
	if !req.All {
		er.StudentIDs = req.StudentIDs
	}
	id, created, err := s.Store.CreateEnrolment(r.Context(), er)
	if errors.Is(err, store.ErrNobodyToEnrol) {
		err = &httpError{status: http.StatusUnprocessableEntity, body: Error{Field: "student_ids",
			Error: "none of these students can be enrolled: each has a journey in this program or another this program year"}}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusAccepted
		kind, ref := p.Actor()
		if err := s.Store.Audit(r.Context(), store.AuditEntry{DistrictID: p.DistrictID, ActorKind: kind, ActorRef: ref,
			Action: "enrolment_requested", EntityKind: "enrolment", EntityID: id, Reason: "program " + f.Program.ID, IP: clientip.From(r)}); err != nil {
			writeError(w, r, err)
			return
		}
		if s.Enrolments != nil {
			s.Enrolments.Wake()
		}
	}
	s.writeEnrolment(w, r, status, p.DistrictID, id)
}

// enrolmentFilter checks the request: a program of the district, and
// students of the caller's scope, each by its place in the list.
func (s *Server) enrolmentFilter(r *http.Request, scope store.Scope, req enrolmentRequest) (store.CandidateFilter, error) {
	var f store.CandidateFilter
	if !uuidRe.MatchString(req.ProgramID) {
		return f, badRequest("program_id", "program_id must be a program's id")
	}
	program, err := s.Store.GetProgram(r.Context(), req.ProgramID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && program.DistrictID != scope.DistrictID) {
		return f, notFound("program_id", "program_id is not a program of your district")
	}
	if err != nil {
		return f, err
	}
	f.Program, f.Roster = program, store.RosterAny
	switch {
	case req.All && len(req.StudentIDs) > 0:
		return f, badRequest("student_ids", "send student_ids or \"all\": true, not both")
	case req.All:
		f.Roster = store.RosterListed
		if req.Grade != 0 && (req.Grade < 6 || req.Grade > 13) {
			return f, badRequest("grade", "grade must be 6 to 13")
		}
		f.Grade = req.Grade
		if req.SchoolID != "" {
			in, err := s.schoolInScope(r, scope, req.SchoolID)
			if err != nil || !in {
				return f, firstErr(err, notFound("school_id", "school_id is not one of your schools"))
			}
			f.SchoolID = req.SchoolID
		}
		return f, nil
	case len(req.StudentIDs) == 0:
		return f, badRequest("student_ids", "student_ids must list at least one student's id (or send \"all\": true)")
	case len(req.StudentIDs) > maxEnrolIDs:
		return f, badRequest("student_ids", "student_ids may list up to %d students; split the list", maxEnrolIDs)
	case req.SchoolID != "" || req.Grade != 0:
		return f, badRequest("school_id", "school_id and grade narrow \"all\": true only")
	}
	for i, id := range req.StudentIDs {
		if !uuidRe.MatchString(id) {
			return f, badRequest("student_ids", "student_ids[%d] must be a student's id", i)
		}
	}
	in, err := s.Store.StudentsInScope(r.Context(), scope, req.StudentIDs)
	if err != nil {
		return f, err
	}
	for i, id := range req.StudentIDs {
		if !in[id] {
			return f, notFound("student_ids", fmt.Sprintf("student_ids[%d] is not a student of your schools", i))
		}
	}
	return f, nil
}

func (s *Server) schoolInScope(r *http.Request, scope store.Scope, schoolID string) (bool, error) {
	if !uuidRe.MatchString(schoolID) {
		return false, nil
	}
	schools, err := s.Store.SchoolsInScope(r.Context(), scope)
	return slices.ContainsFunc(schools, func(sc store.SchoolName) bool { return sc.ID == schoolID }), err
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// requestKey is the Idempotency-Key header, or a digest of the request: a
// script that retries after a timeout gets the batch it made. For "all"
// the digest covers the students matched now, so tomorrow's run (with
// today's students enrolled and new ones on the roster) is a new batch.
func (s *Server) requestKey(r *http.Request, scope store.Scope, f store.CandidateFilter, req enrolmentRequest) (string, error) {
	if k := strings.TrimSpace(r.Header.Get("Idempotency-Key")); k != "" {
		if len(k) > 200 {
			return "", badRequest("Idempotency-Key", "the Idempotency-Key header may hold up to 200 characters")
		}
		return "api:" + k, nil
	}
	ids := slices.Clone(req.StudentIDs)
	slices.Sort(ids)
	if req.All {
		digest, err := s.Store.CandidatesDigest(r.Context(), scope, f)
		if err != nil {
			return "", err
		}
		ids = []string{digest}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%t|%s|%d|%s", req.ProgramID, req.All, req.SchoolID, req.Grade, strings.Join(ids, ","))
	return "api-digest:" + hex.EncodeToString(h.Sum(nil)), nil
}

// getEnrolment answers a batch's progress.
func (s *Server) getEnrolment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		writeError(w, r, err)
		return
	}
	p := principal(r)
	if !p.HasAny(auth.ManageRoles...) {
		writeError(w, r, statusError(http.StatusForbidden, "your role does not include enrolling students"))
		return
	}
	s.writeEnrolment(w, r, http.StatusOK, p.DistrictID, id)
}

func (s *Server) writeEnrolment(w http.ResponseWriter, r *http.Request, status int, districtID, id string) {
	e, err := s.Store.GetEnrolment(r.Context(), districtID, id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, enrolmentResponse{EnrolmentID: e.ID, ProgramID: e.ProgramID, Total: e.Total, Pending: e.Pending,
		Enrolled: e.Enrolled, Already: e.Already, Skipped: e.Skipped, Done: e.Done(), StatusURL: "/api/enrolments/" + e.ID})
}
