package messaging

import (
	"context"
	"sync"
	"time"
)

// pacer spaces sends evenly at a fixed rate. It keeps an absolute
// schedule, so sleeps that overshoot are made up by the next callers, but
// never by more than burst: a pause is not followed by a flood.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
	burst    time.Duration
}

func newPacer(perSecond float64) *pacer {
	if perSecond <= 0 {
		perSecond = 1
	}
	interval := time.Duration(float64(time.Second) / perSecond)
	return &pacer{interval: interval, burst: max(20*time.Millisecond, 2*interval)}
}

// Wait blocks until the caller may send one message.
func (p *pacer) Wait(ctx context.Context) error {
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if floor := now.Add(-p.burst); at.Before(floor) {
		at = floor
	}
	p.next = at.Add(p.interval)
	p.mu.Unlock()
	d := time.Until(at)
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Pause holds every sender on the channel back for d (a 429 says the
// provider wants fewer requests, not just a retry of one).
func (p *pacer) Pause(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if until := time.Now().Add(d); until.After(p.next) {
		p.next = until
	}
}
