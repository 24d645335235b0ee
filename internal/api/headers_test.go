package api

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// HSTS is an option (HSTS_MAX_AGE): off by default, on every route when set.
func TestSecurityHeaders_HSTSOnlyWhenConfigured(t *testing.T) {
	for _, c := range []struct {
		hsts time.Duration
		want string
	}{{0, ""}, {365 * 24 * time.Hour, "max-age=31536000; includeSubDomains"}} {
		h := (&Server{HSTS: c.hsts}).Routes()
		for _, path := range []string{"/healthz", "/no/such/route"} {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if got := rec.Header().Get("Strict-Transport-Security"); got != c.want {
				t.Errorf("HSTS %v, GET %s: %q, want %q", c.hsts, path, got, c.want)
			}
			if rec.Header().Get("X-Frame-Options") != "DENY" || rec.Header().Get("Content-Security-Policy") == "" {
				t.Errorf("GET %s: no frame or CSP header: %v", path, rec.Header())
			}
		}
	}
}
