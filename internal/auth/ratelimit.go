package auth

import (
	"sync"
	"time"
)

// Limiter allows Max events per key per Window (a fixed window, per
// process: with several replicas the effective limit is Max per replica,
// still enough to stop a script mailing someone hundreds of links).
type Limiter struct {
	Max    int
	Window time.Duration
	Now    func() time.Time

	mu      sync.Mutex
	windows map[string]*window
	swept   time.Time
}

type window struct {
	start time.Time
	n     int
}

// Allow records an event for key and reports whether it is within limits.
func (l *Limiter) Allow(key string) bool {
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.windows == nil {
		l.windows = map[string]*window{}
	}
	l.sweep(now)
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= l.Window {
		w = &window{start: now}
		l.windows[key] = w
	}
	w.n++
	return w.n <= l.Max
}

// sweep forgets finished windows now and then, so memory stays bounded by
// the keys seen in one window.
func (l *Limiter) sweep(now time.Time) {
	if now.Sub(l.swept) < l.Window {
		return
	}
	l.swept = now
	for k, w := range l.windows {
		if now.Sub(w.start) >= l.Window {
			delete(l.windows, k)
		}
	}
}
