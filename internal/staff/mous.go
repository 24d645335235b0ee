package staff

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

type mousPage struct {
	base
	MOUs     []store.PendingMOU
	ActionID string
	Today    string
}

// mous lists the employer-signed MOUs waiting for the district's approval.
func (h *Handler) mous(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.MOURoles...) {
		h.forbidden(w, r)
		return
	}
	list, err := h.Store.PendingMOUs(r.Context(), p.DistrictID)
	if err != nil {
		h.failed(w, r, "pending mous", err)
		return
	}
	b := h.base(r, "MOU approvals", "mous")
	render(w, r, http.StatusOK, "mous", mousPage{base: b, MOUs: list, ActionID: newActionID(),
		Today: time.Now().In(b.TZ).Format("2006-01-02")})
}

// scopedMOU loads the path's MOU if it is the principal's district's.
func (h *Handler) scopedMOU(r *http.Request) (store.PendingMOU, error) {
	id := chi.URLParam(r, "mouID")
	if !uuidRe.MatchString(id) {
		return store.PendingMOU{}, store.ErrNotFound
	}
	return h.Store.ScopedMOU(r.Context(), principal(r).DistrictID, id)
}

// decideMOU approves (with the implementation date) or rejects an MOU
// through its workflow.
func (h *Handler) decideMOU(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.MOURoles...) {
		h.forbidden(w, r)
		return
	}
	m, err := h.scopedMOU(r)
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "mou", err)
		return
	}
	in := workflows.MOUApproveInput{By: workflows.Actor{Kind: "staff", Ref: p.StaffID},
		Approve: r.PostFormValue("decision") == "approve", ImplementationDate: r.PostFormValue("implementation_date"),
		Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	err = h.Journeys.DecideMOU(r.Context(), m.EmployerID, m.ProgramYear, updateID(r, "mou"), in)
	done := "MOU for " + m.EmployerName + " approved; waiting students move on."
	if !in.Approve {
		done = "MOU for " + m.EmployerName + " returned to the employer."
	}
	h.flashOutcome(w, r, done, err)
	back(w, r, "/staff/mous")
}

// mouDocument serves an MOU's text for the approver to read.
func (h *Handler) mouDocument(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.MOURoles...) {
		h.forbidden(w, r)
		return
	}
	id := chi.URLParam(r, "mouID")
	doc, err := store.Document{}, store.ErrNotFound
	if uuidRe.MatchString(id) {
		doc, err = h.Store.ScopedMOUDocument(r.Context(), p.DistrictID, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.failed(w, r, "mou document", err)
		return
	}
	serveDocument(w, doc)
}
