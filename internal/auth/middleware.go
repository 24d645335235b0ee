package auth

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
)

// RequirePage lets signed-in staff through with their Principal in the
// context; anyone else is sent to the sign-in page (and back here after).
func (s *Sessions) RequirePage(next http.Handler) http.Handler {
	return s.require(next, func(w http.ResponseWriter, r *http.Request, err error) {
		q := url.Values{"next": {LocalPath(r.URL.RequestURI())}}
		if errors.Is(err, ErrExpired) {
			q.Set("expired", "1")
		}
		http.Redirect(w, r, "/staff/login?"+q.Encode(), http.StatusSeeOther)
	})
}

// RequireAPI is RequirePage for the JSON API: 401 with a JSON error.
func (s *Sessions) RequireAPI(next http.Handler) http.Handler {
	return s.require(next, func(w http.ResponseWriter, r *http.Request, err error) {
		msg := "sign in first"
		if errors.Is(err, ErrExpired) {
			msg = "your session expired; sign in again"
		}
		writeJSONError(w, http.StatusUnauthorized, msg)
	})
}

func (s *Sessions) require(next http.Handler, denied func(http.ResponseWriter, *http.Request, error)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.Load(r.Context(), r)
		switch {
		case errors.Is(err, ErrNoSession), errors.Is(err, ErrExpired):
			s.Clear(w)
			denied(w, r, err)
			return
		case err != nil:
			slog.ErrorContext(r.Context(), "load staff session", "err", err)
			const msg = "the service is having trouble (its database is not answering); try again in a minute"
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSONError(w, http.StatusServiceUnavailable, msg)
			} else {
				http.Error(w, msg, http.StatusServiceUnavailable)
			}
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// maxFormBody bounds the forms CheckCSRF parses (uploads are not parsed
// here; see CheckCSRF).
const maxFormBody = 1 << 20

// crossOrigin is a second, token-free line of defence: browsers label
// cross-site requests (Sec-Fetch-Site, Origin) and those writes are refused
// before any token is looked at.
var crossOrigin http.CrossOriginProtection

// sameOrigin reports whether a write came from this site (or from a
// non-browser client, which sends neither header and still needs a token).
func sameOrigin(r *http.Request) bool { return crossOrigin.Check(r) == nil }

// CheckCSRF refuses a state-changing request (not GET, HEAD or OPTIONS)
// unless it carries the session's CSRF token: the X-CSRF-Token header
// (JSON API) or the csrf_token form field (pages). A multipart upload must
// send the header, or be mounted without this middleware and check the
// token itself after bounding the body (the roster upload does). It runs
// after RequirePage or RequireAPI.
func CheckCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if safeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		p, ok := FromContext(r.Context())
		got := r.Header.Get("X-CSRF-Token")
		if got == "" && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
			got = r.PostFormValue("csrf_token")
		}
		if !ok || !sameOrigin(r) || !tokensEqual(got, p.CSRFToken) {
			forbidden(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func tokensEqual(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func forbidden(w http.ResponseWriter, r *http.Request) {
	const msg = "This form has expired or did not come from this site. Go back, reload the page and try again."
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSONError(w, http.StatusForbidden, msg)
		return
	}
	http.Error(w, msg, http.StatusForbidden)
}

func writeJSONError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// LocalPath returns p if it is a path on this site, else "/staff": a
// "next" or "back" parameter must never send someone to another host.
func LocalPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.HasPrefix(p, "/\\") || u.Host != "" || u.Scheme != "" {
		return "/staff"
	}
	return p
}
