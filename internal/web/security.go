package web

import "net/http"

// securityHeaders go on every link page, on top of the router's (CSP,
// framing, nosniff for every route): no Referer may carry the token in
// the URL to another site, and nothing is cached, since a page shows one
// person's data.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
