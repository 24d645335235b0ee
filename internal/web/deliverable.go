package web

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/store"

	"github.com/internflow/internflow/workflows"
)

// deliverable is a micro-internship's latest submission.
type deliverable = store.Deliverable

// latestDeliverable reads the newest version (zero value: none yet) with
// the project it is for.
func (p *Pages) latestDeliverable(ctx context.Context, journeyID string) (deliverable, error) {
	return p.Store.LatestDeliverable(ctx, journeyID)
}

type deliverableView struct {
	deliverable
	MaxMB int64
}

func (p *Pages) formDeliverable(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	d, err := p.latestDeliverable(r.Context(), c.j.ID)
	if err != nil {
		p.failed(w, r, c, "load deliverable", err)
		return
	}
	p.showForm(w, r, c, "deliverable", errs, deliverableView{deliverable: d, MaxMB: p.MaxUpload >> 20})
}

func (p *Pages) submitDeliverable(w http.ResponseWriter, r *http.Request, c *call) {
	errs := formErrors{}
	u, err := p.readUpload(r, "file")
	if msg, bad := p.uploadProblem(c, err, ""); bad && !errors.Is(err, errNoFile) {
		errs.Add("file", msg)
	} else if err != nil && !errors.Is(err, errNoFile) {
		p.failed(w, r, c, "read upload", err)
		return
	}
	if errors.Is(err, errNoFile) && strings.TrimSpace(r.PostForm.Get("note")) == "" {
		errs.Add("file", c.lang.refusalOf(workflows.DeliverableWorkRequired))
	}
	hours, herr := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(r.PostForm.Get("hours")), ",", "."), 64)
	if herr != nil || hours <= 0 || hours > 40 {
		errs.Add("hours", c.lang.T("deliverable.bad_hours"))
	}
	if len(errs) > 0 {
		p.formDeliverable(w, r, c, errs)
		return
	}
	in := workflows.DeliverableInput{By: c.actor(), Note: strings.TrimSpace(r.PostForm.Get("note")), Hours: hours}
	sum := ""
	if u != nil {
		if !p.uploadAllowed(w, r, c, func(e formErrors) { p.formDeliverable(w, r, c, e) }, u) {
			return
		}
		if in.DocumentID, err = p.saveUpload(r.Context(), c, "deliverable", u); err != nil {
			p.saveFailed(w, r, c, err, func(e formErrors) { p.formDeliverable(w, r, c, e) })
			return
		}
		sum = hex.EncodeToString(u.SHA256)
	}
	key := updateID(c, "deliverable", sum, in.Note, strconv.FormatFloat(hours, 'f', -1, 64))
	err = deliver(r.Context(), p, c, p.Journeys.SubmitDeliverable, key, in)
	fields := map[string]string{"document_id": "file", "hours": "hours"}
	p.outcome(w, r, c, err, key, func(f string) string { return fields[f] }, func(e formErrors) { p.formDeliverable(w, r, c, e) },
		doneView{Body: c.lang.T("deliverable.done")})
}

func (p *Pages) formDeliverableReview(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	d, err := p.latestDeliverable(r.Context(), c.j.ID)
	if err != nil {
		p.failed(w, r, c, "load deliverable", err)
		return
	}
	p.showForm(w, r, c, "review", errs, d)
}

func (p *Pages) submitDeliverableReview(w http.ResponseWriter, r *http.Request, c *call) {
	accept := r.PostForm.Get("decision") == "accept"
	comment := strings.TrimSpace(r.PostForm.Get("comment"))
	if !accept && comment == "" {
		p.formDeliverableReview(w, r, c, formErrors{"comment": c.lang.T("review.comment_required")})
		return
	}
	key := updateID(c, "review_deliverable", strconv.FormatBool(accept), comment)
	in := workflows.DeliverableReviewInput{By: c.actor(), Accept: accept, Comment: comment}
	err := deliver(r.Context(), p, c, p.Journeys.ReviewDeliverable, key, in)
	body := c.lang.T("review.done_changes")
	if accept {
		body = c.lang.T("review.done_accepted")
	}
	p.outcome(w, r, c, err, key, sameFields("comment"), func(e formErrors) { p.formDeliverableReview(w, r, c, e) }, doneView{Body: body})
}
