package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
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

// saveUpload stores the file for the journey. The same bytes uploaded
// twice (a double tap) reuse the first copy, so both taps name one
// document.
func (p *Pages) saveUpload(ctx context.Context, c *call, kind string, u *upload) (string, error) {
	var id string
	err := p.Store.Pool.QueryRow(ctx, `SELECT id FROM documents WHERE journey_id = $1 AND kind = $2 AND sha256 = $3
		ORDER BY created_at LIMIT 1`, c.j.ID, kind, u.SHA256).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return "", err
	}
	return p.Store.SaveDocument(ctx, store.Document{JourneyID: c.j.ID, Kind: kind, Filename: u.Filename,
		ContentType: u.ContentType, SHA256: u.SHA256, Bytes: u.Bytes})
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
