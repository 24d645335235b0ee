package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"
)

const (
	goodSID   = "AC0123456789abcdef0123456789abcdef"
	goodToken = "0123456789abcdef0123456789abcdef"
)

func loadWith(vars map[string]string) (Config, error) {
	return load(func(k string) string { return vars[k] })
}

func TestLoad_ProviderCredentials_GoodShapesStart(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := loadWith(map[string]string{
		"TWILIO_ACCOUNT_SID": goodSID, "TWILIO_AUTH_TOKEN": goodToken, "TWILIO_FROM": "+15550001000",
		"TWILIO_API_KEY": "SK0123456789abcdef0123456789abcdef", "TWILIO_API_SECRET": "secret01",
		"SENDGRID_API_KEY":            "SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop_-1",
		"SENDGRID_WEBHOOK_PUBLIC_KEY": base64.StdEncoding.EncodeToString(der),
	})
	if err != nil {
		t.Fatalf("well-formed credentials refused: %v", err)
	}
	if c.Twilio.APIKey == "" || c.Twilio.APISecret != "secret01" {
		t.Fatalf("API key not loaded: %+v", c.Twilio)
	}
}

// A Messaging Service is a sender on its own: no From number is needed,
// and with neither the process does not start.
func TestLoad_TwilioSender_MessagingServiceOrFromNumber(t *testing.T) {
	const service = "MG0123456789abcdef0123456789abcdef"
	c, err := loadWith(map[string]string{"TWILIO_ACCOUNT_SID": goodSID, "TWILIO_AUTH_TOKEN": goodToken,
		"TWILIO_MESSAGING_SERVICE_SID": service, "SMS_PER_SECOND": "100"})
	if err != nil {
		t.Fatalf("messaging service without a from number refused: %v", err)
	}
	if c.Twilio.Sender() != service || c.SMSPerSecond != 100 {
		t.Fatalf("sender %q at %v/s, want the service at 100/s", c.Twilio.Sender(), c.SMSPerSecond)
	}
	_, err = loadWith(map[string]string{"TWILIO_ACCOUNT_SID": goodSID, "TWILIO_AUTH_TOKEN": goodToken})
	if err == nil || !strings.Contains(err.Error(), "TWILIO_MESSAGING_SERVICE_SID") || !strings.Contains(err.Error(), "TWILIO_FROM") {
		t.Fatalf("no sender: %v", err)
	}
}

// A bad credential stops the process at start with one line that names
// the variable and never prints the secret itself.
func TestLoad_ProviderCredentials_BadShapeNamesTheVariable(t *testing.T) {
	twilio := map[string]string{"TWILIO_ACCOUNT_SID": goodSID, "TWILIO_AUTH_TOKEN": goodToken, "TWILIO_FROM": "+15550001000"}
	cases := []struct {
		name, key, value string
		base             map[string]string
	}{
		{"token with hyphens (a UUID pasted)", "TWILIO_AUTH_TOKEN", "01234567-89ab-cdef-0123-456789abcdef", twilio},
		{"token with uppercase", "TWILIO_AUTH_TOKEN", "0123456789ABCDEF0123456789ABCDEF", twilio},
		{"token too short", "TWILIO_AUTH_TOKEN", "0123456789abcdef", twilio},
		{"token alone (webhooks only) still checked", "TWILIO_AUTH_TOKEN", "not-a-token-at-all-0123456789abcd", nil},
		{"account sid without AC", "TWILIO_ACCOUNT_SID", "0123456789abcdef0123456789abcdef", twilio},
		{"account sid is an API key", "TWILIO_ACCOUNT_SID", "SK0123456789abcdef0123456789abcdef", twilio},
		{"API key that is an account sid", "TWILIO_API_KEY", goodSID, twilio},
		{"API secret with a hyphen", "TWILIO_API_SECRET", "abc-def", map[string]string{"TWILIO_API_KEY": "SK0123456789abcdef0123456789abcdef"}},
		{"from number without +", "TWILIO_FROM", "5550001000", twilio},
		{"messaging service sid that is a phone number", "TWILIO_MESSAGING_SERVICE_SID", "+15550001000", twilio},
		{"messaging service sid with uppercase", "TWILIO_MESSAGING_SERVICE_SID", "MG0123456789ABCDEF0123456789ABCDEF", twilio},
		{"SendGrid key without SG.", "SENDGRID_API_KEY", "abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOP", nil},
		{"SendGrid key with one part", "SENDGRID_API_KEY", "SG.abcdefghijklmnopqrstuv", nil},
		{"SendGrid key with a space", "SENDGRID_API_KEY", "SG.abc def.ghi", nil},
		{"webhook key that does not parse", "SENDGRID_WEBHOOK_PUBLIC_KEY", "bm90IGEga2V5", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vars := map[string]string{}
			for k, v := range tc.base {
				vars[k] = v
			}
			vars[tc.key] = tc.value
			_, err := loadWith(vars)
			if err == nil {
				t.Fatalf("%s=%q accepted", tc.key, tc.value)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.key+" ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q: want one line starting with %s", msg, tc.key)
			}
			if len(tc.value) > 8 && strings.Contains(msg, tc.value) && tc.key != "TWILIO_FROM" {
				t.Fatalf("error %q prints the secret", msg)
			}
		})
	}
	_, err := loadWith(map[string]string{"TWILIO_API_KEY": "SK0123456789abcdef0123456789abcdef"})
	if err == nil || !strings.Contains(err.Error(), "TWILIO_API_SECRET") {
		t.Fatalf("API key without secret: %v", err)
	}
}
