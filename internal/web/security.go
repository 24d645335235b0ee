package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// securityHeaders go on every link page. No script may run at all (the
// pages have none), nothing may frame them, and no Referer may carry the
// token in the URL to another site; nothing is cached, since a page shows
// one person's data.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

type peerKey struct{}

// KeepPeerAddr remembers the TCP peer's address before any middleware
// rewrites r.RemoteAddr from client-supplied headers (the API router uses
// chi's RealIP, which believes X-Forwarded-For from anyone). Wrap the
// whole HTTP handler with it; the link pages then decide for themselves
// which forwarded addresses to trust (Pages.TrustedProxies).
func KeepPeerAddr(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), peerKey{}, r.RemoteAddr)))
	})
}

// clientIP is the address recorded as signature evidence and used as the
// rate-limit key. It is the TCP peer, unless the peer is a trusted proxy:
// then X-Forwarded-For is walked right to left, past trusted hops, and the
// first untrusted address is the client (the rule of chi's
// ClientIPFromXFF). Without trusted proxies a forwarded header is ignored,
// so nobody can sign as another address by sending one.
func (p *Pages) clientIP(r *http.Request) string {
	peer, ok := parseAddr(peerAddr(r))
	if !ok {
		return ""
	}
	if !inPrefixes(peer, p.TrustedProxies) {
		return peer.String()
	}
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for k := len(parts) - 1; k >= 0; k-- {
			ip, ok := parseAddr(strings.TrimSpace(parts[k]))
			if !ok {
				return peer.String() // garbage in the chain: trust nothing left of it
			}
			if !inPrefixes(ip, p.TrustedProxies) {
				return ip.String()
			}
		}
	}
	return peer.String()
}

// peerAddr is the connection's address as KeepPeerAddr saw it.
func peerAddr(r *http.Request) string {
	if v, ok := r.Context().Value(peerKey{}).(string); ok {
		return v
	}
	return r.RemoteAddr
}

func parseAddr(s string) (netip.Addr, bool) {
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return ip.Unmap().WithZone(""), true
}

func inPrefixes(ip netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ParseTrustedProxies reads a comma-separated list of CIDRs (for a
// TRUSTED_PROXIES setting).
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
