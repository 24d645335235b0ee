package staff

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/store"
)

// "API tokens": district admins make tokens for scripts (a service account
// of the district that may enrol students through the API), see when each
// was last used, and revoke them. A new token is shown once, on the page
// that answers its creation; only its hash is kept. Every change is audited.

type tokensPage struct {
	base
	Tokens []auth.Token
	Name   string
	// Secret is the token just made, shown this once.
	Secret, SecretName string
	Errors             map[string]string
}

func canManageTokens(p auth.Principal) bool { return p.Can("", auth.RoleDistrictAdmin) }

func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	if !canManageTokens(principal(r)) {
		h.forbidden(w, r)
		return
	}
	h.renderTokens(w, r, tokensPage{Errors: map[string]string{}}, http.StatusOK)
}

func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, d tokensPage, status int) {
	d.base = h.base(r, "API tokens", "tokens")
	var err error
	if d.Tokens, err = h.Tokens.List(r.Context(), d.P.DistrictID); err != nil {
		h.failed(w, r, "list api tokens", err)
		return
	}
	render(w, r, status, "tokens", d)
}

// createToken makes a token and shows it on the answer (never in a
// redirect or a cookie: the page is not cached and the value is gone once
// it is left).
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !canManageTokens(p) {
		h.forbidden(w, r)
		return
	}
	d := tokensPage{Name: strings.TrimSpace(r.PostFormValue("name")), Errors: map[string]string{}}
	switch {
	case d.Name == "":
		d.Errors["name"] = "Name the token after the script that uses it, like “SIS nightly enrolment”."
	case utf8.RuneCountInString(d.Name) > 100:
		d.Errors["name"] = "Keep the name under 100 characters."
	}
	if len(d.Errors) > 0 {
		h.renderTokens(w, r, d, http.StatusUnprocessableEntity)
		return
	}
	id, secret, err := h.Tokens.Create(r.Context(), p.DistrictID, p.StaffID, d.Name)
	if err != nil {
		h.failed(w, r, "create api token", err)
		return
	}
	h.audit(r, "api_token_created", "api_token", id, d.Name)
	d.Secret, d.SecretName, d.Name = secret, d.Name, ""
	h.renderTokens(w, r, d, http.StatusCreated)
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !canManageTokens(p) {
		h.forbidden(w, r)
		return
	}
	id := chi.URLParam(r, "tokenID")
	if uuid.Validate(id) != nil {
		h.notFound(w, r)
		return
	}
	name, err := h.Tokens.Revoke(r.Context(), p.DistrictID, id, p.StaffID)
	if errors.Is(err, store.ErrNotFound) {
		h.setFlash(w, true, "That token is revoked already, or not one of your district's.")
		http.Redirect(w, r, "/staff/tokens", http.StatusSeeOther)
		return
	}
	if err != nil {
		h.failed(w, r, "revoke api token", err)
		return
	}
	h.audit(r, "api_token_revoked", "api_token", id, name)
	h.setFlash(w, false, "The token “"+name+"” is revoked: scripts using it are refused from now on.")
	http.Redirect(w, r, "/staff/tokens", http.StatusSeeOther)
}
