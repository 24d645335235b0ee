package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/twilio/twilio-go/client"
	twilioapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/internflow/internflow/internal/config"
)

// Twilio sends SMS through the Twilio Messages API with twilio-go.
type Twilio struct {
	cfg            config.TwilioConfig
	statusCallback string
	http           *http.Client
	// base replaces https://api.twilio.com (tests point it at a fake).
	base *url.URL
}

// NewTwilio builds the SMS provider. statusCallbackURL is where Twilio
// reports delivery; httpClient may be nil (10 s timeout).
func NewTwilio(cfg config.TwilioConfig, statusCallbackURL string, httpClient *http.Client) (*Twilio, error) {
	if cfg.AccountSID == "" || cfg.AuthToken == "" || cfg.Sender() == "" {
		return nil, errors.New("twilio: account sid, auth token and a from number or messaging service are required")
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 10 * time.Second}
	}
	t := &Twilio{cfg: cfg, statusCallback: statusCallbackURL, http: httpClient}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("twilio base url %q: not an absolute URL", cfg.BaseURL)
		}
		t.base = u
	}
	return t, nil
}

// Name implements Provider.
func (t *Twilio) Name() string { return "twilio" }

// Send creates a Twilio message.
func (t *Twilio) Send(ctx context.Context, m Message) (string, error) {
	p := &twilioapi.CreateMessageParams{}
	p.SetTo(m.To)
	t.setSender(p)
	p.SetBody(m.Text)
	if t.statusCallback != "" {
		p.SetStatusCallback(t.statusCallback)
	}
	msg, err := t.api(ctx).CreateMessage(p)
	if err != nil {
		return "", classifyTwilio(err)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		return "", &ProviderError{Uncertain: true, Code: "no_sid", Err: errors.New("twilio accepted the message without a sid")}
	}
	return *msg.Sid, nil
}

// setSender sends through the Messaging Service when one is configured
// (Twilio then picks a number of its pool; a From would override the
// pool), else from the one number.
func (t *Twilio) setSender(p *twilioapi.CreateMessageParams) {
	if t.cfg.MessagingServiceSID != "" {
		p.SetMessagingServiceSid(t.cfg.MessagingServiceSID)
		return
	}
	p.SetFrom(t.cfg.From)
}

// findSkew allows for clock differences between us and Twilio.
const findSkew = 5 * time.Minute

// Find lists recent messages to the same number and matches the body,
// which is deterministic for an outbox row (same params, same link).
// Through a Messaging Service the sending number is whichever of the pool
// Twilio chose, so only the recipient narrows the list.
func (t *Twilio) Find(ctx context.Context, m Message) (string, bool, error) {
	p := &twilioapi.ListMessageParams{}
	p.SetTo(m.To)
	if t.cfg.MessagingServiceSID == "" {
		p.SetFrom(t.cfg.From)
	}
	if !m.ClaimedAt.IsZero() {
		p.SetDateSentAfter(m.ClaimedAt.Add(-findSkew).UTC())
	}
	p.SetLimit(100)
	msgs, err := t.api(ctx).ListMessage(p)
	if err != nil {
		pe := classifyTwilio(err)
		pe.Permanent = false // a failed lookup is never a verdict on the message
		return "", false, pe
	}
	for _, x := range msgs {
		if x.Body != nil && *x.Body == m.Text && x.Sid != nil {
			return *x.Sid, true, nil
		}
	}
	return "", false, nil
}

// checkCredentials lists one message: harmless, and refused (401) when
// the account SID, auth token or API key is wrong.
func (t *Twilio) checkCredentials(ctx context.Context) error {
	p := &twilioapi.ListMessageParams{}
	p.SetPageSize(1)
	p.SetLimit(1)
	_, err := t.api(ctx).ListMessage(p)
	var re *client.TwilioRestError
	if errors.As(err, &re) && (re.Status == http.StatusUnauthorized || re.Status == http.StatusForbidden) {
		vars := "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN"
		if t.cfg.APIKey != "" {
			vars = "TWILIO_ACCOUNT_SID, TWILIO_API_KEY and TWILIO_API_SECRET"
		}
		return fmt.Errorf("%w: Twilio refused %s (error %d: %s)", errRefused, vars, re.Code, re.Message)
	}
	return err
}

// api builds a service bound to ctx: twilio-go has no context parameter,
// so the transport attaches it (and the base URL override) to each request.
func (t *Twilio) api(ctx context.Context) *twilioapi.ApiService {
	hc := &http.Client{
		Transport:     &twilioTransport{ctx: ctx, base: t.base, next: t.transport()},
		Timeout:       t.http.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	user, pass := t.cfg.AccountSID, t.cfg.AuthToken
	if t.cfg.APIKey != "" {
		user, pass = t.cfg.APIKey, t.cfg.APISecret
	}
	c := &client.Client{Credentials: client.NewCredentials(user, pass), HTTPClient: hc}
	c.SetAccountSid(t.cfg.AccountSID)
	return twilioapi.NewApiServiceWithClient(c)
}

func (t *Twilio) transport() http.RoundTripper {
	if t.http.Transport != nil {
		return t.http.Transport
	}
	return http.DefaultTransport
}

type twilioTransport struct {
	ctx  context.Context
	base *url.URL
	next http.RoundTripper
}

func (tr *twilioTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(tr.ctx)
	if tr.base != nil {
		r.URL.Scheme, r.URL.Host, r.Host = tr.base.Scheme, tr.base.Host, tr.base.Host
	}
	return tr.next.RoundTrip(r)
}

// Twilio error codes that say the number can never take our texts.
var twilioContactCodes = map[int]string{
	21211: ReasonInvalid,      // invalid 'To' number
	21614: ReasonInvalid,      // 'To' is not a mobile number
	21612: ReasonInvalid,      // cannot route to this number
	21408: ReasonInvalid,      // region not enabled for this number
	21610: ReasonUnsubscribed, // recipient replied STOP to our number
}

func classifyTwilio(err error) *ProviderError {
	var re *client.TwilioRestError
	if !errors.As(err, &re) {
		// Timeouts, refused connections and undecodable bodies: the request
		// may or may not have been accepted.
		return &ProviderError{Uncertain: true, Code: "network", Err: err}
	}
	pe := &ProviderError{Code: strconv.Itoa(re.Code), Err: fmt.Errorf("twilio %d: %s", re.Code, re.Message)}
	if re.Code == 0 {
		pe.Code = strconv.Itoa(re.Status)
	}
	switch {
	case re.Status == http.StatusTooManyRequests:
		pe.RateLimited = true
	case re.Status >= 500:
		pe.Uncertain = true
	case re.Status == http.StatusUnauthorized || re.Status == http.StatusForbidden:
		// Wrong credentials are an operator's problem: keep the message and
		// retry until someone fixes the keys.
	case twilioContactCodes[re.Code] != "":
		pe.Permanent, pe.Reason = true, twilioContactCodes[re.Code]
	case re.Status >= 400:
		pe.Permanent, pe.Reason = true, ReasonFailed
	default:
		pe.Uncertain = true
	}
	return pe
}
