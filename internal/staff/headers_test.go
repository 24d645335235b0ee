package staff_test

import (
	"testing"
)

// Every route carries the browser protections, including the ones that
// once sent none: reports (CSV too) and the roster import form.
func TestSecurityHeaders_OnEveryRoute(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn(t, adminEmail)
	for _, path := range []string{"/reports", "/reports/feedback-by-employer.csv", "/admin/import", "/staff", "/no/such/route"} {
		r := admin.Get(path)
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
		} {
			if got := r.Header.Get(header); got != want {
				t.Errorf("GET %s (%d): %s = %q, want %q", path, r.Status, header, got, want)
			}
		}
		if csp := r.Header.Get("Content-Security-Policy"); csp == "" {
			t.Errorf("GET %s (%d): no Content-Security-Policy", path, r.Status)
		}
	}
}
