package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static/style.css
var styleCSS []byte

// page is what every template receives.
type page struct {
	L      Lang
	Title  string
	Action string // where the page's form posts
	Path   string // the link's base path, for downloads
	Errors map[string]string
	Form   url.Values
	Switch *langSwitch
	V      any
}

// langSwitch is the "Español" / "English" link at the bottom.
type langSwitch struct{ Href, Code, Label string }

var funcs = template.FuncMap{
	// has reports whether a form field holds a value (checkboxes, radios).
	"has": func(f url.Values, key, value string) bool { return slices.Contains(f[key], value) },
	"add": func(a, b int) int { return a + b },
	// list makes a slice in a template (fields drawn from one row markup).
	"list": func(items ...string) []string { return items },
}

// templates maps a page name to its parsed set (the layout plus the page).
var templates = mustParseTemplates()

func mustParseTemplates() map[string]*template.Template {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", n))
	}
	return out
}

// render writes a page. Rendering into a buffer first means a template
// error becomes a clean 500, not half a page.
func (p *Pages) render(w http.ResponseWriter, r *http.Request, c *call, status int, name string, pg page) {
	pg.L = c.lang
	if pg.Action == "" && c.token != "" {
		pg.Action = c.action()
	}
	if pg.Path == "" && c.token != "" {
		pg.Path = c.path()
	}
	if pg.Switch == nil && r.Method == http.MethodGet {
		pg.Switch = switchFor(r, c.lang)
	}
	var buf bytes.Buffer
	if err := templates[name].ExecuteTemplate(&buf, "layout", pg); err != nil {
		slog.ErrorContext(r.Context(), "render link page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// switchFor links to the same page in the other language.
func switchFor(r *http.Request, l Lang) *langSwitch {
	other := "es"
	if l.Code == "es" {
		other = "en"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	return &langSwitch{Href: r.URL.Path + "?" + q.Encode(), Code: other, Label: Lang{Code: other}.T("switch.label")}
}

// statusView is the content of a page that only says something.
type statusView struct {
	Heading, Body string
	// NewLink shows the "Send me a new link" button.
	NewLink bool
	// Signed links to the signed permit PDF.
	Signed string
}

// renderStatus shows one of the plain pages (invalid link, error, ...),
// whose heading and body are "status.<kind>.title" / ".body".
func (p *Pages) renderStatus(w http.ResponseWriter, r *http.Request, c *call, status int, kind string) {
	p.render(w, r, c, status, "status", page{Title: c.lang.T("status." + kind + ".title"),
		V: statusView{Heading: c.lang.T("status." + kind + ".title"), Body: c.lang.T("status." + kind + ".body")}})
}

// serveCSS serves the embedded style sheet (not secret: cacheable).
func serveCSS(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(styleCSS)
}

// showForm renders a form page: 200 when fresh, 422 with errors, keeping
// what the person typed.
func (p *Pages) showForm(w http.ResponseWriter, r *http.Request, c *call, name string, errs formErrors, v any) {
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	p.render(w, r, c, status, name, page{Title: c.lang.T(name + ".title"), Errors: errs, Form: r.Form, V: v})
}
