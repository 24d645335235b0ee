package clientip

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestFrom_BelievesForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	trusted, err := Parse("10.0.0.0/8, 192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"untrusted peer, forged header", "203.0.113.9:4000", []string{"1.2.3.4"}, "203.0.113.9"},
		{"untrusted peer, X-Real-IP", "203.0.113.9:4000", nil, "203.0.113.9"},
		{"trusted proxy", "10.1.2.3:4000", []string{"198.51.100.5"}, "198.51.100.5"},
		{"trusted single address", "192.0.2.7:4000", []string{"198.51.100.5"}, "198.51.100.5"},
		{"client forges left of the proxy", "10.1.2.3:4000", []string{"1.2.3.4, 198.51.100.5, 10.9.9.9"}, "198.51.100.5"},
		{"trusted proxy, no header", "10.1.2.3:4000", nil, "10.1.2.3"},
		{"trusted proxy, garbage", "10.1.2.3:4000", []string{"nonsense"}, "10.1.2.3"},
		{"v4-mapped peer", "[::ffff:203.0.113.9]:4000", []string{"1.2.3.4"}, "203.0.113.9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got string
			h := trusted.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = From(r) }))
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.peer
			r.Header.Set("X-Real-IP", "1.2.3.4")
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != c.want {
				t.Errorf("client IP = %q, want %q", got, c.want)
			}
		})
	}
}

func TestFrom_TrustsNobodyByDefault(t *testing.T) {
	trusted, err := Parse("")
	if err != nil || len(trusted) != 0 {
		t.Fatalf("Parse(\"\") = %v, %v", trusted, err)
	}
	var got string
	h := trusted.Middleware(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = From(r) }))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:5000"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if got != "127.0.0.1" {
		t.Errorf("client IP = %q, want the peer", got)
	}
}

func TestParse_NamesTheBadEntry(t *testing.T) {
	_, err := Parse("10.0.0.0/8, not-an-ip")
	if err == nil || !strings.Contains(err.Error(), "not-an-ip") {
		t.Fatalf("err = %v, want it to name the bad entry", err)
	}
}
