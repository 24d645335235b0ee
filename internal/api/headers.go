package api

import (
	"fmt"
	"net/http"
	"time"
)

// contentSecurityPolicy is every response's policy unless a handler sets
// a stricter one (uploaded documents are sandboxed): no script runs at all
// (no page has any), styles and images come from this site, forms post
// only here, and nothing may frame a page.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// securityHeaders puts the browser protections on every route, so a new
// page (or a CSV report, or the import form) cannot be mounted without
// them. hsts > 0 also tells browsers to use HTTPS only, for that long
// (HSTS_MAX_AGE; set it only when the site is served over HTTPS).
func securityHeaders(hsts time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", contentSecurityPolicy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			if hsts > 0 {
				h.Set("Strict-Transport-Security", fmt.Sprintf("max-age=%d; includeSubDomains", int(hsts.Seconds())))
			}
			next.ServeHTTP(w, r)
		})
	}
}
