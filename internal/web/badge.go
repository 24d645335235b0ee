package web

import (
	"encoding/hex"
	"net/http"

	"github.com/internflow/internflow/workflows"
)

// badgeKinds are the two documents of the Intern Ready badge, in the order
// they are sent to the journey.
var badgeKinds = []string{"resume", "cover_letter"}

func (p *Pages) formBadge(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	p.showForm(w, r, c, "badge", errs, map[string]int64{"MaxMB": p.MaxUpload >> 20})
}

// submitBadge checks both files before storing either, then names each
// to the journey.
func (p *Pages) submitBadge(w http.ResponseWriter, r *http.Request, c *call) {
	errs := formErrors{}
	files := map[string]*upload{}
	for _, kind := range badgeKinds {
		u, err := p.readUpload(r, kind)
		if msg, bad := p.uploadProblem(c, err, "badge.missing_"+kind); bad {
			errs.add(kind, msg)
			continue
		} else if err != nil {
			p.failed(w, r, c, "read upload", err)
			return
		}
		files[kind] = u
	}
	if len(errs) > 0 {
		p.formBadge(w, r, c, errs)
		return
	}
	var key string
	for _, kind := range badgeKinds {
		id, err := p.saveUpload(r.Context(), c, kind, files[kind])
		if err != nil {
			p.failed(w, r, c, "save upload", err)
			return
		}
		key = updateID(c, "badge", kind, hex.EncodeToString(files[kind].SHA256))
		err = p.update(r.Context(), c, workflows.UpdateBadgeDocument, key, workflows.BadgeDocumentInput{By: c.actor(), Kind: kind, DocumentID: id})
		if err != nil {
			p.outcome(w, r, c, err, key, func(string) string { return kind }, func(e formErrors) { p.formBadge(w, r, c, e) }, doneView{})
			return
		}
	}
	p.done(w, r, c, key, doneView{Body: c.lang.T("badge.done")})
}
