package messaging

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

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

// credentialChecker is a provider that can prove its credentials with a
// harmless call (no message is sent).
type credentialChecker interface {
	checkCredentials(ctx context.Context) error
}

// errRefused marks credentials a provider refused outright.
var errRefused = errors.New("credentials refused")

// CheckProviders makes each configured provider's harmless call at start,
// so a well-formed but wrong key stops the worker with one line naming
// the variable instead of failing every message. A provider that cannot
// be reached (network, 5xx) is only logged: the dispatcher retries.
func CheckProviders(ctx context.Context, p Providers, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	for _, prov := range []Provider{p.SMS, p.Email} {
		c, ok := prov.(credentialChecker)
		if !ok {
			continue
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := c.checkCredentials(cctx)
		cancel()
		switch {
		case errors.Is(err, errRefused):
			return err
		case err != nil:
			log.WarnContext(ctx, "provider credentials not checked at start (provider unreachable); sends will retry",
				"provider", prov.Name(), "err", err)
		}
	}
	return nil
}
