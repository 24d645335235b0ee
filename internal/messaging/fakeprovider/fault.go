// Package fakeprovider runs local HTTP servers that speak the parts of the
// Twilio Messages API and the SendGrid v3 API internflow uses, so tests
// drive the real SDKs (twilio-go, sendgrid-go) end to end without network
// access. Each fake counts what it accepted per recipient and can be told
// to fail: rate limits, server errors, timeouts and permanent refusals.
//
// Typical use:
//
//	tw := fakeprovider.NewTwilio()
//	defer tw.Close()
//	cfg.Twilio = tw.Config()        // point the app's Twilio provider at it
//	tw.FailNext(2, fakeprovider.Fault429)
//	tw.RejectNumber("+15555550199", fakeprovider.TwilioInvalidNumber)
//	... run the dispatcher ...
//	if tw.CountTo("+15555550101") != 1 { ... }
package fakeprovider

import (
	"net/http"
	"sync"
	"time"
)

// Fault is a programmed failure of the next requests that send a message.
type Fault int

// Faults.
const (
	// Fault429 answers 429 Too Many Requests; nothing is accepted.
	Fault429 Fault = iota + 1
	// Fault500 answers 500; nothing is accepted.
	Fault500
	// FaultTimeout never answers (until the client gives up); nothing is
	// accepted.
	FaultTimeout
	// FaultAcceptThenTimeout accepts the message, then never answers: the
	// client cannot tell it went out. Exactly-once tests use it.
	FaultAcceptThenTimeout
)

// faults is a queue of programmed failures shared by both fakes.
type faults struct {
	mu    sync.Mutex
	queue []Fault
	// hang is how long a timeout fault holds the request at most.
	hang time.Duration
}

func (f *faults) add(n int, fault Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.queue = append(f.queue, fault)
	}
}

func (f *faults) next() Fault {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.queue) == 0 {
		return 0
	}
	x := f.queue[0]
	f.queue = f.queue[1:]
	return x
}

// hangUp holds the request until the client disconnects (or hang passes).
func (f *faults) hangUp(r *http.Request) {
	d := f.hang
	if d == 0 {
		d = 30 * time.Second
	}
	select {
	case <-r.Context().Done():
	case <-time.After(d):
	}
}
