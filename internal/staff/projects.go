package staff

import (
	"net/http"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/store"
)

// projectsPage shows micro-internships by project: a teacher overseeing
// thirty students on a few projects reads them by project, not one by one.
type projectsPage struct {
	base
	Projects []store.Project
}

func (h *Handler) projects(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.ViewRoles...) {
		h.forbidden(w, r)
		return
	}
	list, err := h.Store.Projects(r.Context(), p.ViewScope())
	if err != nil {
		h.failed(w, r, "projects", err)
		return
	}
	d := projectsPage{base: h.base(r, "Projects", "projects"), Projects: list}
	if schools, err := h.Store.SchoolsInScope(r.Context(), p.ViewScope()); err == nil {
		d.zones = schoolZones(schools) // each student's dates in their school's zone
	}
	render(w, r, http.StatusOK, "projects", d)
}
