package staff

import (
	"encoding/base64"
	"net/http"
	"strings"
)

// flash is a one-time message shown on the page an action redirects to.
type flash struct {
	Error bool
	Text  string
}

const flashCookie = "internflow_flash"

// setFlash stores the message in a short-lived cookie for the next page.
// It is only text (escaped when shown), so a forged one can say nothing a
// page of this site could not.
func (h *Handler) setFlash(w http.ResponseWriter, isError bool, text string) {
	kind := "ok"
	if isError {
		kind = "error"
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: kind + "." + base64.RawURLEncoding.EncodeToString([]byte(text)),
		Path: "/staff", MaxAge: 60, HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads the pending message; the page clears it (clearFlash).
func takeFlash(r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	kind, enc, ok := strings.Cut(c.Value, ".")
	text, derr := base64.RawURLEncoding.DecodeString(enc)
	if !ok || derr != nil || len(text) == 0 || len(text) > 500 {
		return nil
	}
	return &flash{Error: kind == "error", Text: string(text)}
}

// clearFlash removes a shown message so a reload does not repeat it.
func clearFlash(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(flashCookie); err == nil {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/staff", MaxAge: -1})
	}
}

// back redirects to the page the form came from (a local path only).
func back(w http.ResponseWriter, r *http.Request, fallback string) {
	to := fallback
	if b := r.PostFormValue("back"); b != "" {
		to = localPath(b, fallback)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath keeps only paths on this site under /staff.
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/staff") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return fallback
	}
	return p
}
