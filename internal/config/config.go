// Package config loads internflow's settings from the environment once, with
// local defaults that make `make run` work on a developer machine.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/clientip"
	"github.com/internflow/internflow/internal/codec"
)

// Config is every setting a process needs. It is loaded once in main and
// passed down; nothing else reads the environment.
type Config struct {
	DatabaseURL       string
	TemporalAddress   string
	TemporalNamespace string
	TaskQueue         string
	HTTPAddr          string
	// BaseURL is the public address people open from texts and emails.
	BaseURL string
	// LinkSecret keys the HMAC that derives action-link tokens.
	LinkSecret []byte
	// PayloadKeys seal what goes into Temporal histories (PAYLOAD_KEYS,
	// "id:base64key,..."): the first seals, all of them open.
	PayloadKeys []codec.Key
	LinkTTL     time.Duration
	// SessionSecure marks staff cookies Secure (set it when behind TLS).
	SessionSecure bool
	LogFormat     string // "text" or "json"
	LogLevel      string
	DataDir       string
	// TemporalCLI is the dev server binary `internflow dev` runs.
	TemporalCLI    string
	TemporalUIPort int
	// TemporalUIURL is the Temporal Web UI the staff pages link journeys to.
	TemporalUIURL string
	// CodecCORSOrigin is the Temporal UI origin allowed to call /codec
	// (CODEC_CORS_ORIGIN; default: TEMPORAL_UI_URL's origin).
	CodecCORSOrigin string

	// TimeScale compresses ladder and timer durations (1 = real days; 86400
	// turns a day into a second). Only load tests and demos change it.
	TimeScale float64

	Twilio   TwilioConfig
	SendGrid SendGridConfig
	// SMSPerSecond and EmailPerSecond cap sends per sender.
	SMSPerSecond   float64
	EmailPerSecond float64
	// SMSSegmentPrice is what one SMS segment costs (US dollars), for the
	// estimate staff see before a district-wide message (default Twilio's
	// US list price, $0.0083).
	SMSSegmentPrice float64
	// OutboxLease is how long a send may be in flight before another
	// dispatcher looks it up at the provider (a crashed worker's sends).
	OutboxLease time.Duration
	// TrustedProxies are the load balancers (CIDRs or addresses) whose
	// X-Forwarded-For is believed; empty trusts nobody (see clientip).
	TrustedProxies clientip.Trusted
	// ProgramContact is named in HELP replies and SMS footers.
	ProgramName    string
	ProgramContact string

	// TemporalTLS secures the connection to a Temporal cluster or Temporal
	// Cloud (mTLS or API key); zero means plaintext, as the dev server wants.
	TemporalTLS TemporalTLSConfig
	// MetricsAddr, when set, makes `serve` and `worker` listen there for
	// /metrics, /healthz and /readyz; metrics are served nowhere else
	// (the API keeps /healthz and /readyz on HTTPAddr for probes).
	MetricsAddr string
	// Pprof adds Go's profiler (/debug/pprof/) to the METRICS_ADDR
	// listener (PPROF=true): for a load run or an incident, never on the
	// app's public port.
	Pprof bool
	// HSTS, when positive, sends Strict-Transport-Security with this
	// max-age on every response (HSTS_MAX_AGE, e.g. 8760h; only over HTTPS).
	HSTS time.Duration
	// OTLPEndpoint turns tracing on: spans are exported over OTLP to it.
	// Empty (the default) installs no exporter. The exporter also honours
	// the standard OTEL_EXPORTER_OTLP_* variables (headers, certificates).
	OTLPEndpoint string
	// OTLPProtocol is "http/protobuf" (the OpenTelemetry default) or "grpc".
	OTLPProtocol string
	// ServiceName names this process in traces.
	ServiceName string

	// Worker sizes one worker process; zero keeps the SDK's defaults.
	Worker WorkerConfig

	// OIDC is a single-district install's staff sign-in provider from the
	// environment (OIDC_*); a district's own Sign-in page settings win.
	OIDC OIDCConfig
}

// OIDCConfig is an OpenID Connect provider staff sign in with (Google
// Workspace, Microsoft Entra ID or any standards-compliant issuer).
type OIDCConfig struct {
	Issuer, ClientID, ClientSecret string
	// EmailDomains are the staff addresses it signs in (lower case).
	EmailDomains []string
	// Name is what the button says after "Sign in with" (default: Google,
	// Microsoft, or "your district account").
	Name string
	// EmailClaim is "email" (verified only), or for Entra
	// "preferred_username" or "upn".
	EmailClaim string
	// DistrictID is the district it serves; empty means the only district.
	DistrictID string
	// MagicLink keeps the emailed link as a fallback (default true).
	MagicLink bool
}

// On reports whether OIDC_ISSUER is set.
func (o OIDCConfig) On() bool { return o.Issuer != "" }

// WorkerConfig tunes a worker process (see deploy/SCALING.md). The SDK's
// defaults suit one small district; raise pollers when a worker's task
// queue backlog grows while its CPU is idle.
type WorkerConfig struct {
	// Pollers is the number of long polls kept open for workflow tasks and
	// for activity tasks, each.
	Pollers int
	// MaxActivities bounds activities running at once in this process.
	MaxActivities int
	// CacheSize is how many journeys stay in memory between tasks (the
	// sticky cache, shared by the process); a miss replays the history.
	CacheSize int
}

// TemporalTLSConfig is how a process proves itself to Temporal. Self-hosted
// clusters usually want TLS with a private CA (CAFile) and maybe client
// certificates; Temporal Cloud wants either a client certificate (mTLS) or
// an API key. Certificate values are file paths or inline PEM.
type TemporalTLSConfig struct {
	// Enabled forces TLS even with no other setting (a public CA).
	Enabled    bool
	CertFile   string
	KeyFile    string
	CAFile     string
	ServerName string
	// APIKey authenticates to Temporal Cloud; it implies TLS.
	APIKey string
}

// On reports whether the Temporal connection uses TLS.
func (t TemporalTLSConfig) On() bool {
	return t.Enabled || t.CertFile != "" || t.CAFile != "" || t.ServerName != "" || t.APIKey != ""
}

// TwilioConfig selects the real Twilio provider when AccountSID is set.
type TwilioConfig struct {
	AccountSID string
	// AuthToken verifies Twilio's webhook signatures, and authenticates
	// sends unless an API key is set.
	AuthToken string
	// APIKey and APISecret (optional) authenticate sends instead of the
	// auth token, so the token can stay out of the sending path.
	APIKey    string
	APISecret string
	// From is the one number texts are sent from, unless
	// MessagingServiceSID is set.
	From string
	// MessagingServiceSID (TWILIO_MESSAGING_SERVICE_SID, "MG...") sends
	// through a Twilio Messaging Service instead of From: Twilio picks a
	// number of the service's sender pool (the pool a district registers
	// for A2P 10DLC, or a toll-free number or short code), which takes far
	// more than a long code's 1 text a second. Set SMS_PER_SECOND to
	// what the service allows.
	MessagingServiceSID string
	// BaseURL overrides api.twilio.com (tests point it at a fake).
	BaseURL string
}

// Sender names what texts are sent from: the Messaging Service when one
// is set (its pool picks the number), else the From number.
func (t TwilioConfig) Sender() string {
	if t.MessagingServiceSID != "" {
		return t.MessagingServiceSID
	}
	return t.From
}

// SendGridConfig selects the real SendGrid provider when APIKey is set.
type SendGridConfig struct {
	APIKey string
	From   string
	// WebhookPublicKey verifies signed event webhooks (base64 ECDSA key).
	WebhookPublicKey string
	BaseURL          string
}

// Load reads the environment. A bad value is reported as one error naming
// the variable.
func Load() (Config, error) { return load(os.Getenv) }

func load(getenv func(string) string) (Config, error) {
	e := env{get: getenv}
	c := Config{
		DatabaseURL:       e.str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/internflow?sslmode=disable"),
		TemporalAddress:   e.str("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace: e.str("TEMPORAL_NAMESPACE", "default"),
		TemporalTLS: TemporalTLSConfig{
			Enabled:    e.boolean("TEMPORAL_TLS", false),
			CertFile:   e.str("TEMPORAL_TLS_CERT", ""),
			KeyFile:    e.str("TEMPORAL_TLS_KEY", ""),
			CAFile:     e.str("TEMPORAL_TLS_CA", ""),
			ServerName: e.str("TEMPORAL_TLS_SERVER_NAME", ""),
			APIKey:     e.str("TEMPORAL_API_KEY", ""),
		},
		TaskQueue:      e.str("TEMPORAL_TASK_QUEUE", "internflow"),
		HTTPAddr:       e.str("HTTP_ADDR", "127.0.0.1:8080"),
		BaseURL:        strings.TrimRight(e.str("BASE_URL", "http://127.0.0.1:8080"), "/"),
		LinkSecret:     []byte(e.str("LINK_SECRET", "")),
		LinkTTL:        e.duration("LINK_TTL", 14*24*time.Hour),
		SessionSecure:  e.boolean("SESSION_SECURE", false),
		LogFormat:      e.str("LOG_FORMAT", "text"),
		LogLevel:       e.str("LOG_LEVEL", "info"),
		DataDir:        e.str("DATA_DIR", "data"),
		TemporalCLI:    e.str("TEMPORAL_CLI", "bin/temporal"),
		TemporalUIPort: e.integer("TEMPORAL_UI_PORT", 8233),
		TemporalUIURL:  strings.TrimRight(e.str("TEMPORAL_UI_URL", "http://127.0.0.1:8233"), "/"),
		TimeScale:      e.float("TIME_SCALE", 1),
		Twilio: TwilioConfig{
			AccountSID: e.str("TWILIO_ACCOUNT_SID", ""),
			AuthToken:  e.str("TWILIO_AUTH_TOKEN", ""),
			APIKey:     e.str("TWILIO_API_KEY", ""),
			APISecret:  e.str("TWILIO_API_SECRET", ""),
			From:       e.str("TWILIO_FROM", ""),
			BaseURL:    e.str("TWILIO_BASE_URL", ""),

			MessagingServiceSID: e.str("TWILIO_MESSAGING_SERVICE_SID", ""),
		},
		SendGrid: SendGridConfig{
			APIKey:           e.str("SENDGRID_API_KEY", ""),
			From:             e.str("SENDGRID_FROM", "internships@example.org"),
			WebhookPublicKey: e.str("SENDGRID_WEBHOOK_PUBLIC_KEY", ""),
			BaseURL:          e.str("SENDGRID_BASE_URL", ""),
		},
		SMSPerSecond:    e.float("SMS_PER_SECOND", 1),
		EmailPerSecond:  e.float("EMAIL_PER_SECOND", 10),
		SMSSegmentPrice: e.float("SMS_SEGMENT_PRICE", 0.0083),
		OutboxLease:     e.duration("OUTBOX_LEASE", 2*time.Minute),
		TrustedProxies:  e.proxies("TRUSTED_PROXIES"),
		ProgramName:     e.str("PROGRAM_NAME", "Internships"),
		ProgramContact:  e.str("PROGRAM_CONTACT", "your school's internship coordinator"),
		MetricsAddr:     e.str("METRICS_ADDR", ""),
		Pprof:           e.boolean("PPROF", false),
		HSTS:            e.duration("HSTS_MAX_AGE", 0),
		OTLPEndpoint:    e.str("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", e.str("OTEL_EXPORTER_OTLP_ENDPOINT", "")),
		OTLPProtocol:    e.str("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", e.str("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")),
		ServiceName:     e.str("OTEL_SERVICE_NAME", "internflow"),
		Worker: WorkerConfig{
			Pollers:       e.integer("WORKER_POLLERS", 0),
			MaxActivities: e.integer("WORKER_MAX_ACTIVITIES", 0),
			CacheSize:     e.integer("WORKER_CACHE_SIZE", 0),
		},
	}
	c.PayloadKeys = e.payloadKeys("PAYLOAD_KEYS")
	c.OIDC = OIDCConfig{
		Issuer: strings.TrimRight(e.str("OIDC_ISSUER", ""), "/"), ClientID: e.str("OIDC_CLIENT_ID", ""),
		ClientSecret: e.str("OIDC_CLIENT_SECRET", ""), EmailDomains: e.list("OIDC_EMAIL_DOMAINS"),
		Name: e.str("OIDC_BUTTON_NAME", ""), EmailClaim: e.str("OIDC_EMAIL_CLAIM", "email"),
		DistrictID: e.str("OIDC_DISTRICT_ID", ""), MagicLink: e.boolean("OIDC_MAGIC_LINK", true),
	}
	c.CodecCORSOrigin = strings.TrimRight(e.str("CODEC_CORS_ORIGIN", ""), "/")
	if e.err != nil {
		return Config{}, e.err
	}
	return c, c.validate()
}

func (c Config) validate() error {
	if _, err := url.Parse(c.DatabaseURL); err != nil || !strings.HasPrefix(c.DatabaseURL, "postgres") {
		return errors.New("DATABASE_URL must be a postgres:// URL")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("BASE_URL must be an absolute URL, got %q", c.BaseURL)
	}
	if len(c.LinkSecret) > 0 && len(c.LinkSecret) < 32 {
		return errors.New("LINK_SECRET must be at least 32 characters")
	}
	if o := c.CodecCORSOrigin; o != "" {
		if u, err := url.Parse(o); err != nil || u.Scheme == "" || u.Host == "" || u.Path != "" {
			return fmt.Errorf("CODEC_CORS_ORIGIN must be an origin like https://temporal-ui.example.org (no path), got %q", o)
		}
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("LOG_FORMAT must be text or json, got %q", c.LogFormat)
	}
	if c.TimeScale < 1 {
		return errors.New("TIME_SCALE must be >= 1")
	}
	if c.OutboxLease < 20*time.Second {
		// A send needs its provider timeout (10 s) plus a margin inside the lease.
		return errors.New("OUTBOX_LEASE must be at least 20s")
	}
	if c.SMSPerSecond <= 0 || c.EmailPerSecond <= 0 {
		return errors.New("SMS_PER_SECOND and EMAIL_PER_SECOND must be positive")
	}
	if c.Twilio.AccountSID != "" && (c.Twilio.AuthToken == "" || c.Twilio.Sender() == "") {
		return errors.New("TWILIO_ACCOUNT_SID is set: TWILIO_AUTH_TOKEN and a sender (TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID) are required too")
	}
	if err := c.checkCredentials(); err != nil {
		return err
	}
	if (c.TemporalTLS.CertFile == "") != (c.TemporalTLS.KeyFile == "") {
		return errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (mTLS needs both)")
	}
	if c.Worker.Pollers < 0 || c.Worker.MaxActivities < 0 || c.Worker.CacheSize < 0 {
		return errors.New("WORKER_POLLERS, WORKER_MAX_ACTIVITIES and WORKER_CACHE_SIZE must not be negative (0 keeps the default)")
	}
	if err := c.OIDC.validate(); err != nil {
		return err
	}
	if c.OTLPProtocol != "grpc" && c.OTLPProtocol != "http/protobuf" {
		return fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http/protobuf, got %q", c.OTLPProtocol)
	}
	return nil
}

// CodecOrigin is the browser origin allowed to call /codec: CODEC_CORS_ORIGIN,
// else the origin of TEMPORAL_UI_URL (the UI the staff pages link to).
func (c Config) CodecOrigin() string {
	if c.CodecCORSOrigin != "" {
		return c.CodecCORSOrigin
	}
	u, err := url.Parse(c.TemporalUIURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// DatabaseName is the database part of DatabaseURL.
func (c Config) DatabaseName() string {
	u, err := url.Parse(c.DatabaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

type env struct {
	get func(string) string
	err error
}

func (e *env) str(key, def string) string {
	if v := strings.TrimSpace(e.get(key)); v != "" {
		return v
	}
	return def
}

func (e *env) fail(key, want, got string) {
	if e.err == nil {
		e.err = fmt.Errorf("%s must be %s, got %q", key, want, got)
	}
}

func (e *env) proxies(key string) clientip.Trusted {
	t, err := clientip.Parse(e.str(key, ""))
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("%s must be comma-separated IP addresses or CIDRs: %w", key, err)
	}
	return t
}

func (e *env) payloadKeys(key string) []codec.Key {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return nil
	}
	keys, err := codec.ParseKeys(v)
	if err != nil && e.err == nil {
		e.err = fmt.Errorf("%s: %w (format: id1:base64key,id2:base64key; make a key with `openssl rand -base64 32`)", key, err)
	}
	return keys
}

// list reads a comma-separated list, lower-cased, blanks dropped.
func (e *env) list(key string) []string {
	var out []string
	for _, v := range strings.Split(e.get(key), ",") {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (e *env) integer(key string, def int) int {
	v := e.get(key)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.fail(key, "an integer", v)
	}
	return n
}

func (e *env) float(key string, def float64) float64 {
	v := e.get(key)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		e.fail(key, "a number", v)
	}
	return f
}

func (e *env) boolean(key string, def bool) bool {
	v := e.get(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.fail(key, "true or false", v)
	}
	return b
}

func (e *env) duration(key string, def time.Duration) time.Duration {
	v := e.get(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.fail(key, "a duration like 336h", v)
	}
	return d
}
