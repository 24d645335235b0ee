package web

import (
	"encoding/hex"
	"github.com/internflow/internflow/internal/clientip"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/time/rate"

	"github.com/internflow/internflow/internal/links"
)

// Limits bound how fast one client address, and one link, may use the
// pages: enough for a person tapping through a form, too little to guess
// tokens or to hammer a journey. Buckets live in memory, per replica.
type Limits struct {
	PerIP     rate.Limit
	IPBurst   int
	PerLink   rate.Limit
	LinkBurst int
	// NewLinkEvery spaces "send me a new link" requests for one link, so
	// the button cannot be used to flood someone with texts.
	NewLinkEvery time.Duration
}

// DefaultLimits: 60 requests a minute per address (bursts of 30), 20 a
// minute per link (bursts of 10), one new link per link every 2 minutes.
var DefaultLimits = Limits{
	PerIP: rate.Every(time.Second), IPBurst: 30,
	PerLink: rate.Every(3 * time.Second), LinkBurst: 10,
	NewLinkEvery: 2 * time.Minute,
}

func (l Limits) orDefaults() Limits {
	if l.PerIP == 0 || l.IPBurst == 0 {
		l.PerIP, l.IPBurst = DefaultLimits.PerIP, DefaultLimits.IPBurst
	}
	if l.PerLink == 0 || l.LinkBurst == 0 {
		l.PerLink, l.LinkBurst = DefaultLimits.PerLink, DefaultLimits.LinkBurst
	}
	if l.NewLinkEvery == 0 {
		l.NewLinkEvery = DefaultLimits.NewLinkEvery
	}
	return l
}

// limiter is a set of token buckets by key; idle buckets are swept.
type limiter struct {
	limits    Limits
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(l Limits) *limiter {
	return &limiter{limits: l, buckets: map[string]*bucket{}, lastSweep: time.Now()}
}

// allow takes a token from key's bucket (created full on first use).
func (l *limiter) allow(key string, every rate.Limit, burst int) bool {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(every, burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// sweep drops buckets idle long enough to have refilled completely.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if now.Sub(b.seen) > 10*time.Minute {
			delete(l.buckets, k)
		}
	}
	l.lastSweep = now
}

// rateLimit refuses a request (429, with a page saying to wait) when its
// client address or its link has used up its bucket. The link's bucket
// is keyed by the token's hash, never the token.
func (p *Pages) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ipOK := p.limiter.allow("ip:"+clientip.From(r), p.Limits.PerIP, p.Limits.IPBurst)
		linkKey := "link:" + hex.EncodeToString(links.HashToken(chi.URLParam(r, "token")))
		if !ipOK || !p.limiter.allow(linkKey, p.Limits.PerLink, p.Limits.LinkBurst) {
			w.Header().Set("Retry-After", "60")
			c := &call{lang: p.language(r, links.Link{})}
			p.renderStatus(w, r, c, http.StatusTooManyRequests, "too_many")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allowNewLink spaces new-link requests for one link.
func (p *Pages) allowNewLink(linkID string) bool {
	return p.limiter.allow("new:"+linkID, rate.Every(p.Limits.NewLinkEvery), 1)
}
