package reports

import (
	"bytes"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/store"
)

//go:embed templates/reports.html
var templates embed.FS

var page = template.Must(template.ParseFS(templates, "templates/reports.html"))

// pageRows caps long tables (hours per student) on the page; the CSV has
// every row.
const pageRows = 200

// Page is the reports page's content for a site's layout: its title and
// the HTML of its body.
type Page struct {
	Title string
	Body  template.HTML
}

// Layout shows a Page inside the site's pages (the staff layout with its
// navigation and stylesheet); nil serves the page on its own.
type Layout func(w http.ResponseWriter, r *http.Request, status int, p Page)

// Handler serves the reports to signed-in district staff:
//
//	GET /reports             every report as an HTML table, charts for some (?year=2027 for one program year)
//	GET /reports/{name}.csv  one report as CSV (names in Catalog)
//
// scopeFrom returns the staff member's scope from the request (their
// district and, for coordinators, their schools); the caller mounts this
// behind sign-in, and a request without a scope gets 403. layout puts the
// page inside the site's pages.
func Handler(q *Queries, scopeFrom func(*http.Request) (store.Scope, bool), layout Layout) http.Handler {
	h := &handler{q: q, scope: scopeFrom, layout: layout}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /reports", h.page)
	mux.HandleFunc("GET /reports/{file}", h.csv)
	return mux
}

type handler struct {
	q      *Queries
	scope  func(*http.Request) (store.Scope, bool)
	layout Layout
}

// request reads the scope and filter, answering the error itself.
func (h *handler) request(w http.ResponseWriter, r *http.Request) (store.Scope, Filter, bool) {
	s, ok := h.scope(r)
	if !ok {
		http.Error(w, "forbidden", http.StatusForbidden)
		return s, Filter{}, false
	}
	var f Filter
	if y := r.URL.Query().Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			http.Error(w, "year must be a program year such as 2027", http.StatusBadRequest)
			return s, f, false
		}
		f.ProgramYear = n
	}
	return s, f, true
}

// pageData is what reports.html renders.
type pageData struct {
	Year      int
	Tables    []Table
	Truncated map[string]int
	Errors    []string
	// CSVBase and Query build CSV links relative to wherever this is mounted.
	CSVBase, Query string
}

func (h *handler) page(w http.ResponseWriter, r *http.Request) {
	s, f, ok := h.request(w, r)
	if !ok {
		return
	}
	d := pageData{Year: f.ProgramYear, Truncated: map[string]int{}, CSVBase: lastSegment(r.URL.Path) + "/"}
	if f.ProgramYear != 0 {
		d.Query = "?" + url.Values{"year": {strconv.Itoa(f.ProgramYear)}}.Encode()
	}
	for _, rep := range Catalog {
		t, err := rep.Table(r.Context(), h.q, s, f)
		if err != nil {
			slog.ErrorContext(r.Context(), "report failed", "report", rep.Name, "district_id", s.DistrictID, "err", err)
			d.Errors = append(d.Errors, rep.Title+" could not be computed.")
			continue
		}
		if len(t.Rows) > pageRows {
			t.Rows = t.Rows[:pageRows]
			d.Truncated[t.Name] = pageRows
		}
		d.Tables = append(d.Tables, t)
	}
	h.render(w, r, d)
}

// render executes the page into a buffer first, so a template error is a
// clean 500 rather than half a page.
func (h *handler) render(w http.ResponseWriter, r *http.Request, d pageData) {
	var buf bytes.Buffer
	name := "content"
	if h.layout == nil {
		name = "standalone"
	}
	if err := page.ExecuteTemplate(&buf, name, d); err != nil {
		slog.ErrorContext(r.Context(), "render reports", "err", err)
		http.Error(w, "This page could not be shown.", http.StatusInternalServerError)
		return
	}
	if h.layout != nil {
		h.layout(w, r, http.StatusOK, Page{Title: "Program reports", Body: template.HTML(buf.String())}) //nolint:gosec // our own template's output
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
}

func (h *handler) csv(w http.ResponseWriter, r *http.Request) {
	name, isCSV := strings.CutSuffix(r.PathValue("file"), ".csv")
	rep, found := Find(name)
	if !isCSV || !found {
		http.NotFound(w, r)
		return
	}
	s, f, ok := h.request(w, r)
	if !ok {
		return
	}
	t, err := rep.Table(r.Context(), h.q, s, f)
	if err != nil {
		slog.ErrorContext(r.Context(), "report failed", "report", rep.Name, "district_id", s.DistrictID, "err", err)
		http.Error(w, "the report could not be computed", http.StatusInternalServerError)
		return
	}
	filename := rep.Name
	if f.ProgramYear != 0 {
		filename += "-" + strconv.Itoa(f.ProgramYear)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	if err := WriteCSV(w, t); err != nil {
		slog.ErrorContext(r.Context(), "write report csv", "report", rep.Name, "err", err)
	}
}

// lastSegment is the page's own last path segment ("reports"), so CSV
// links resolve under whatever prefix the handler is mounted at.
func lastSegment(path string) string {
	return path[strings.LastIndexByte(path, '/')+1:]
}
