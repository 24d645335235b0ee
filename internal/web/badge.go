package web

import (
	"context"
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// badgeKinds are the two documents of the Intern Ready badge, in the order
// they are sent to the journey.
var badgeKinds = []string{"resume", "cover_letter"}

// badgeView is the upload page: fresh, or returned by the coordinator
// with a comment and the files of the returned round still on record.
type badgeView struct {
	MaxMB    int64
	Returned bool
	Comment  string
	// OnRecord names, by kind, the file the student sent last round; a
	// field left empty keeps it, so only the file asked about is replaced.
	OnRecord map[string]badgeFile
}

type badgeFile struct{ ID, Filename string }

// loadBadge reads whether the coordinator returned the documents (with
// their comment) and, if so, the files on record.
func (p *Pages) loadBadge(ctx context.Context, c *call) (badgeView, error) {
	v := badgeView{MaxMB: p.MaxUpload >> 20, OnRecord: map[string]badgeFile{}}
	var err error
	v.Comment, err = p.Store.LastBadgeReturn(ctx, c.j.ID)
	if errors.Is(err, store.ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	v.Returned = true
	for _, kind := range badgeKinds {
		var f badgeFile
		var err error
		f.ID, f.Filename, err = p.Store.LatestDocument(ctx, c.j.ID, kind)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return v, err
		}
		v.OnRecord[kind] = f
	}
	return v, nil
}

func (p *Pages) formBadge(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	v, err := p.loadBadge(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load badge", err)
		return
	}
	p.showForm(w, r, c, "badge", errs, v)
}

// submitBadge checks both files before storing either (a file on record
// stands in for an empty field), then names each to the journey.
func (p *Pages) submitBadge(w http.ResponseWriter, r *http.Request, c *call) {
	v, err := p.loadBadge(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "load badge", err)
		return
	}
	errs := formErrors{}
	files := map[string]*upload{}
	for _, kind := range badgeKinds {
		u, err := p.readUpload(r, kind)
		if _, kept := v.OnRecord[kind]; kept && errors.Is(err, errNoFile) {
			continue
		}
		if msg, bad := p.uploadProblem(c, err, "badge.missing_"+kind); bad {
			errs.Add(kind, msg)
			continue
		} else if err != nil {
			p.failed(w, r, c, "read upload", err)
			return
		}
		files[kind] = u
	}
	if len(errs) == 0 && len(files) == 0 {
		errs.Add("", c.lang.T("badge.replace_one"))
	}
	if len(errs) > 0 {
		p.formBadge(w, r, c, errs)
		return
	}
	var sending []*upload
	for _, u := range files {
		sending = append(sending, u)
	}
	if !p.uploadAllowed(w, r, c, func(e formErrors) { p.formBadge(w, r, c, e) }, sending...) {
		return
	}
	var key string
	for _, kind := range badgeKinds {
		id, sum := v.OnRecord[kind].ID, v.OnRecord[kind].ID
		if u := files[kind]; u != nil {
			if id, err = p.saveUpload(r.Context(), c, kind, u); err != nil {
				p.saveFailed(w, r, c, err, func(e formErrors) { p.formBadge(w, r, c, e) })
				return
			}
			sum = hex.EncodeToString(u.SHA256)
		}
		key = updateID(c, "badge", kind, sum)
		err = deliver(r.Context(), p, c, p.Journeys.UploadBadgeDocument, key, workflows.BadgeDocumentInput{By: c.actor(), Kind: kind, DocumentID: id})
		if err != nil {
			p.outcome(w, r, c, err, key, func(string) string { return kind }, func(e formErrors) { p.formBadge(w, r, c, e) }, doneView{})
			return
		}
	}
	p.done(w, r, c, key, doneView{Body: c.lang.T("badge.done")})
}
