package messaging

import (
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/testenv"
)

// The banner must say what really happens: with SendGrid configured,
// emails are sent (issue 26 found it claiming they were not).
func TestDescribeDelivery_SaysWhatReallyHappens(t *testing.T) {
	tw, sg := fakeprovider.NewTwilio(), fakeprovider.NewSendGrid()
	defer tw.Close()
	defer sg.Close()

	onlySendGrid := config.Config{BaseURL: "https://in.example.org", SendGrid: sg.Config()}
	d := DescribeDelivery(onlySendGrid)
	if !strings.HasPrefix(d.Email, "sent by SendGrid from internships@example.org") || d.EmailLocal {
		t.Errorf("SendGrid configured, banner says emails: %q", d.Email)
	}
	if !strings.Contains(d.SMS, "NOT sent") || !strings.Contains(d.SMS, "TWILIO_ACCOUNT_SID") || !d.SMSLocal {
		t.Errorf("no Twilio, banner says texts: %q", d.SMS)
	}
	if !strings.Contains(d.TwilioWebhooks, "refused") || !strings.Contains(d.SendGridWebhooks, "refused") {
		t.Errorf("unsigned webhooks cannot work: %q / %q", d.TwilioWebhooks, d.SendGridWebhooks)
	}

	both := config.Config{BaseURL: "https://in.example.org", Twilio: tw.Config(), SendGrid: sg.Config()}
	both.SendGrid.WebhookPublicKey = "key"
	d = DescribeDelivery(both)
	if d.SMS != "sent by Twilio from +15550001000" || d.SMSLocal {
		t.Errorf("Twilio configured, banner says texts: %q", d.SMS)
	}
	if !strings.Contains(d.TwilioWebhooks, "https://in.example.org/webhooks/twilio/inbound") ||
		!strings.Contains(d.SendGridWebhooks, "https://in.example.org/webhooks/sendgrid/events") {
		t.Errorf("webhook lines should name the URLs to configure: %q / %q", d.TwilioWebhooks, d.SendGridWebhooks)
	}

	d = DescribeDelivery(config.Config{})
	if !d.SMSLocal || !d.EmailLocal || !strings.Contains(d.Email, "NOT sent") {
		t.Errorf("no keys: everything local, got %+v", d)
	}
}

// Sends authenticate with an API key when one is set (the auth token
// then only verifies webhooks).
func TestTwilio_SendsWithAPIKey(t *testing.T) {
	tw := fakeprovider.NewTwilio()
	defer tw.Close()
	tw.APIKey, tw.APISecret = "SK0123456789abcdef0123456789abcdef", "apisecret0123456789abcdefABCDEF01"
	cfg := tw.Config()
	cfg.AuthToken = "ffffffffffffffffffffffffffffffff" // wrong: the key must be what is used
	cfg.APIKey, cfg.APISecret = tw.APIKey, tw.APISecret
	p, err := NewTwilio(cfg, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Send(t.Context(), Message{Channel: ChannelSMS, To: "+15550009999", Text: "hi"}); err != nil {
		t.Fatalf("send with API key: %v", err)
	}
	if n := len(tw.Messages()); n != 1 {
		t.Fatalf("fake got %d messages", n)
	}
}

// A well-formed but wrong credential stops the worker at start with one
// line naming the variables; right ones pass; an unreachable provider
// only warns (the dispatcher retries).
func TestCheckProviders_WrongCredentialsFailAtStart(t *testing.T) {
	tw, sg := fakeprovider.NewTwilio(), fakeprovider.NewSendGrid()
	defer tw.Close()
	defer sg.Close()
	providers := func(twc config.TwilioConfig, sgc config.SendGridConfig) Providers {
		p, err := NewTwilio(twc, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		return Providers{SMS: p, Email: NewSendGrid(sgc, "Internships", nil)}
	}
	if err := CheckProviders(t.Context(), providers(tw.Config(), sg.Config()), nil); err != nil {
		t.Fatalf("right credentials: %v", err)
	}
	wrongToken := tw.Config()
	wrongToken.AuthToken = "ffffffffffffffffffffffffffffffff"
	err := CheckProviders(t.Context(), providers(wrongToken, sg.Config()), nil)
	if err == nil || !strings.Contains(err.Error(), "TWILIO_AUTH_TOKEN") || strings.Contains(err.Error(), "\n") ||
		strings.Contains(err.Error(), wrongToken.AuthToken) {
		t.Fatalf("wrong Twilio token: %v, want one line naming TWILIO_AUTH_TOKEN (without it)", err)
	}
	wrongKey := sg.Config()
	wrongKey.APIKey = "SG.wrong.key"
	if err := CheckProviders(t.Context(), providers(tw.Config(), wrongKey), nil); err == nil || !strings.Contains(err.Error(), "SENDGRID_API_KEY") {
		t.Fatalf("wrong SendGrid key: %v, want an error naming SENDGRID_API_KEY", err)
	}
	down := tw.Config()
	down.BaseURL = "http://127.0.0.1:1"
	logs := &testenv.LogBuffer{}
	if err := CheckProviders(t.Context(), providers(down, sg.Config()), slogTo(logs)); err != nil {
		t.Fatalf("unreachable Twilio stopped the start: %v", err)
	}
	if !strings.Contains(logs.String(), "not checked at start") {
		t.Fatalf("no warning for an unreachable provider:\n%s", logs)
	}
}
