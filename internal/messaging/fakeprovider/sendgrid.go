package fakeprovider

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/internflow/internflow/internal/config"
)

// SendGridMessage is an email the fake accepted.
type SendGridMessage struct {
	ID         string // the X-Message-Id
	To         string
	From       string
	Subject    string
	Text, HTML string
	CustomArgs map[string]string
}

// SendGrid is a fake of SendGrid's v3 mail send API (POST /v3/mail/send)
// and the Email Activity API (GET /v3/messages?query=...).
type SendGrid struct {
	APIKey string

	srv    *httptest.Server
	faults faults

	mu       sync.Mutex
	msgs     []SendGridMessage
	rejected map[string]bool
	posts    int
}

// NewSendGrid starts a fake with a fixed test key; Close it when done.
func NewSendGrid() *SendGrid {
	f := &SendGrid{APIKey: "SG.fake-key-id.fake-key-secret_0123456789", rejected: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// URL is the fake's base URL (in place of https://api.sendgrid.com).
func (f *SendGrid) URL() string { return f.srv.URL }

// Config points internflow's SendGrid settings at the fake. Set
// WebhookPublicKey from an EventSigner to test the event webhook.
func (f *SendGrid) Config() config.SendGridConfig {
	return config.SendGridConfig{APIKey: f.APIKey, From: "internships@example.org", BaseURL: f.srv.URL}
}

// Close stops the server.
func (f *SendGrid) Close() { f.srv.Close() }

// FailNext makes the next n mail sends fail with fault.
func (f *SendGrid) FailNext(n int, fault Fault) { f.faults.add(n, fault) }

// SetHang bounds how long timeout faults hold a request.
func (f *SendGrid) SetHang(d time.Duration) { f.faults.hang = d }

// RejectAddress makes sends to address fail with 400 "does not contain a
// valid address".
func (f *SendGrid) RejectAddress(address string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected[strings.ToLower(address)] = true
}

// Messages returns the accepted emails, oldest first.
func (f *SendGrid) Messages() []SendGridMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.msgs)
}

// CountTo is how many emails were accepted for an address.
func (f *SendGrid) CountTo(address string) int {
	n := 0
	for _, m := range f.Messages() {
		if strings.EqualFold(m.To, address) {
			n++
		}
	}
	return n
}

// Posts is how many send requests arrived, failed ones included.
func (f *SendGrid) Posts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts
}

func (f *SendGrid) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+f.APIKey {
		sendGridError(w, http.StatusUnauthorized, "", "The provided authorization grant is invalid, expired, or revoked")
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/v3/mail/send":
		f.send(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v3/messages":
		f.activity(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/v3/scopes":
		writeJSON(w, http.StatusOK, map[string]any{"scopes": []string{"mail.send", "messages.read"}})
	default:
		sendGridError(w, http.StatusNotFound, "", "not found")
	}
}

// mailBody is the part of the v3 mail send body the fake reads.
type mailBody struct {
	Personalizations []struct {
		To []struct {
			Email string `json:"email"`
		} `json:"to"`
		CustomArgs map[string]string `json:"custom_args"`
	} `json:"personalizations"`
	From struct {
		Email string `json:"email"`
	} `json:"from"`
	Subject string `json:"subject"`
	Content []struct {
		Type  string `json:"type"`
		Value string `json:"value"`
	} `json:"content"`
	CustomArgs map[string]string `json:"custom_args"`
}

func (f *SendGrid) send(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.posts++
	f.mu.Unlock()
	var b mailBody
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil || len(b.Personalizations) == 0 ||
		len(b.Personalizations[0].To) == 0 {
		sendGridError(w, http.StatusBadRequest, "personalizations", "The personalizations field is required.")
		return
	}
	msg := parseMail(b)
	switch f.faults.next() {
	case Fault429:
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Second).Unix(), 10))
		sendGridError(w, http.StatusTooManyRequests, "", "too many requests")
		return
	case Fault500:
		sendGridError(w, http.StatusInternalServerError, "", "internal error")
		return
	case FaultTimeout:
		f.faults.hangUp(r)
		return
	case FaultAcceptThenTimeout:
		f.accept(msg)
		f.faults.hangUp(r)
		return
	}
	f.mu.Lock()
	bad := f.rejected[strings.ToLower(msg.To)] || !strings.Contains(msg.To, "@")
	f.mu.Unlock()
	if bad {
		sendGridError(w, http.StatusBadRequest, "personalizations.0.to.0.email", "Does not contain a valid address.")
		return
	}
	msg = f.accept(msg)
	w.Header().Set("X-Message-Id", msg.ID)
	w.WriteHeader(http.StatusAccepted)
}

func parseMail(b mailBody) SendGridMessage {
	m := SendGridMessage{To: b.Personalizations[0].To[0].Email, From: b.From.Email, Subject: b.Subject,
		CustomArgs: map[string]string{}}
	for _, c := range b.Content {
		switch c.Type {
		case "text/plain":
			m.Text = c.Value
		case "text/html":
			m.HTML = c.Value
		}
	}
	for k, v := range b.CustomArgs {
		m.CustomArgs[k] = v
	}
	for k, v := range b.Personalizations[0].CustomArgs {
		m.CustomArgs[k] = v
	}
	return m
}

func (f *SendGrid) accept(m SendGridMessage) SendGridMessage {
	m.ID = randomHex(11)
	f.mu.Lock()
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
	return m
}

var activityQuery = regexp.MustCompile(`unique_args\['([^']+)'\]\s*=\s*"([^"]*)"`)

// activity answers the Email Activity query unique_args['key']="value".
func (f *SendGrid) activity(w http.ResponseWriter, r *http.Request) {
	m := activityQuery.FindStringSubmatch(r.URL.Query().Get("query"))
	if m == nil {
		sendGridError(w, http.StatusBadRequest, "query", "invalid query")
		return
	}
	out := []map[string]any{}
	for _, msg := range f.Messages() {
		if msg.CustomArgs[m[1]] == m[2] {
			out = append(out, map[string]any{"msg_id": msg.ID + ".filterdrecv-fake.0", "from_email": msg.From,
				"to_email": msg.To, "subject": msg.Subject, "status": "delivered", "opens_count": 0, "clicks_count": 0})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": out})
}

func sendGridError(w http.ResponseWriter, status int, field, msg string) {
	e := map[string]any{"message": msg, "help": nil}
	if field != "" {
		e["field"] = field
	}
	writeJSON(w, status, map[string]any{"errors": []any{e}})
}

// Event builds a SendGrid event webhook entry for an accepted email, as
// SendGrid would post it (custom args included at the top level).
func (f *SendGrid) Event(m SendGridMessage, event string) map[string]any {
	e := map[string]any{"email": m.To, "event": event, "timestamp": time.Now().Unix(),
		"sg_event_id": randomHex(11), "sg_message_id": m.ID + ".filterdrecv-fake.0"}
	for k, v := range m.CustomArgs {
		e[k] = v
	}
	return e
}

// EventSigner signs event webhook requests as SendGrid does: ECDSA P-256
// over the timestamp followed by the body.
type EventSigner struct {
	key *ecdsa.PrivateKey
}

// NewEventSigner makes a fresh key pair.
func NewEventSigner() *EventSigner {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err) // the system's randomness failed: nothing can work
	}
	return &EventSigner{key: k}
}

// PublicKey is the base64 DER public key (SENDGRID_WEBHOOK_PUBLIC_KEY).
func (s *EventSigner) PublicKey() string {
	der, _ := x509.MarshalPKIXPublicKey(&s.key.PublicKey)
	return base64.StdEncoding.EncodeToString(der)
}

// Sign returns the signature and timestamp headers for body sent at t.
func (s *EventSigner) Sign(body []byte, t time.Time) (signature, timestamp string) {
	timestamp = strconv.FormatInt(t.Unix(), 10)
	h := sha256.Sum256(append([]byte(timestamp), body...))
	sig, err := ecdsa.SignASN1(rand.Reader, s.key, h[:])
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig), timestamp
}

// Post sends events to url signed at time t.
func (s *EventSigner) Post(ctx context.Context, url string, events []map[string]any, t time.Time) (*http.Response, error) {
	body, err := json.Marshal(events)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	sig, ts := s.Sign(body, t)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Twilio-Email-Event-Webhook-Signature", sig)
	req.Header.Set("X-Twilio-Email-Event-Webhook-Timestamp", ts)
	return http.DefaultClient.Do(req)
}
