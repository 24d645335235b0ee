package messaging

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/config"
)

// Message is one rendered message handed to a provider.
type Message struct {
	// OutboxID is the messages row (the digest's lead row for a digest);
	// providers tag the message with it so a resend can be detected.
	OutboxID int64
	Channel  string // "sms" or "email"
	To       string
	Template string
	Subject  string // email only
	Text     string // the SMS body, or the email's plain-text part
	HTML     string // email only
	// ClaimedAt is when the attempt that may have reached the provider
	// started; Find looks for messages sent after it.
	ClaimedAt time.Time
}

// Provider sends messages on one channel. Implementations: Twilio (SMS),
// SendGrid (email) and the local log provider.
type Provider interface {
	// Name is stored as messages.provider ("twilio", "sendgrid", "log").
	Name() string
	// Send hands the message over and returns the provider's message id.
	// Failures are *ProviderError so the dispatcher knows whether to retry.
	Send(ctx context.Context, m Message) (providerID string, err error)
	// Find reports whether an earlier attempt of m already reached the
	// provider (the worker died before recording it), so it is not resent.
	Find(ctx context.Context, m Message) (providerID string, found bool, err error)
}

// Providers is the provider for each channel.
type Providers struct {
	SMS   Provider
	Email Provider
}

// For returns the provider of a channel.
func (p Providers) For(channel string) (Provider, error) {
	switch {
	case channel == ChannelSMS && p.SMS != nil:
		return p.SMS, nil
	case channel == ChannelEmail && p.Email != nil:
		return p.Email, nil
	}
	return nil, fmt.Errorf("no provider for channel %q", channel)
}

// Channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// NewProviders picks Twilio and SendGrid when their keys are configured and
// the local log provider otherwise, so `make run` needs no keys.
func NewProviders(cfg config.Config) (Providers, error) {
	var p Providers
	if cfg.Twilio.AccountSID != "" {
		tw, err := NewTwilio(cfg.Twilio, cfg.BaseURL+"/webhooks/twilio/status", nil)
		if err != nil {
			return Providers{}, err
		}
		p.SMS = tw
	} else {
		p.SMS = newLocal(cfg)
	}
	if cfg.SendGrid.APIKey != "" {
		p.Email = NewSendGrid(cfg.SendGrid, cfg.ProgramName, nil)
	} else {
		p.Email = newLocal(cfg)
	}
	return p, nil
}

// LocalInboxPath is where `internflow dev` serves the local inbox
// (internal/inbox): every message as its recipient got it.
const LocalInboxPath = "/dev/inbox"

// newLocal is the log provider pointing at the local inbox of `dev`.
func newLocal(cfg config.Config) *LogProvider {
	p := NewLogProvider(nil)
	p.InboxURL = cfg.BaseURL + LocalInboxPath
	return p
}

// Failure reasons carried by ProviderError and Undeliverable.
const (
	ReasonInvalid      = "invalid"      // the address does not exist or cannot take texts
	ReasonUnsubscribed = "unsubscribed" // the provider refuses: the person opted out there
	ReasonOptedOut     = "opted_out"    // the person opted out with us (STOP) after enqueue
	ReasonBounced      = "bounced"      // the email bounced
	ReasonSpamReport   = "spamreport"   // the person marked our email as spam
	ReasonFailed       = "failed"       // the provider refused the message itself
)

// ProviderError classifies a failed provider call.
type ProviderError struct {
	// Permanent: retrying cannot help. Reason says why.
	Permanent bool
	// Uncertain: the provider may have accepted the message anyway (a
	// timeout, a dropped connection, a 5xx); the next attempt asks the
	// provider before sending again.
	Uncertain bool
	// Reason for a permanent error: ReasonInvalid, ReasonUnsubscribed or
	// ReasonFailed.
	Reason string
	// Code is the provider's error code or HTTP status.
	Code string
	// RetryAfter is the provider's hint for rate limits (zero if none).
	RetryAfter time.Duration
	// RateLimited marks a 429: the whole channel slows down.
	RateLimited bool
	Err         error
}

func (e *ProviderError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent (" + e.Reason + ")"
	}
	return fmt.Sprintf("provider %s error %s: %v", kind, e.Code, e.Err)
}

func (e *ProviderError) Unwrap() error { return e.Err }

// asProviderError treats anything unclassified (a cancelled context, a
// network error) as uncertain and transient: never dropped, never resent
// blindly.
func asProviderError(err error) *ProviderError {
	var pe *ProviderError
	if errors.As(err, &pe) {
		return pe
	}
	return &ProviderError{Uncertain: true, Code: "error", Err: err}
}
