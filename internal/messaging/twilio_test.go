package messaging

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
)

// With TWILIO_MESSAGING_SERVICE_SID set a text goes through the service
// (no From: Twilio picks a number of the pool); without it, from the one
// number. A send whose answer was lost is found again either way.
func TestTwilio_MessagingServiceWhenConfigured_FromNumberOtherwise(t *testing.T) {
	tw := fakeprovider.NewTwilio()
	defer tw.Close()
	tw.SetHang(2 * time.Second)
	cases := []struct {
		name        string
		cfg         config.TwilioConfig
		wantService string
		fromPool    bool
	}{
		{"messaging service", tw.ServiceConfig(), tw.MessagingServiceSID, true},
		{"one number", tw.Config(), "", false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewTwilio(tc.cfg, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			to := fmt.Sprintf("+155500099%02d", i)
			sid, err := p.Send(t.Context(), Message{Channel: ChannelSMS, To: to, Text: "Your survey: https://x.example/l/1"})
			if err != nil {
				t.Fatalf("send: %v", err)
			}
			var got *fakeprovider.TwilioMessage
			for _, m := range tw.Messages() {
				if m.SID == sid {
					got = &m
				}
			}
			if got == nil {
				t.Fatalf("the fake has no message %s", sid)
			}
			if got.MessagingServiceSID != tc.wantService {
				t.Errorf("sent through service %q, want %q", got.MessagingServiceSID, tc.wantService)
			}
			inPool := got.From != tw.From
			if inPool != tc.fromPool {
				t.Errorf("sent from %s (pool %v), want pool %v", got.From, inPool, tc.fromPool)
			}

			tw.FailNext(1, fakeprovider.FaultAcceptThenTimeout)
			lost := Message{Channel: ChannelSMS, To: to, Text: "Reminder: https://x.example/l/2"}
			short, err := NewTwilio(tc.cfg, "", &http.Client{Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := short.Send(t.Context(), lost); err == nil {
				t.Fatal("a send that timed out reported success")
			}
			if _, found, err := p.Find(t.Context(), lost); err != nil || !found {
				t.Fatalf("the accepted message was not found again: found %v, %v", found, err)
			}
		})
	}
}
