package fakeprovider

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
	"github.com/twilio/twilio-go/client"
)

// Other packages sign webhook requests with these helpers; the providers'
// own SDKs must accept them.
func TestSignTwilio_AcceptedByTwilioValidator(t *testing.T) {
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+15555550101"}, "Body": {"STOP"}}
	u := "https://intern.example.org/webhooks/twilio/inbound"
	v := client.NewRequestValidator("token123")
	if !v.ValidateBody(u, []byte(form.Encode()), SignTwilio("token123", u, form)) {
		t.Fatal("twilio-go rejects SignTwilio's signature")
	}
	if v.ValidateBody(u, []byte(form.Encode()), SignTwilio("other", u, form)) {
		t.Fatal("a signature with another token was accepted")
	}
}

func TestEventSigner_VerifiedBySendGridHelper(t *testing.T) {
	s := NewEventSigner()
	key, err := eventwebhook.ConvertPublicKeyBase64ToECDSA(s.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal([]map[string]any{{"event": "delivered"}})
	sig, ts := s.Sign(body, time.Now())
	if ok, err := eventwebhook.VerifySignature(key, body, sig, ts); err != nil || !ok {
		t.Fatalf("sendgrid-go rejects EventSigner's signature: %v", err)
	}
	if ok, _ := eventwebhook.VerifySignature(key, append(body, ' '), sig, ts); ok {
		t.Fatal("a changed body verified")
	}
}
