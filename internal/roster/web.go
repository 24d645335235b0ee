package roster

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"time"
)

//go:embed templates/upload.html
var templates embed.FS

var uploadPage = template.Must(template.ParseFS(templates, "templates/upload.html"))

// maxUpload bounds an upload: a 50,000-student export is about 15 MB.
const maxUpload = 128 << 20

// Uploader is the signed-in district admin importing a roster.
type Uploader struct {
	DistrictID string
	StaffID    string
	// CSRFToken, when set, is put in the form and must come back with it.
	CSRFToken string
}

// UploadHandler serves the roster upload page for district admins:
// GET /admin/import (the form and recent imports) and POST /admin/import
// (a multipart upload: file, format, dry_run, partial; answers with the
// report). uploaderFrom reads the signed-in admin from the request; the
// caller mounts this behind authentication and the district_admin role,
// and a request it does not vouch for gets 403. Uploads grant no staff
// roles (the CLI's --staff-role does that on purpose).
func UploadHandler(im *Importer, uploaderFrom func(*http.Request) (Uploader, bool)) http.Handler {
	h := &uploads{im: im, who: uploaderFrom}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/import", h.form)
	mux.HandleFunc("POST /admin/import", h.upload)
	return mux
}

type uploads struct {
	im  *Importer
	who func(*http.Request) (Uploader, bool)
}

// pageData is what upload.html renders.
type pageData struct {
	CSRFToken, Error string
	Report           *Report
	Runs             []Run
}

func (h *uploads) form(w http.ResponseWriter, r *http.Request) {
	u, ok := h.who(r)
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	h.render(w, r, u, http.StatusOK, pageData{})
}

func (h *uploads) upload(w http.ResponseWriter, r *http.Request) {
	u, ok := h.who(r)
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		h.render(w, r, u, http.StatusBadRequest, pageData{Error: "The upload could not be read (is it over 128 MB?)."})
		return
	}
	defer r.MultipartForm.RemoveAll() //nolint:errcheck // temp files only
	if u.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(r.FormValue("csrf_token")), []byte(u.CSRFToken)) != 1 {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		h.render(w, r, u, http.StatusBadRequest, pageData{Error: "Choose a .zip or .csv file to upload."})
		return
	}
	defer file.Close()
	rep, err := h.importUpload(r, u, file, header)
	if err != nil {
		var in *InputError
		if !errors.As(err, &in) {
			slog.ErrorContext(r.Context(), "roster upload failed", "district_id", u.DistrictID, "err", err)
			h.render(w, r, u, http.StatusInternalServerError, pageData{Error: "The import failed part-way; batches already written are complete. Try again, or ask for help."})
			return
		}
		h.render(w, r, u, http.StatusUnprocessableEntity, pageData{Error: in.Error()})
		return
	}
	h.render(w, r, u, http.StatusOK, pageData{Report: &rep})
}

func (h *uploads) importUpload(r *http.Request, u Uploader, file multipart.File, header *multipart.FileHeader) (Report, error) {
	var b *Bundle
	if strings.EqualFold(filepath.Ext(header.Filename), ".zip") {
		var err error
		if b, err = OpenZip(file, header.Size); err != nil {
			return Report{}, &InputError{err}
		}
	} else {
		b = SingleFile(header.Filename, func() (io.ReadCloser, error) {
			_, err := file.Seek(0, io.SeekStart)
			return io.NopCloser(file), err
		})
	}
	defer b.Close()
	// A closed browser tab must not stop an import part-way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Minute)
	defer cancel()
	return h.im.Import(ctx, b, Options{DistrictID: u.DistrictID, Format: r.FormValue("format"),
		DryRun: r.FormValue("dry_run") != "", Partial: r.FormValue("partial") != "",
		ActorKind: "staff", ActorRef: u.StaffID})
}

func (h *uploads) render(w http.ResponseWriter, r *http.Request, u Uploader, status int, d pageData) {
	d.CSRFToken = u.CSRFToken
	runs, err := h.im.RecentRuns(r.Context(), u.DistrictID, 10)
	if err != nil {
		slog.ErrorContext(r.Context(), "list import runs", "district_id", u.DistrictID, "err", err)
	}
	d.Runs = runs
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := uploadPage.Execute(w, d); err != nil {
		slog.ErrorContext(r.Context(), "render upload page", "err", err)
	}
}
