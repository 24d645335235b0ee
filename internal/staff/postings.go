package staff

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/web"
)

type postingFormPage struct {
	base
	E           store.Employer
	In          postingInput
	Worksites   []store.Worksite
	Supervisors []store.Supervisor
	Programs    []store.ProgramRef
	Trainings   []store.Training
	Pathways    []string
	Errors      fieldErrors
	CanManage   bool
	// Recommend is the students' recommendation of the employer, for
	// staff advising students ("" when no student answered yet).
	Recommend string
}

// showPostingForm renders a new or stored posting's form, with the
// employer's worksites and supervisors and the catalogue to choose from.
func (h *Handler) showPostingForm(w http.ResponseWriter, r *http.Request, e store.Employer, in postingInput, errs fieldErrors) {
	title := "New posting"
	if in.Posting.ID != "" {
		title = in.Posting.Title
	}
	pg := postingFormPage{base: h.base(r, title, "employers"), E: e, In: in, Pathways: web.PathwayNames(), Errors: errs,
		CanManage: principal(r).CanManageEmployers()}
	ctx := r.Context()
	var err error
	if pg.Worksites, err = h.Store.EmployerWorksites(ctx, e.ID); err == nil {
		if pg.Supervisors, err = h.Store.EmployerSupervisors(ctx, e.ID); err == nil {
			if pg.Programs, err = h.Store.DistrictPrograms(ctx, e.DistrictID); err == nil {
				if pg.Trainings, err = h.Store.Trainings(ctx); err == nil {
					var score store.RecommendScore
					score, err = h.Store.EmployerRecommendScore(ctx, e.DistrictID, e.ID)
					pg.Recommend = recommendWords(score)
				}
			}
		}
	}
	if err != nil {
		h.failed(w, r, "posting form", err)
		return
	}
	render(w, r, formStatus(errs), "posting_form", pg)
}

func (h *Handler) newPosting(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	if e, ok := h.scopedEmployer(w, r); ok {
		h.showPostingForm(w, r, e, postingInput{Posting: store.Posting{EmployerID: e.ID}, Spots: "1"}, nil)
	}
}

// scopedPosting loads the path's posting and its employer, if the
// district's.
func (h *Handler) scopedPosting(w http.ResponseWriter, r *http.Request) (store.Employer, store.Posting, bool) {
	district := principal(r).DistrictID
	p, err := h.Store.DistrictPosting(r.Context(), district, chi.URLParam(r, "postingID"))
	var e store.Employer
	if err == nil {
		e, err = h.Store.DistrictEmployer(r.Context(), district, p.EmployerID)
	}
	return e, p, h.found(w, r, "posting", err)
}

// postingForm shows a posting to every employer reader; only managers
// get a form they can submit (the template hides the buttons).
func (h *Handler) postingForm(w http.ResponseWriter, r *http.Request) {
	if !h.mayView(w, r) {
		return
	}
	if e, p, ok := h.scopedPosting(w, r); ok {
		h.showPostingForm(w, r, e, inputOf(p), nil)
	}
}

func (h *Handler) createPosting(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	if e, ok := h.scopedEmployer(w, r); ok {
		h.savePosting(w, r, e, postingFromForm(r, e.ID, ""))
	}
}

func (h *Handler) updatePosting(w http.ResponseWriter, r *http.Request) {
	if !h.mayManage(w, r) {
		return
	}
	if e, p, ok := h.scopedPosting(w, r); ok {
		in := postingFromForm(r, e.ID, p.ID)
		in.Posting.Status = p.Status
		h.savePosting(w, r, e, in)
	}
}

func (h *Handler) savePosting(w http.ResponseWriter, r *http.Request, e store.Employer, in postingInput) {
	p, err := in.posting()
	if err == nil {
		p, err = h.Store.SavePosting(r.Context(), editor(r), p)
	}
	if !h.saved(w, r, err, func(errs fieldErrors) { h.showPostingForm(w, r, e, in, errs) }) {
		return
	}
	done := "Saved " + p.Title + "."
	if p.Status == "draft" {
		done += " It is a draft: publish it when students may apply."
	}
	h.setFlash(w, false, done)
	http.Redirect(w, r, "/staff/postings/"+p.ID, http.StatusSeeOther)
}

func (h *Handler) publishPosting(w http.ResponseWriter, r *http.Request) {
	h.setPostingStatus(w, r, "published", "Published: students can apply now.")
}

func (h *Handler) closePosting(w http.ResponseWriter, r *http.Request) {
	h.setPostingStatus(w, r, "closed", "Closed: no new applications. Open applications stay with the employer.")
}

// setPostingStatus publishes or closes a posting. A refusal (no worksite
// yet, closed already) shows the posting's form with the reason by the
// field to fix.
func (h *Handler) setPostingStatus(w http.ResponseWriter, r *http.Request, status, done string) {
	if !h.mayManage(w, r) {
		return
	}
	e, p, ok := h.scopedPosting(w, r)
	if !ok {
		return
	}
	_, err := h.Store.SetPostingStatus(r.Context(), editor(r), p.ID, status)
	var fe *store.FieldError
	if errors.As(err, &fe) && fe.Field == "status" {
		fe.Field = "" // not a form field: on top
	}
	if !h.saved(w, r, err, func(errs fieldErrors) { h.showPostingForm(w, r, e, inputOf(p), errs) }) {
		return
	}
	h.setFlash(w, false, done)
	http.Redirect(w, r, "/staff/postings/"+p.ID, http.StatusSeeOther)
}
