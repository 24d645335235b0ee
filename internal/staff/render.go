package staff

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
)

//go:embed templates/*.html assets/style.css
var files embed.FS

var pageNames = []string{"dashboard", "student", "ops", "mous", "message", "projects",
	"employers", "employer", "employer_form", "worksite_form", "supervisor_form", "posting_form", "certificates",
	"people", "schools", "enrol", "enrolment", "tokens", "sso", "fragment", "messages", "outbox", "programs", "program_migrate"}

var pages = parsePages()

func parsePages() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		out[name] = template.Must(template.New(name).Funcs(funcs).Funcs(employerFuncs).Funcs(messageFuncs).Funcs(foundFuncs).
			ParseFS(files, "templates/layout.html", "templates/fields.html", "templates/"+name+".html"))
	}
	return out
}

// base is what every page's layout needs.
type base struct {
	Title string
	P     auth.Principal
	Flash *flash
	// Active names the nav entry to highlight.
	Active string
	// Refresh, when positive, reloads the page after that many seconds
	// (progress pages; staff pages use no script).
	Refresh int
	// TZ is the district's time zone for dates.
	TZ *time.Location
	// zones are the schools that keep their own zone (see ZoneOf).
	zones map[string]*time.Location
	// NoCoordinator are the district's schools nobody coordinates, shown
	// to the admins who can name one (their coordinator messages go to
	// district ops meanwhile).
	NoCoordinator []store.SchoolName
}

// CanView shows the Students entry of the nav.
func (b base) CanView() bool { return b.P.HasAny(auth.ViewRoles...) }

// CanOps shows the Ops console entry.
func (b base) CanOps() bool { return b.P.HasAny(auth.OpsRoles...) }

// CanMOU shows the MOU approvals entry.
func (b base) CanMOU() bool { return b.P.HasAny(auth.MOURoles...) }

// CanEmployers shows the Employers entry.
func (b base) CanEmployers() bool { return b.P.CanViewEmployers() }

// CanReports shows the Reports entry.
func (b base) CanReports() bool { return b.P.HasAny(auth.ReportRoles...) }

// CanAdminister shows the Staff and Schools entries (district-wide admins only).
func (b base) CanAdminister() bool { return canAdminister(b.P) }

// bannerSchools is how many schools the no-coordinator warning names
// (after a roster import dozens may have none; the Schools page lists all).
const bannerSchools = 5

// NoCoordinatorNamed are the schools the warning names.
func (b base) NoCoordinatorNamed() []store.SchoolName {
	return b.NoCoordinator[:min(len(b.NoCoordinator), bannerSchools)]
}

// NoCoordinatorMore counts the schools the warning does not name.
func (b base) NoCoordinatorMore() int { return max(len(b.NoCoordinator)-bannerSchools, 0) }

// CanManage shows the Enrol and Message students entries.
func (b base) CanManage() bool { return b.P.HasAny(auth.ManageRoles...) }

// CanImport shows the Roster import entry (district-wide admins only).
func (b base) CanImport() bool { return b.P.Can("", auth.RoleDistrictAdmin) }

// render executes a page into a buffer first, so a template error is a
// clean 500 rather than half a page.
func render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		slog.ErrorContext(r.Context(), "render staff page", "page", page, "err", err)
		http.Error(w, "This page could not be shown.", http.StatusInternalServerError)
		return
	}
	securityHeaders(w.Header())
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	serverTiming(w, r)
	clearFlash(w, r)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// securityHeaders: a page shows staff-only data, so nothing caches it (CSP,
// framing and nosniff are on every route, from the router).
func securityHeaders(h http.Header) {
	h.Set("Cache-Control", "no-store")
}

// message renders a short page with one sentence (no access, not found).
func (h *Handler) message(w http.ResponseWriter, r *http.Request, status int, title, text string) {
	render(w, r, status, "message", struct {
		base
		Text string
	}{h.base(r, title, ""), text})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.message(w, r, http.StatusNotFound, "Not found", "There is nothing here, or it is not part of your schools.")
}

func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request) {
	h.message(w, r, http.StatusForbidden, "Not allowed", "Your role does not include this. Ask your district administrator if you need it.")
}

func (h *Handler) failed(w http.ResponseWriter, r *http.Request, what string, err error) {
	slog.ErrorContext(r.Context(), "staff page failed", "step", what, "route", r.URL.Path, "err", err)
	if store.IsUnavailable(err) || errors.Is(err, journey.ErrTryAgain) {
		h.message(w, r, http.StatusServiceUnavailable, "Temporarily unavailable", "The database is not answering. Try again in a minute.")
		return
	}
	h.message(w, r, http.StatusInternalServerError, "Something went wrong", "This page could not be loaded. Try again in a minute.")
}

// ZoneOf is the time zone a school keeps: its own, else the district's,
// so a row's dates read as the school reads them.
func (b base) ZoneOf(schoolID string) *time.Location {
	if loc, ok := b.zones[schoolID]; ok {
		return loc
	}
	return b.TZ
}

// schoolZones are the schools' own zones, for ZoneOf.
func schoolZones(schools []store.SchoolName) map[string]*time.Location {
	zones := map[string]*time.Location{}
	for _, s := range schools {
		if loc, err := time.LoadLocation(s.Timezone); err == nil && s.Timezone != "" {
			zones[s.ID] = loc
		}
	}
	return zones
}

// base fills the layout fields and takes the pending flash message.
func (h *Handler) base(r *http.Request, title, active string) base {
	p := principal(r)
	b := base{Title: title, P: p, Active: active, Flash: takeFlash(r), TZ: time.UTC}
	if d, err := h.Store.GetDistrict(r.Context(), p.DistrictID); err == nil {
		if loc, err := time.LoadLocation(d.Timezone); err == nil {
			b.TZ = loc
		}
	}
	if canAdminister(p) {
		var err error
		if b.NoCoordinator, err = h.Store.SchoolsWithoutRole(r.Context(), p.DistrictID, auth.RoleCoordinator); err != nil {
			// A warning, not the page: the page still shows.
			slog.WarnContext(r.Context(), "schools without a coordinator", "err", err)
		}
	}
	return b
}

type startKey struct{}

// timing notes when the request started, for the Server-Timing header.
func timing(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), startKey{}, time.Now())))
	})
}

// serverTiming reports the server's time for the page (browsers show it
// in their network panel).
func serverTiming(w http.ResponseWriter, r *http.Request) {
	if t, ok := r.Context().Value(startKey{}).(time.Time); ok {
		w.Header().Set("Server-Timing", fmt.Sprintf("app;dur=%.1f", float64(time.Since(t).Microseconds())/1000))
	}
}

func serveCSS(w http.ResponseWriter, r *http.Request) {
	css, _ := files.ReadFile("assets/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(css)
}

// humanize turns "survey_submitted" into "Survey submitted".
func humanize(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
