package staff

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/roster"
	"github.com/internflow/internflow/internal/store"
)

// MountReports serves the reports package's pages behind sign-in:
// coordinators see their schools, district ops and admins the district;
// other roles get 403. CSV downloads are audited.
func (h *Handler) MountReports(r chi.Router, q *reports.Queries) {
	inner := reports.Handler(q, func(r *http.Request) (store.Scope, bool) {
		p := principal(r)
		if !p.HasAny(auth.ReportRoles...) {
			return store.Scope{}, false
		}
		return p.ScopeFor(auth.ReportRoles...), true
	}, func(w http.ResponseWriter, r *http.Request, status int, p reports.Page) {
		h.inLayout(w, r, status, p.Title, "reports", p.Body, 0)
	})
	audited := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !principal(r).HasAny(auth.ReportRoles...) {
			h.forbidden(w, r) // the staff page that says why, not a bare 403
			return
		}
		if strings.HasSuffix(r.URL.Path, ".csv") {
			h.audit(r, "report_exported", "report", strings.TrimPrefix(r.URL.Path, "/reports/"), r.URL.RawQuery)
		}
		inner.ServeHTTP(w, r)
	})
	r.Group(func(r chi.Router) {
		r.Use(h.Sessions.RequirePage, auth.CheckCSRF)
		r.Handle("/reports", audited)
		r.Handle("/reports/*", audited)
	})
}

// MountRoster serves the roster upload page to district admins (403 for
// everyone else). The upload is multipart, so the roster handler checks
// the session's CSRF token itself after bounding the body.
func (h *Handler) MountRoster(r chi.Router, im *roster.Importer) {
	inner := roster.UploadHandler(im, func(r *http.Request) (roster.Uploader, bool) {
		p := principal(r)
		if !p.Can("", auth.RoleDistrictAdmin) || p.CSRFToken == "" {
			return roster.Uploader{}, false
		}
		return roster.Uploader{DistrictID: p.DistrictID, StaffID: p.StaffID, CSRFToken: p.CSRFToken}, true
	}, h.rosterLayout)
	r.With(h.Sessions.RequirePage).Handle("/admin/import", inner)
	r.With(h.Sessions.RequirePage).Handle("/admin/import/*", inner)
}

// rosterLayout shows the roster page inside the staff layout, with the
// import entry highlighted.
func (h *Handler) rosterLayout(w http.ResponseWriter, r *http.Request, status int, p roster.Page) {
	h.inLayout(w, r, status, p.Title, "import", p.Body, p.Refresh)
}

// inLayout shows another package's page body inside the staff layout
// (navigation, stylesheet, no-store), with the active nav entry
// highlighted and, when refresh > 0, reloading itself.
func (h *Handler) inLayout(w http.ResponseWriter, r *http.Request, status int, title, active string, body template.HTML, refresh int) {
	b := h.base(r, title, active)
	b.Refresh = refresh
	render(w, r, status, "fragment", struct {
		base
		Body template.HTML
	}{b, body})
}
