package messaging

import (
	"time"
	// Time zones must resolve on a minimal container image too.
	_ "time/tzdata"
)

// Clock tells the time; tests pass a fake one to cross quiet hours,
// leases and digest days without waiting.
type Clock interface {
	Now() time.Time
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now implements Clock.
func (SystemClock) Now() time.Time { return time.Now() }

func clockOr(c Clock) Clock {
	if c == nil {
		return SystemClock{}
	}
	return c
}

// location loads a time zone, falling back to UTC for a name the system
// does not know (a bad roster value must not stop a message).
func location(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// QuietHours is the local window in which no SMS is sent: from Start
// o'clock until End o'clock (21 and 8 by default; it may wrap midnight).
// Start == End means no quiet hours.
type QuietHours struct {
	Start, End int
}

// quiet reports whether local hour h falls in the window.
func (q QuietHours) quiet(h int) bool {
	switch {
	case q.Start == q.End:
		return false
	case q.Start < q.End:
		return h >= q.Start && h < q.End
	default:
		return h >= q.Start || h < q.End
	}
}

// NextAllowed returns t when t is outside quiet hours in loc, else the
// next End o'clock in loc: a nudge due at night goes out in the morning,
// never dropped.
func (q QuietHours) NextAllowed(t time.Time, loc *time.Location) time.Time {
	local := t.In(loc)
	if !q.quiet(local.Hour()) {
		return t
	}
	next := time.Date(local.Year(), local.Month(), local.Day(), q.End, 0, 0, 0, loc)
	if !next.After(local) {
		next = time.Date(local.Year(), local.Month(), local.Day()+1, q.End, 0, 0, 0, loc)
	}
	return next
}
