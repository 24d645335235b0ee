package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// ServeDocument sends a stored document as a download. Callers decide who
// may see it (the staff pages check the staff member's scope; the link
// pages check the link); this only serves it safely: as an attachment, in
// a sandbox, never sniffed as another type, never cached.
func ServeDocument(w http.ResponseWriter, r *http.Request, st *store.Store, documentID string) {
	d, err := st.GetDocument(r.Context(), documentID)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, store.ErrNotFound) {
			status = http.StatusNotFound
		} else {
			slog.ErrorContext(r.Context(), "load document", "document_id", documentID, "err", err)
		}
		http.Error(w, http.StatusText(status), status)
		return
	}
	writeDocument(w, d)
}

func writeDocument(w http.ResponseWriter, d store.Document) {
	h := w.Header()
	h.Set("Content-Type", d.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(d.Bytes)))
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeName(d.Filename)))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(d.Bytes)
}

// safeName keeps a download's name to harmless characters.
func safeName(name string) string {
	var b []rune
	for _, r := range name {
		if r < 128 && r != '"' && r != '\\' && r >= ' ' {
			b = append(b, r)
		}
	}
	if len(b) == 0 {
		return "document"
	}
	return string(b)
}

// boundDocument serves the exact document version a signing link is bound
// to, after checking its bytes still hash to the link's SHA-256: what the
// signer reads is what they sign.
func (p *Pages) boundDocument(w http.ResponseWriter, r *http.Request) {
	c, ok := p.resolve(w, r)
	if !ok {
		return
	}
	var id string
	var err error
	switch c.link.Action {
	case "sign_permit":
		id, err = p.Store.BoundPermitDocument(r.Context(), c.j.ID, c.link.DocumentSHA256)
	case "sign_mou":
		id, err = p.Store.BoundMOUDocument(r.Context(), c.link.PersonRef, c.link.DocumentSHA256)
	default:
		p.renderStatus(w, r, c, http.StatusNotFound, "no_document")
		return
	}
	if err != nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "no_document")
		return
	}
	d, err := p.Store.GetDocument(r.Context(), id)
	sum := sha256.Sum256(d.Bytes)
	if err != nil || !bytes.Equal(sum[:], c.link.DocumentSHA256) {
		p.failed(w, r, c, "bound document", fmt.Errorf("document %s does not match the link's hash: %v", id, err))
		return
	}
	writeDocument(w, d)
}

// linkedFile serves a file a link's page offers: the applicant's resume or
// cover letter (employer decision), the submitted deliverable (employer
// review), the signed permit (signer, even after the link was used), the
// certificate of completion (student).
func (p *Pages) linkedFile(w http.ResponseWriter, r *http.Request) {
	kind := chi.URLParam(r, "kind")
	token := chi.URLParam(r, "token")
	link, err := p.book().Resolve(r.Context(), token, p.Now())
	c := &call{token: token, link: link, ip: clientip.From(r), ua: userAgent(r)}
	c.lang = p.language(r, link)
	// A signer's spent link still fetches the signed permit it helped make.
	if errors.Is(err, links.ErrUsed) && kind == "signed" && link.Action == "sign_permit" {
		err = nil
	}
	if err == nil {
		if err = p.loadJourney(r.Context(), c); errors.Is(err, errJourneyClosed) {
			err = nil
		}
	}
	if err != nil {
		p.linkProblem(w, r, c, err)
		return
	}
	id := p.fileFor(r.Context(), c, kind)
	if c.link.Action == "employer_applicants" { // one link, many applicants: the query names which
		var withdrawn bool
		if id, withdrawn = p.applicantFile(r.Context(), c, kind, r.URL.Query().Get("application")); withdrawn {
			p.renderStatus(w, r, c, http.StatusGone, "applicant_withdrawn")
			return
		}
	}
	if id == "" {
		p.renderStatus(w, r, c, http.StatusNotFound, "no_document")
		return
	}
	p.audit(r.Context(), c, "document_downloaded", kind, "")
	ServeDocument(w, r, p.Store, id)
}

// fileFor is the document id a link may fetch as kind ("" if none).
func (p *Pages) fileFor(ctx context.Context, c *call, kind string) string {
	switch {
	case c.link.Action == "student_home" || c.link.Action == "guardian_home":
		return p.homeFile(ctx, c, kind)
	case c.link.Action == "decide_application" && (kind == "resume" || kind == "cover_letter"):
		return p.badgeDocument(ctx, c.j.ID, kind)
	case c.link.Action == "review_deliverable" && kind == "deliverable":
		d, _ := p.latestDeliverable(ctx, c.j.ID)
		return d.DocumentID
	case c.link.Action == "certificate" && kind == "certificate":
		return p.certificateFile(ctx, c)
	case c.link.Action == "sign_permit" && kind == "signed":
		_, version, _ := permitRef(c.link.SubjectRef)
		return p.Store.SignedPermitPDF(ctx, c.j.ID, version)
	}
	return ""
}
