package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sendgrid/rest"
	"github.com/sendgrid/sendgrid-go"
	"github.com/sendgrid/sendgrid-go/helpers/mail"

	"github.com/internflow/internflow/internal/config"
)

// SendGrid sends email through the SendGrid v3 mail send API with
// sendgrid-go. Every mail carries custom_args.outbox_id so Find can ask the
// Email Activity API whether an attempt already went out.
type SendGrid struct {
	cfg      config.SendGridConfig
	fromName string
	client   *rest.Client
}

// NewSendGrid builds the email provider. fromName is the display name
// (the program's name); httpClient may be nil (15 s timeout).
func NewSendGrid(cfg config.SendGridConfig, fromName string, httpClient *http.Client) *SendGrid {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	return &SendGrid{cfg: cfg, fromName: fromName, client: &rest.Client{HTTPClient: httpClient}}
}

// Name implements Provider.
func (s *SendGrid) Name() string { return "sendgrid" }

// Send posts one mail; SendGrid answers 202 with the id in X-Message-Id.
func (s *SendGrid) Send(ctx context.Context, m Message) (string, error) {
	msg := mail.NewV3MailInit(mail.NewEmail(s.fromName, s.cfg.From), m.Subject, mail.NewEmail("", m.To),
		mail.NewContent("text/plain", m.Text), mail.NewContent("text/html", m.HTML))
	msg.SetCustomArg("outbox_id", strconv.FormatInt(m.OutboxID, 10))
	req := sendgrid.GetRequest(s.cfg.APIKey, "/v3/mail/send", s.cfg.BaseURL)
	req.Method = rest.Post
	req.Body = mail.GetRequestBody(msg)
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		return "", &ProviderError{Uncertain: true, Code: "network", Err: err}
	}
	if resp.StatusCode >= 300 {
		return "", classifySendGrid(resp)
	}
	if id := firstHeader(resp.Headers, "X-Message-Id"); id != "" {
		return id, nil
	}
	// Accepted without an id: record our own so the row still says "sent".
	return "outbox-" + strconv.FormatInt(m.OutboxID, 10), nil
}

// checkCredentials reads the key's scopes: harmless, refused (401/403)
// for a wrong key, and it tells whether the key may send mail.
func (s *SendGrid) checkCredentials(ctx context.Context) error {
	req := sendgrid.GetRequest(s.cfg.APIKey, "/v3/scopes", s.cfg.BaseURL)
	req.Method = rest.Get
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%w: SendGrid refused SENDGRID_API_KEY (HTTP %d)", errRefused, resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("sendgrid scopes: HTTP %d", resp.StatusCode)
	}
	var body struct {
		Scopes []string `json:"scopes"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		return fmt.Errorf("sendgrid scopes: %w", err)
	}
	for _, sc := range body.Scopes {
		if sc == "mail.send" {
			return nil
		}
	}
	return fmt.Errorf("%w: SENDGRID_API_KEY may not send mail (it lacks the Mail Send permission)", errRefused)
}

// Find queries the Email Activity API for a mail tagged with the outbox id.
func (s *SendGrid) Find(ctx context.Context, m Message) (string, bool, error) {
	req := sendgrid.GetRequest(s.cfg.APIKey, "/v3/messages", s.cfg.BaseURL)
	req.Method = rest.Get
	req.QueryParams = map[string]string{
		"query": fmt.Sprintf(`unique_args['outbox_id']="%d"`, m.OutboxID),
		"limit": "10",
	}
	resp, err := s.client.SendWithContext(ctx, req)
	if err != nil {
		return "", false, &ProviderError{Uncertain: true, Code: "network", Err: err}
	}
	if resp.StatusCode != http.StatusOK {
		pe := classifySendGrid(resp)
		pe.Permanent = false
		return "", false, pe
	}
	var body struct {
		Messages []struct {
			MsgID string `json:"msg_id"`
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		return "", false, &ProviderError{Uncertain: true, Code: "decode", Err: fmt.Errorf("sendgrid activity: %w", err)}
	}
	if len(body.Messages) == 0 {
		return "", false, nil
	}
	// Activity ids carry a suffix after the X-Message-Id ("<id>.filter...").
	id, _, _ := strings.Cut(body.Messages[0].MsgID, ".")
	return id, true, nil
}

func classifySendGrid(resp *rest.Response) *ProviderError {
	pe := &ProviderError{Code: strconv.Itoa(resp.StatusCode), Err: fmt.Errorf("sendgrid %d: %s", resp.StatusCode, sendGridMessage(resp.Body))}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		pe.RateLimited = true
		pe.RetryAfter = sendGridRetryAfter(resp.Headers)
	case resp.StatusCode >= 500:
		pe.Uncertain = true
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		// A key problem: retry until an operator fixes it.
	case resp.StatusCode == http.StatusBadRequest && badAddress(resp.Body):
		pe.Permanent, pe.Reason = true, ReasonInvalid
	default:
		pe.Permanent, pe.Reason = true, ReasonFailed
	}
	return pe
}

type sendGridErrors struct {
	Errors []struct {
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"errors"`
}

// badAddress reports whether a 400 is about the recipient's address.
func badAddress(body string) bool {
	var e sendGridErrors
	if json.Unmarshal([]byte(body), &e) != nil {
		return false
	}
	for _, x := range e.Errors {
		if strings.Contains(x.Field, ".to") || strings.Contains(strings.ToLower(x.Message), "valid address") {
			return true
		}
	}
	return false
}

// sendGridMessage keeps the provider's error text but not the body, which
// for a bad address echoes the address.
func sendGridMessage(body string) string {
	var e sendGridErrors
	if json.Unmarshal([]byte(body), &e) != nil || len(e.Errors) == 0 {
		return "unexpected response"
	}
	return e.Errors[0].Field + ": " + e.Errors[0].Message
}

func sendGridRetryAfter(h map[string][]string) time.Duration {
	if reset, err := strconv.ParseInt(firstHeader(h, "X-Ratelimit-Reset"), 10, 64); err == nil {
		if d := time.Until(time.Unix(reset, 0)); d > 0 {
			return d
		}
	}
	if secs, err := strconv.Atoi(firstHeader(h, "Retry-After")); err == nil {
		return time.Duration(secs) * time.Second
	}
	return 0
}

func firstHeader(h map[string][]string, key string) string {
	v := http.Header(h).Values(key)
	if len(v) == 0 {
		return ""
	}
	return v[0]
}
