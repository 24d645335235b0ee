package auth

import (
	"embed"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
)

//go:embed templates/*.html
var templateFiles embed.FS

var pages = template.Must(template.ParseFS(templateFiles, "templates/*.html"))

// render writes one of the sign-in pages with the staff pages' headers.
func render(w http.ResponseWriter, r *http.Request, status int, name string, data loginPage) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	if err := pages.ExecuteTemplate(w, name+".html", data); err != nil {
		slog.ErrorContext(r.Context(), "render sign-in page", "page", name, "err", err)
	}
}

// renderRefusal shows why a sign-in did not happen, in plain words, with
// the way back to the sign-in page.
func renderRefusal(w http.ResponseWriter, r *http.Request, status int, text string) {
	render(w, r, status, "refused", loginPage{Error: text})
}

// mustJSON encodes an audit entry's detail (plain maps never fail).
func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}
