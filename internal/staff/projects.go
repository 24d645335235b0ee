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
	render(w, r, http.StatusOK, "projects", projectsPage{base: h.base(r, "Projects", "projects"), Projects: list})
}
