// Package clientip decides who a request came from: the one client
// address used by rate limits, audit logs and signature evidence.
//
// The TCP peer is the client unless it is a trusted proxy (TRUSTED_PROXIES);
// only then is X-Forwarded-For believed, walked right to left past trusted
// hops (chi's ClientIPFromXFF). Nothing else in the app reads forwarding
// headers, so nobody can appear as another address by sending one.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
)

// Trusted is the set of proxies whose forwarding headers are believed.
// The zero value trusts nobody.
type Trusted []netip.Prefix

// Parse reads a comma-separated list of CIDRs or single addresses (the
// TRUSTED_PROXIES setting). Empty means trust nobody.
func Parse(s string) (Trusted, error) {
	var out Trusted
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		if ip, err := netip.ParseAddr(part); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// Middleware records each request's client address for From. Wrap the
// whole HTTP handler with it, outside every other middleware.
func (t Trusted) Middleware(next http.Handler) http.Handler {
	if len(t) == 0 {
		return middleware.ClientIPFromRemoteAddr(next)
	}
	prefixes := make([]string, len(t))
	for i, p := range t {
		prefixes[i] = p.String()
	}
	return middleware.ClientIPFromXFF(prefixes...)(next)
}

// From is the request's client address. Without Middleware (a test's
// bare router), or when a trusted proxy sent no usable header, it is the
// TCP peer: forwarding headers are never read here.
func From(r *http.Request) string {
	if ip := middleware.GetClientIP(r.Context()); ip != "" {
		return ip
	}
	return peer(r.RemoteAddr)
}

func peer(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().WithZone("").String()
	}
	return host
}
