package messaging

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
	"github.com/twilio/twilio-go/client"

	"github.com/internflow/internflow/internal/config"
)

// Webhooks receives what the providers report: incoming texts, SMS
// delivery status and SendGrid email events. Every request must carry the
// provider's signature; redelivered requests change nothing.
type Webhooks struct {
	pool   *pgxpool.Pool
	outbox *Outbox
	cfg    WebhooksConfig
	twilio *client.RequestValidator
	sgKey  *ecdsa.PublicKey
	log    *slog.Logger
}

// WebhooksConfig configures Webhooks.
type WebhooksConfig struct {
	// BaseURL is the public address Twilio signs (BASE_URL).
	BaseURL string
	// TwilioAuthToken verifies X-Twilio-Signature. It may be set without
	// Twilio sending keys (local runs); empty rejects Twilio webhooks.
	TwilioAuthToken string
	// SendGridPublicKey (base64 ECDSA) verifies signed event webhooks;
	// empty rejects them.
	SendGridPublicKey string
	// OnReply hears about replies that are not keywords.
	OnReply ReplyHook
	// Rejections, if set, counts refused requests (metrics).
	Rejections WebhookRejectionCounter
	Clock      Clock
	Logger     *slog.Logger
}

// NewWebhooksConfig takes the webhook settings from the app config.
func NewWebhooksConfig(c config.Config) WebhooksConfig {
	return WebhooksConfig{BaseURL: c.BaseURL, TwilioAuthToken: c.Twilio.AuthToken,
		SendGridPublicKey: c.SendGrid.WebhookPublicKey}
}

// Reply is an incoming text that is not a keyword, attached to the
// student's timeline for the coordinator.
type Reply struct {
	StudentID string `json:"student_id"`
	JourneyID string `json:"journey_id,omitempty"`
	InboundID int64  `json:"inbound_id"`
}

// ReplyHook is told about each new reply once (redeliveries are ignored).
type ReplyHook interface {
	OnReply(ctx context.Context, r Reply) error
}

// ReplyFunc adapts a function to ReplyHook.
type ReplyFunc func(ctx context.Context, r Reply) error

// OnReply implements ReplyHook.
func (f ReplyFunc) OnReply(ctx context.Context, r Reply) error { return f(ctx, r) }

// NewWebhooks builds the handlers; outbox sends answers to HELP and
// acknowledgements of replies.
func NewWebhooks(pool *pgxpool.Pool, outbox *Outbox, cfg WebhooksConfig) (*Webhooks, error) {
	w := &Webhooks{pool: pool, outbox: outbox, cfg: cfg, log: cfg.Logger}
	if w.log == nil {
		w.log = slog.Default()
	}
	w.log = w.log.With("component", "messaging.webhooks")
	w.cfg.Clock = clockOr(cfg.Clock)
	if cfg.TwilioAuthToken != "" {
		v := client.NewRequestValidator(cfg.TwilioAuthToken)
		w.twilio = &v
	}
	if cfg.SendGridPublicKey != "" {
		key, err := eventwebhook.ConvertPublicKeyBase64ToECDSA(cfg.SendGridPublicKey)
		if err != nil {
			return nil, fmt.Errorf("SENDGRID_WEBHOOK_PUBLIC_KEY: %w", err)
		}
		w.sgKey = key
	}
	return w, nil
}

// Webhook paths; Twilio is configured with BASE_URL + these.
const (
	PathTwilioInbound  = "/webhooks/twilio/inbound"
	PathTwilioStatus   = "/webhooks/twilio/status"
	PathSendGridEvents = "/webhooks/sendgrid/events"
)

// Mount registers the webhook routes.
func (w *Webhooks) Mount(r chi.Router) {
	r.Post(PathTwilioInbound, w.twilioInbound)
	r.Post(PathTwilioStatus, w.twilioStatus)
	r.Post(PathSendGridEvents, w.sendGridEvents)
}

// maxWebhookBody bounds what a webhook reads (SendGrid batches events).
const maxWebhookBody = 4 << 20

// errUnauthorized marks a request that failed signature checks.
var errUnauthorized = errors.New("unauthorized")

// verifyTwilio checks X-Twilio-Signature over BASE_URL + path and the
// form, and returns the form.
func (w *Webhooks) verifyTwilio(r *http.Request) (url.Values, error) {
	if w.twilio == nil {
		return nil, fmt.Errorf("%w: twilio webhooks are not configured", errUnauthorized)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	sig := r.Header.Get("X-Twilio-Signature")
	if sig == "" {
		return nil, fmt.Errorf("%w: missing X-Twilio-Signature", errUnauthorized)
	}
	if !w.twilio.ValidateBody(w.cfg.BaseURL+r.URL.RequestURI(), body, sig) {
		return nil, fmt.Errorf("%w: bad X-Twilio-Signature", errUnauthorized)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, badRequest("malformed form body")
	}
	for _, vs := range form {
		for _, v := range vs {
			if !isText(v) {
				return nil, badRequest("form values must be UTF-8 text without NUL bytes")
			}
		}
	}
	return form, nil
}

// isText reports whether s can be stored as PostgreSQL text.
func isText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// fail answers with {"error": "..."}: 403 for signature problems, 400 for
// malformed input, 500 otherwise (the provider retries those).
func (w *Webhooks) fail(rw http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	var bad badRequest
	var pgErr *pgconn.PgError
	switch {
	case errors.Is(err, errUnauthorized):
		status = http.StatusForbidden
	case errors.As(err, &bad):
		status = http.StatusBadRequest
	case errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, "22"):
		// A data exception (bad encoding, out-of-range value): the input
		// is at fault, and a retry would fail the same way.
		status, err = http.StatusBadRequest, badRequest("a value in the request cannot be stored")
	}
	msg := err.Error()
	if status == http.StatusInternalServerError {
		w.log.ErrorContext(r.Context(), "webhook", "path", r.URL.Path, "err", err)
		msg = "internal error"
	} else {
		w.log.WarnContext(r.Context(), "webhook rejected", "path", r.URL.Path, "status", status, "reason", msg)
		w.countRejection(r.URL.Path, status)
	}
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	_ = json.NewEncoder(rw).Encode(map[string]string{"error": msg})
}

func (w *Webhooks) countRejection(path string, status int) {
	if w.cfg.Rejections == nil {
		return
	}
	provider := "twilio"
	if strings.Contains(path, "/sendgrid/") {
		provider = "sendgrid"
	}
	reason := "malformed"
	if status == http.StatusForbidden {
		reason = "signature"
	}
	w.cfg.Rejections.CountWebhookRejection(provider, reason)
}

// badRequest is a malformed webhook payload.
type badRequest string

func (b badRequest) Error() string { return string(b) }

// emptyTwiML tells Twilio there is nothing to send back.
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response></Response>`

func writeTwiML(rw http.ResponseWriter, body string) {
	rw.Header().Set("Content-Type", "text/xml")
	_, _ = io.WriteString(rw, body)
}
