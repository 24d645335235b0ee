package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"path"
	"strings"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// upload is a file from a form, checked: size within the limit and a type
// we accept, judged from its bytes (the browser's name and type are only
// claims).
type upload struct {
	Filename    string
	ContentType string
	Bytes       []byte
	SHA256      []byte
}

var (
	errNoFile  = errors.New("no file")
	errTooBig  = errors.New("file too big")
	errBadType = errors.New("file type not accepted")
)

// Accepted types, by what the bytes are.
const (
	typePDF  = "application/pdf"
	typePNG  = "image/png"
	typeJPEG = "image/jpeg"
	typeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

var extensions = map[string]string{typePDF: ".pdf", typePNG: ".png", typeJPEG: ".jpg", typeDOCX: ".docx"}

// readUpload reads and checks the file in a form field.
func (p *Pages) readUpload(r *http.Request, field string) (*upload, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 || r.MultipartForm.File[field][0].Size == 0 {
		return nil, errNoFile
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Size > p.MaxUpload {
		return nil, errTooBig
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, p.MaxUpload+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > p.MaxUpload {
		return nil, errTooBig
	}
	ct := sniff(data)
	if ct == "" {
		return nil, errBadType
	}
	sum := sha256.Sum256(data)
	return &upload{Filename: cleanFilename(fh.Filename, ct), ContentType: ct, Bytes: data, SHA256: sum[:]}, nil
}

// sniff names an accepted file type from its first bytes ("" if not
// accepted). A .docx is a zip; it counts only with a Word document inside.
func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return typePDF
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return typePNG
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		return typeJPEG
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return ""
		}
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				return typeDOCX
			}
		}
	}
	return ""
}

// cleanFilename keeps a safe, short base name with the extension of what
// the file really is.
func cleanFilename(name, contentType string) string {
	base := strings.TrimSuffix(path.Base(strings.ReplaceAll(name, "\\", "/")), path.Ext(name))
	var b strings.Builder
	for _, r := range base {
		if r < 128 && (r == '-' || r == '_' || r == ' ' || r == '.' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')) {
			b.WriteRune(r)
		}
		if b.Len() >= 80 {
			break
		}
	}
	clean := strings.TrimSpace(b.String())
	if clean == "" || clean == "." {
		clean = "upload"
	}
	return clean + extensions[contentType]
}

// saveUpload stores the file for the journey, within what the link may
// store (store.ErrLinkQuota). The same bytes uploaded twice (a double tap)
// reuse the first copy, so both taps name one document. A new copy stays
// pending until the journey answers the update that names it (settle).
func (p *Pages) saveUpload(ctx context.Context, c *call, kind string, u *upload) (string, error) {
	id, err := p.Store.DocumentBySHA(ctx, c.j.ID, kind, u.SHA256)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	id, err = p.Store.SaveLinkDocument(ctx, store.Document{JourneyID: c.j.ID, Kind: kind, Filename: u.Filename,
		ContentType: u.ContentType, SHA256: u.SHA256, Bytes: u.Bytes, LinkID: c.link.ID}, p.LinkQuota)
	if err == nil {
		c.pending = append(c.pending, id)
	}
	return id, err
}

// settle decides the pending files once the journey has answered: kept if
// it accepted them (or may have: a timeout), deleted if it refused them,
// so a refused upload leaves nothing behind.
func (p *Pages) settle(ctx context.Context, c *call, err error) {
	var ie *workflows.InputError
	if errors.As(err, &ie) {
		ctx := context.WithoutCancel(ctx) // the page's deadline must not leave them behind
		for _, id := range c.pending {
			if derr := p.Store.DeleteLinkDocument(ctx, id, c.link.ID); derr != nil {
				slog.WarnContext(ctx, "refused upload not deleted", "document_id", id, "link_id", c.link.ID, "err", derr)
			}
		}
	}
	c.pending = nil
}

// uploadSteps name, by link action, the journey's wait an upload answers
// (workflows: badge.go, trainings.go, deliverable.go).
var uploadSteps = map[string]string{"upload_badge": "badge_upload:", "record_training": "trainings", "submit_deliverable": "deliverable:"}

// uploadAllowed asks, before anything is stored, whether the journey waits
// for this link's upload now and whether the files fit in what the link
// may still store; when not, it answers the page (the form again with the
// reason, or an error page). The journey's update validator stays the last
// word: what it refuses after this is deleted again (settle).
func (p *Pages) uploadAllowed(w http.ResponseWriter, r *http.Request, c *call, again func(formErrors), files ...*upload) bool {
	errs, err := p.checkUpload(r.Context(), c, files)
	if err != nil {
		p.failed(w, r, c, "check upload", err)
		return false
	}
	if errs != nil {
		again(errs)
		return false
	}
	return true
}

func (p *Pages) checkUpload(ctx context.Context, c *call, files []*upload) (formErrors, error) {
	open, err := p.stepOpen(ctx, c)
	if err != nil {
		return nil, err
	}
	if !open {
		return formErrors{"": c.lang.T("upload.step_closed")}, nil
	}
	used, err := p.Store.LinkUsage(ctx, c.link.ID)
	if err != nil {
		return nil, err
	}
	var size int64
	for _, u := range files {
		size += int64(len(u.Bytes))
	}
	if !p.LinkQuota.Fits(used, len(files), size) {
		return p.linkFull(c), nil
	}
	return nil, nil
}

// linkFull is the page's answer when the link may store no more.
func (p *Pages) linkFull(c *call) formErrors {
	return formErrors{"": c.lang.Tf("upload.link_full", p.LinkQuota.Files, p.LinkQuota.Bytes>>20)}
}

// stepOpen: the journey has an open wait for the link's upload (a journey
// that has ended has none), or, for trainings, lets the student record
// some ahead of the Trainings stage.
func (p *Pages) stepOpen(ctx context.Context, c *call) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, updateTimeout)
	defer cancel()
	st, err := p.Journeys.Query(ctx, c.j.ID)
	var ie *workflows.InputError
	if errors.As(err, &ie) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if c.link.Action == "record_training" && len(st.TrainingsAvailable) > 0 {
		return true, nil
	}
	prefix := uploadSteps[c.link.Action]
	for _, w := range st.Waits {
		if prefix != "" && strings.HasPrefix(w.Step, prefix) {
			return true, nil
		}
	}
	return false, nil
}

// saveFailed answers a file that could not be stored: the form again when
// the link is full (another upload took the last room), else an error page.
func (p *Pages) saveFailed(w http.ResponseWriter, r *http.Request, c *call, err error, again func(formErrors)) {
	if errors.Is(err, store.ErrLinkQuota) {
		again(p.linkFull(c))
		return
	}
	p.failed(w, r, c, "save upload", err)
}

// uploadProblem is the plain-language reason a file was refused (false:
// not a problem with the file).
func (p *Pages) uploadProblem(c *call, err error, missingKey string) (string, bool) {
	switch {
	case errors.Is(err, errNoFile):
		return c.lang.T(missingKey), true
	case errors.Is(err, errTooBig):
		return c.lang.Tf("upload.too_big", p.MaxUpload>>20), true
	case errors.Is(err, errBadType):
		return c.lang.T("upload.bad_type"), true
	}
	return "", false
}
