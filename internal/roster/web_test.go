package roster_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

// upload posts a testdata file to the upload page as a district admin.
func (e *env) upload(h http.Handler, file string, fields map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", file[strings.LastIndex(file, "/")+1:])
		data, err := os.ReadFile(file)
		if err != nil {
			e.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/admin/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func (e *env) uploadHandler(csrf string) http.Handler {
	return roster.UploadHandler(e.im, func(*http.Request) (roster.Uploader, bool) {
		return roster.Uploader{DistrictID: e.district, StaffID: "admin-1", CSRFToken: csrf}, true
	}, nil)
}

func TestUploadPage_ImportsAndShowsCountsAndRejectedLines(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	rec := e.upload(e.uploadHandler(""), "testdata/plain/bom_crlf.csv", nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	page := rec.Body.String()
	for _, want := range []string{"<h2>Imported</h2>", "<td>students.csv</td><td class=\"n\">4</td><td>B002</td><td>phone: bad phone</td>",
		"<th>Students</th><td class=\"n\">2</td>", "Recent imports"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, pii := range []string{"Élodie", "O&#39;Neil", "555-", "Claire"} {
		if strings.Contains(page, pii) {
			t.Errorf("page shows %q", pii)
		}
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 2 {
		t.Fatalf("students = %d, want 2", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE actor_kind = 'staff' AND actor_ref = 'admin-1'`); n != 1 {
		t.Fatalf("audit entries for the admin = %d", n)
	}
}

func TestUploadPage_DryRunZipWritesNothing(t *testing.T) {
	e := newEnv(t)
	zip := zipDir(t, "testdata/oneroster-1.1", "")
	rec := e.upload(e.uploadHandler(""), zip, map[string]string{"dry_run": "1", "format": "oneroster"})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Nothing was written") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if n := e.count(`SELECT count(*) FROM students`) + e.count(`SELECT count(*) FROM schools`); n != 0 {
		t.Fatalf("dry run upload wrote %d rows", n)
	}
}

func TestUploadPage_BadFileIsExplainedNotImported(t *testing.T) {
	e := newEnv(t)
	path := t.TempDir() + "/students.csv"
	if err := os.WriteFile(path, []byte("id,name\n1,x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	rec := e.upload(e.uploadHandler(""), path, nil)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "no student_id column") {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if rec := e.upload(e.uploadHandler(""), "", nil); rec.Code != http.StatusBadRequest {
		t.Fatalf("no file: status %d", rec.Code)
	}
}

func TestUploadPage_RefusesWithoutAdminOrCSRFToken(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	anon := roster.UploadHandler(e.im, func(*http.Request) (roster.Uploader, bool) { return roster.Uploader{}, false }, nil)
	if rec := e.upload(anon, "testdata/plain/bom_crlf.csv", nil); rec.Code != http.StatusForbidden {
		t.Fatalf("anonymous upload: status %d", rec.Code)
	}
	get := httptest.NewRecorder()
	anon.ServeHTTP(get, httptest.NewRequest(http.MethodGet, "/admin/import", nil))
	if get.Code != http.StatusForbidden {
		t.Fatalf("anonymous form: status %d", get.Code)
	}
	withToken := e.uploadHandler("tok-123")
	if rec := e.upload(withToken, "testdata/plain/bom_crlf.csv", map[string]string{"csrf_token": "wrong"}); rec.Code != http.StatusForbidden {
		t.Fatalf("wrong CSRF token: status %d", rec.Code)
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 0 {
		t.Fatalf("refused uploads wrote %d students", n)
	}
	if rec := e.upload(withToken, "testdata/plain/bom_crlf.csv", map[string]string{"csrf_token": "tok-123"}); rec.Code != http.StatusOK {
		t.Fatalf("right CSRF token: status %d", rec.Code)
	}
	form := httptest.NewRecorder()
	withToken.ServeHTTP(form, httptest.NewRequest(http.MethodGet, "/admin/import", nil))
	if body, _ := io.ReadAll(form.Body); !strings.Contains(string(body), `name="csrf_token" value="tok-123"`) {
		t.Fatal("the form does not carry the CSRF token")
	}
}

// An upload over the background size is imported behind a progress page:
// the answer sends the browser to the job, whose page reloads itself with
// a progress bar until it shows the report; another district's admin
// cannot follow it.
func TestUploadPage_LargeFileImportsInBackgroundWithProgress(t *testing.T) {
	e := newEnv(t)
	e.school("LHS")
	e.im.BackgroundOver = 10
	h := e.uploadHandler("")
	rec := e.upload(h, "testdata/plain/bom_crlf.csv", nil)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/import/jobs/") {
		t.Fatalf("large upload: %d to %q", rec.Code, loc)
	}
	get := func(h http.Handler) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, loc, nil))
		return rec
	}
	first := get(h).Body.String()
	if !strings.Contains(first, "<h2>Imported</h2>") && !(strings.Contains(first, `<progress id="progress"`) &&
		strings.Contains(first, `<meta http-equiv="refresh" content="2">`)) {
		t.Fatalf("the job page shows neither progress nor the report:\n%s", first)
	}
	testenvEventually(t, "the report on the job page", func() bool {
		page := get(h).Body.String()
		return strings.Contains(page, "<h2>Imported</h2>") && !strings.Contains(page, "http-equiv=\"refresh\"")
	})
	if n := e.count(`SELECT count(*) FROM students`); n != 2 {
		t.Fatalf("students = %d, want 2", n)
	}
	other := roster.UploadHandler(e.im, func(*http.Request) (roster.Uploader, bool) {
		return roster.Uploader{DistrictID: "00000000-0000-0000-0000-000000000001", StaffID: "x"}, true
	}, nil)
	if rec := get(other); rec.Code != http.StatusNotFound {
		t.Fatalf("another district follows the job: %d", rec.Code)
	}
}
