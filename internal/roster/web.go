package roster

import (
	"bytes"
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
)

//go:embed templates/upload.html
var templates embed.FS

var uploadPage = template.Must(template.ParseFS(templates, "templates/upload.html"))

// Page is the roster page's content for a site's layout: its title, the
// HTML of its body, and (while an import runs) how many seconds until the
// page reloads itself.
type Page struct {
	Title   string
	Body    template.HTML
	Refresh int
}

// Layout shows a Page inside the site's pages (the staff layout with its
// navigation); nil serves the page on its own.
type Layout func(w http.ResponseWriter, r *http.Request, status int, p Page)

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
//
// An upload over Importer.BackgroundOver is imported in the background:
// the answer sends the browser to GET /admin/import/jobs/{id}, which
// shows how many students are written and reloads itself until the
// report is ready.
func UploadHandler(im *Importer, uploaderFrom func(*http.Request) (Uploader, bool), layout Layout) http.Handler {
	h := &uploads{im: im, who: uploaderFrom, layout: layout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/import", h.form)
	mux.HandleFunc("POST /admin/import", h.upload)
	mux.HandleFunc("GET /admin/import/jobs/{id}", h.jobPage)
	return mux
}

type uploads struct {
	im     *Importer
	who    func(*http.Request) (Uploader, bool)
	layout Layout
}

// pageData is what upload.html renders.
type pageData struct {
	CSRFToken, Error string
	Report           *Report
	Runs             []Run
	// Job is a background import being followed.
	Job     *Job
	Refresh int
}

func (h *uploads) backgroundOver() int64 {
	if h.im.BackgroundOver > 0 {
		return h.im.BackgroundOver
	}
	return 1 << 20
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
	if header.Size > h.backgroundOver() {
		h.importInBackground(w, r, u, file, header)
		return
	}
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
	b, err := openUpload(file, header.Filename, header.Size)
	if err != nil {
		return Report{}, &InputError{err}
	}
	defer b.Close()
	// A closed browser tab must not stop an import part-way.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 10*time.Minute)
	defer cancel()
	return h.im.Import(ctx, b, uploadOptions(r, u))
}

func uploadOptions(r *http.Request, u Uploader) Options {
	return Options{DistrictID: u.DistrictID, Format: r.FormValue("format"),
		DryRun: r.FormValue("dry_run") != "", Partial: r.FormValue("partial") != "",
		ActorKind: "staff", ActorRef: u.StaffID}
}

// openUpload reads an uploaded .zip bundle or single CSV file.
func openUpload(file io.ReaderAt, name string, size int64) (*Bundle, error) {
	if strings.EqualFold(filepath.Ext(name), ".zip") {
		return OpenZip(file, size)
	}
	rs, ok := file.(io.ReadSeeker)
	if !ok {
		return nil, errors.New("the upload cannot be read again")
	}
	return SingleFile(name, func() (io.ReadCloser, error) {
		_, err := rs.Seek(0, io.SeekStart)
		return io.NopCloser(rs), err
	}), nil
}

// importInBackground keeps a copy of the upload (the request's own is
// removed when it ends), starts the import and sends the browser to its
// progress page.
func (h *uploads) importInBackground(w http.ResponseWriter, r *http.Request, u Uploader, file multipart.File, header *multipart.FileHeader) {
	tmp, err := os.CreateTemp("", "internflow-roster-*")
	if err == nil {
		_, err = io.Copy(tmp, file)
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "keep roster upload", "err", err)
		h.render(w, r, u, http.StatusInternalServerError, pageData{Error: "The upload could not be kept for importing. Try again."})
		return
	}
	path, name, size := tmp.Name(), header.Filename, header.Size
	open := func() (*Bundle, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		b, err := openUpload(f, name, size)
		if err != nil {
			f.Close()
			return nil, err
		}
		b.closer = bothClosers{b.closer, f}
		return b, nil
	}
	tmp.Close()
	id, err := h.im.startJob(r.Context(), u, path, open, uploadOptions(r, u))
	if err != nil {
		os.Remove(path) //nolint:errcheck // a temp file
		slog.ErrorContext(r.Context(), "start roster import job", "err", err)
		h.render(w, r, u, http.StatusInternalServerError, pageData{Error: "The import could not be started. Try again."})
		return
	}
	http.Redirect(w, r, "/admin/import/jobs/"+id, http.StatusSeeOther)
}

// jobPage follows a background import: progress while it runs (the page
// reloads itself every two seconds), the report when it is done.
func (h *uploads) jobPage(w http.ResponseWriter, r *http.Request) {
	u, ok := h.who(r)
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	id := r.PathValue("id")
	j, err := h.im.job(r.Context(), u.DistrictID, id)
	if uuid.Validate(id) != nil || errors.Is(err, errNoJob) {
		h.render(w, r, u, http.StatusNotFound, pageData{Error: "There is no such import of your district."})
		return
	}
	if err != nil {
		slog.ErrorContext(r.Context(), "read import job", "err", err)
		h.render(w, r, u, http.StatusInternalServerError, pageData{Error: "The import's progress could not be read. Reload in a minute."})
		return
	}
	d := pageData{Job: &j, Report: j.Report, Error: j.Error}
	if j.Stopped {
		d.Error = "This import stopped before it finished (the server restarted). Batches already written are complete; upload the file again to finish it."
	}
	if !j.Finished && !j.Stopped {
		d.Refresh = 2
	}
	h.render(w, r, u, http.StatusOK, d)
}

func (h *uploads) render(w http.ResponseWriter, r *http.Request, u Uploader, status int, d pageData) {
	d.CSRFToken = u.CSRFToken
	runs, err := h.im.RecentRuns(r.Context(), u.DistrictID, 10)
	if err != nil {
		slog.ErrorContext(r.Context(), "list import runs", "district_id", u.DistrictID, "err", err)
	}
	d.Runs = runs
	var buf bytes.Buffer
	name := "content"
	if h.layout == nil {
		name = "standalone"
	}
	if err := uploadPage.ExecuteTemplate(&buf, name, d); err != nil {
		slog.ErrorContext(r.Context(), "render upload page", "err", err)
		http.Error(w, "This page could not be shown.", http.StatusInternalServerError)
		return
	}
	if h.layout != nil {
		h.layout(w, r, status, Page{Title: "Import roster", Body: template.HTML(buf.String()), Refresh: d.Refresh}) //nolint:gosec // our own template's output
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// bothClosers closes a bundle's archive, then the file under it.
type bothClosers struct{ first, second io.Closer }

func (c bothClosers) Close() error {
	if c.first != nil {
		_ = c.first.Close()
	}
	return c.second.Close()
}
