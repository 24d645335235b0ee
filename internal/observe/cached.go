package observe

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// cached is a read-model figure a scrape serves: read at most once per
// For, bounded by Timeout, so a busy Prometheus (or several replicas
// scraped at once) never loads the database; when the read fails the last
// good value is served and the failure counted. The lock is held across
// the read so concurrent scrapes wait for one read rather than each
// running their own.
type cached[T any] struct {
	what    string // names the figure in the log line
	read    func(ctx context.Context) (T, error)
	For     time.Duration
	Timeout time.Duration
	errors  prometheus.Counter

	mu  sync.Mutex
	at  time.Time
	val T
}

func newCached[T any](what string, read func(ctx context.Context) (T, error), errors prometheus.Counter) *cached[T] {
	return &cached[T]{what: what, read: read, For: 15 * time.Second, Timeout: 2 * time.Second, errors: errors}
}

// get returns the cached value, reading it again when stale.
func (c *cached[T]) get() T {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && time.Since(c.at) < c.For {
		return c.val
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	v, err := c.read(ctx)
	c.at = time.Now()
	if err != nil {
		c.errors.Inc()
		slog.Warn(c.what+": query failed; serving previous figures", "err", err)
		return c.val
	}
	c.val = v
	return v
}
