package messaging

import (
	"fmt"

	"github.com/internflow/internflow/internal/config"
)

// Delivery says, in words, what the configured providers will really do
// with each channel and webhook. NewProviders makes the same choice; the
// start-up banner prints this so nobody believes texts are kept locally
// when they go to real phones, or the reverse.
type Delivery struct {
	SMS, Email, TwilioWebhooks, SendGridWebhooks string
	// Local is true when some channel is kept locally (the local inbox is
	// then the only place to read those messages).
	SMSLocal, EmailLocal bool
}

// DescribeDelivery tells what happens to texts, emails and webhooks
// under cfg.
func DescribeDelivery(cfg config.Config) Delivery {
	var d Delivery
	if cfg.Twilio.AccountSID != "" {
		d.SMS = fmt.Sprintf("sent by Twilio from %s", cfg.Twilio.From)
	} else {
		d.SMS, d.SMSLocal = "NOT sent (no TWILIO_ACCOUNT_SID): kept in the outbox, readable in the local inbox", true
	}
	if cfg.SendGrid.APIKey != "" {
		d.Email = fmt.Sprintf("sent by SendGrid from %s", cfg.SendGrid.From)
	} else {
		d.Email, d.EmailLocal = "NOT sent (no SENDGRID_API_KEY): kept in the outbox, readable in the local inbox", true
	}
	if cfg.Twilio.AuthToken != "" {
		d.TwilioWebhooks = "accepted at " + cfg.BaseURL + PathTwilioInbound + " and " + PathTwilioStatus + " when signed with TWILIO_AUTH_TOKEN"
	} else {
		d.TwilioWebhooks = "refused (no TWILIO_AUTH_TOKEN): replies, STOP and delivery reports are not received"
	}
	if cfg.SendGrid.WebhookPublicKey != "" {
		d.SendGridWebhooks = "accepted at " + cfg.BaseURL + PathSendGridEvents + " when signed (SENDGRID_WEBHOOK_PUBLIC_KEY)"
	} else {
		d.SendGridWebhooks = "refused (no SENDGRID_WEBHOOK_PUBLIC_KEY): bounces are not received"
	}
	return d
}
