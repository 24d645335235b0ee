package messaging

import (
	"errors"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/links"
)

// linkOf resolves the link a message carries (nil error: it works).
func (e *env) linkOf(idemKey string) error {
	e.t.Helper()
	var id string
	if err := e.pool.QueryRow(e.ctx, `SELECT link_id::text FROM messages WHERE idem_key = $1`, idemKey).Scan(&id); err != nil {
		e.t.Fatalf("link of %s: %v", idemKey, err)
	}
	tok, err := e.minter.Token(id)
	if err != nil {
		e.t.Fatal(err)
	}
	_, err = e.minter.Resolve(e.ctx, e.pool, tok, time.Now())
	return err
}

// A newer link for the same person and step supersedes the older one only
// when its message goes out: a reminder held for quiet hours, or one
// cancelled because its step closed, leaves the link the person holds
// working. Other steps' links and other people's stay on.
func TestSupersede_WhenTheNewerLinkIsSent_NotWhenQueuedHeldOrCancelled(t *testing.T) {
	e := newEnv(t)
	e.enqueue(e.nudge("survey:r0"))
	other := e.nudge("badge:r0")
	other.Link = &LinkSpec{Action: "upload_badge"}
	e.enqueue(other)
	if st := e.drain(); st.Sent != 2 {
		t.Fatalf("sent %d, want 2", st.Sent)
	}

	// 22:30: the reminder waits for the morning; the invite still works.
	e.clock.Set(time.Date(2027, 6, 15, 22, 30, 0, 0, losAngeles))
	e.enqueue(e.nudge("survey:r1"))
	e.drain()
	if err := e.linkOf("survey:r0"); err != nil {
		t.Fatalf("the invite's link stopped working while the reminder was held: %v", err)
	}
	// A reminder of a closed wait is cancelled, never sent: nothing changes.
	closed := e.nudge("survey:stale")
	closed.Wait, closed.WaitParty = "j:survey-closed", "student"
	e.clock.Set(time.Date(2027, 6, 16, 9, 0, 0, 0, losAngeles))
	e.enqueue(closed)
	e.drain()
	if n := e.count(`SELECT count(*) FROM messages WHERE idem_key = 'survey:stale' AND status = 'cancelled'`); n != 1 {
		t.Fatal("the stale reminder was not cancelled")
	}
	if err := e.linkOf("survey:r0"); !errors.Is(err, links.ErrSuperseded) {
		t.Fatalf("after the morning reminder went out, the invite's link: %v, want superseded", err)
	}
	if err := e.linkOf("survey:r1"); err != nil {
		t.Fatalf("the reminder's link: %v", err)
	}
	if err := e.linkOf("badge:r0"); err != nil {
		t.Fatalf("another step's link was turned off: %v", err)
	}
}
