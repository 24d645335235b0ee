package messaging

import (
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging/fakeprovider"
)

// Every path that logs (sends, retries, permanent errors, reconciliation,
// webhooks) runs here; the log must not contain a phone number, an email
// address, a name or a message body.
func TestLogs_NeverContainFullAddressesNamesOrBodies(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	e.enqueue(e.nudge("n1"))
	e.employerEmail("m1")
	e.tw.FailNext(1, fakeprovider.Fault500)
	e.drain()
	e.clock.Advance(2 * time.Minute)
	e.drain()
	e.sg.RejectAddress(samEmail)
	e.timesheetApproval("ts:Emma", "Emma")
	e.clock.Advance(20 * time.Minute)
	e.drain()
	h.text(emmaPhone, "Hi this is Emma Rivera, my email is emma@example.org")
	h.text(anaPhone, "HELP")
	h.text(emmaPhone, "STOP")
	e.drain()

	logs := e.logs.String()
	if !strings.Contains(logs, "outbox_id") || !strings.Contains(logs, "inbound text") {
		t.Fatalf("expected log lines are missing:\n%s", logs)
	}
	for _, secret := range []string{emmaPhone, anaPhone, emmaEmail, hrEmail, samEmail, "Emma", "Rivera", "Ana",
		"Ms. Lopez", "survey is still waiting", "/l/"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q", secret)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log(logs)
	}
}
