package api

import (
	"net/http"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// postingRequest is a posting as the API takes it: pay in cents, the
// deadline as a date. Status is not settable: publish and close are their
// own calls (publishing needs a worksite).
type postingRequest struct {
	ProgramID         string   `json:"program_id"`
	WorksiteID        string   `json:"worksite_id"`
	SupervisorID      string   `json:"supervisor_id"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	Pathway           string   `json:"pathway"`
	HoursPerWeek      float64  `json:"hours_per_week"`
	Schedule          string   `json:"schedule"`
	PayType           string   `json:"pay_type"`
	PayCents          int      `json:"pay_cents"`
	FundingSource     string   `json:"funding_source"`
	SpotType          string   `json:"spot_type"`
	Spots             int      `json:"spots"`
	Requirements      []string `json:"requirements"`
	RequiredTrainings []string `json:"required_trainings"`
	Deliverable       string   `json:"deliverable"`
	Deadline          string   `json:"deadline"` // 2006-01-02, or empty
}

func (q postingRequest) posting(employerID, id string) (store.Posting, error) {
	p := store.Posting{ID: id, EmployerID: employerID, ProgramID: q.ProgramID, WorksiteID: q.WorksiteID,
		SupervisorID: q.SupervisorID, Title: q.Title, Description: q.Description, Pathway: q.Pathway,
		HoursPerWeek: q.HoursPerWeek, Schedule: q.Schedule, PayType: q.PayType, PayCents: q.PayCents,
		FundingSource: q.FundingSource, SpotType: q.SpotType, Spots: q.Spots, Requirements: q.Requirements,
		RequiredTrainings: q.RequiredTrainings, Deliverable: q.Deliverable}
	if q.Deadline != "" {
		d, err := time.Parse(time.DateOnly, q.Deadline)
		if err != nil {
			return p, badRequest("deadline", "deadline must be a date (YYYY-MM-DD)")
		}
		p.Deadline = &d
	}
	return p, nil
}

// postingResponse shows the deadline as the date it is.
type postingResponse struct {
	store.Posting
	Deadline string `json:"deadline,omitempty"`
}

func postingJSON(p store.Posting) postingResponse {
	out := postingResponse{Posting: p}
	if p.Deadline != nil {
		out.Deadline = p.Deadline.Format(time.DateOnly)
	}
	return out
}

func (s *Server) createPosting(w http.ResponseWriter, r *http.Request) {
	var req postingRequest
	err := mayManage(r)
	var e store.Employer
	if err == nil {
		e, err = s.scopedEmployer(r)
	}
	if err == nil {
		err = decode(r, &req)
	}
	var p store.Posting
	if err == nil {
		if p, err = req.posting(e.ID, ""); err == nil {
			p, err = s.Store.SavePosting(r.Context(), editor(r), p)
		}
	}
	respond(w, r, http.StatusCreated, postingJSON(p), err)
}

// scopedPosting loads the path's posting if its employer is the district's.
func (s *Server) scopedPosting(r *http.Request) (store.Posting, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Posting{}, err
	}
	return s.Store.DistrictPosting(r.Context(), principal(r).DistrictID, id)
}

func (s *Server) getPosting(w http.ResponseWriter, r *http.Request) {
	err := mayView(r)
	var p store.Posting
	if err == nil {
		p, err = s.scopedPosting(r)
	}
	respond(w, r, http.StatusOK, postingJSON(p), err)
}

func (s *Server) updatePosting(w http.ResponseWriter, r *http.Request) {
	var req postingRequest
	err := mayManage(r)
	var p store.Posting
	if err == nil {
		p, err = s.scopedPosting(r)
	}
	if err == nil {
		err = decode(r, &req)
	}
	if err == nil {
		if p, err = req.posting(p.EmployerID, p.ID); err == nil {
			p, err = s.Store.SavePosting(r.Context(), editor(r), p)
		}
	}
	respond(w, r, http.StatusOK, postingJSON(p), err)
}

// setPostingStatus publishes or closes a posting (no body). Publishing
// without a worksite is a 422 on worksite_id.
func (s *Server) setPostingStatus(status string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := mayManage(r)
		var p store.Posting
		if err == nil {
			p, err = s.scopedPosting(r)
		}
		if err == nil {
			p, err = s.Store.SetPostingStatus(r.Context(), editor(r), p.ID, status)
		}
		respond(w, r, http.StatusOK, postingJSON(p), err)
	}
}

func (s *Server) listPostings(w http.ResponseWriter, r *http.Request) {
	e, err := s.viewedEmployer(r)
	var list []store.PostingSummary
	if err == nil {
		list, err = s.Store.EmployerPostings(r.Context(), e.ID)
	}
	out := make([]postingSummaryResponse, 0, len(list))
	for _, ps := range list {
		out = append(out, postingSummaryResponse{postingJSON(ps.Posting), ps.WorksiteName, ps.Applications})
	}
	respond(w, r, http.StatusOK, out, err)
}

type postingSummaryResponse struct {
	postingResponse
	WorksiteName string `json:"worksite_name,omitempty"`
	Applications int    `json:"applications"`
}
