package config

import (
	"fmt"
	"regexp"

	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
)

// Provider credentials have fixed shapes. Checking them at start turns a
// pasted token with a stray hyphen or a missing part into one line naming
// the variable, instead of a worker that starts and then fails every send.
// The messages never echo the value: these are secrets.
var (
	twilioSID    = regexp.MustCompile(`^AC[0-9a-f]{32}$`)
	twilioToken  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	twilioAPIKey = regexp.MustCompile(`^SK[0-9a-f]{32}$`)
	twilioMGSID  = regexp.MustCompile(`^MG[0-9a-f]{32}$`)
	sendGridKey  = regexp.MustCompile(`^SG\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$`)
	// twilio-go refuses a password with anything but letters and digits.
	twilioSecret = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	e164         = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// checkCredentials checks the shape of every provider credential that is
// set; an unset one keeps its provider local.
func (c Config) checkCredentials() error {
	tw, sg := c.Twilio, c.SendGrid
	checks := []struct {
		key, value string
		re         *regexp.Regexp
		want       string
	}{
		{"TWILIO_ACCOUNT_SID", tw.AccountSID, twilioSID, `"AC" followed by 32 lowercase hex characters (Twilio console, Account Info)`},
		{"TWILIO_AUTH_TOKEN", tw.AuthToken, twilioToken, "32 lowercase hex characters (Twilio console, Account Info)"},
		{"TWILIO_API_KEY", tw.APIKey, twilioAPIKey, `"SK" followed by 32 lowercase hex characters (an API key's SID)`},
		{"TWILIO_API_SECRET", tw.APISecret, twilioSecret, "the API key's secret: letters and digits only"},
		{"TWILIO_FROM", tw.From, e164, "a phone number in E.164 form like +15551234567"},
		{"TWILIO_MESSAGING_SERVICE_SID", tw.MessagingServiceSID, twilioMGSID, `"MG" followed by 32 lowercase hex characters (Twilio console, Messaging Services)`},
		{"SENDGRID_API_KEY", sg.APIKey, sendGridKey, `a SendGrid API key: "SG." then two parts separated by a dot`},
	}
	for _, ch := range checks {
		if ch.value != "" && !ch.re.MatchString(ch.value) {
			return fmt.Errorf("%s must be %s; the value set (%d characters) is not", ch.key, ch.want, len(ch.value))
		}
	}
	if tw.APIKey != "" && tw.APISecret == "" {
		return fmt.Errorf("TWILIO_API_KEY is set: TWILIO_API_SECRET is required too")
	}
	if sg.WebhookPublicKey != "" {
		if _, err := eventwebhook.ConvertPublicKeyBase64ToECDSA(sg.WebhookPublicKey); err != nil {
			return fmt.Errorf("SENDGRID_WEBHOOK_PUBLIC_KEY must be the base64 public key from SendGrid's Signed Event Webhook settings; it does not parse: %v", err)
		}
	}
	return nil
}
