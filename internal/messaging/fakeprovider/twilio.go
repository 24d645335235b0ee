package fakeprovider

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/internflow/internflow/internal/config"
)

// Twilio error codes the fake can answer with.
const (
	TwilioInvalidNumber = 21211 // invalid 'To' phone number
	TwilioUnsubscribed  = 21610 // recipient replied STOP to the sender
	TwilioNotMobile     = 21614 // 'To' is not a mobile number
	TwilioBadService    = 21701 // the Messaging Service SID is not this account's
)

// TwilioMessage is a message the fake accepted.
type TwilioMessage struct {
	SID            string
	To, From, Body string
	// MessagingServiceSID is the service the message was sent through
	// (From is then the pool number the fake picked).
	MessagingServiceSID string
	StatusCallback      string
	DateSent            time.Time
}

// Twilio is a fake of the Twilio Messages API:
// POST and GET /2010-04-01/Accounts/{AccountSID}/Messages.json.
type Twilio struct {
	AccountSID string
	AuthToken  string
	// APIKey and APISecret, when set, are accepted instead of the token.
	APIKey, APISecret string
	From              string
	// MessagingServiceSID is the account's Messaging Service; a message
	// sent through it goes out from one of Pool, in turn, as Twilio picks
	// a number of the service's sender pool.
	MessagingServiceSID string
	Pool                []string
	// Now dates accepted messages (time.Now when nil); tests on a fake
	// clock set it so resend lookups by date agree with the dispatcher.
	Now func() time.Time

	srv    *httptest.Server
	faults faults

	mu       sync.Mutex
	msgs     []TwilioMessage
	rejected map[string]int
	posts    int
	pooled   int // messages sent from the pool so far (the next number)
}

// NewTwilio starts a fake with fixed test credentials; Close it when done.
func NewTwilio() *Twilio {
	// Real shapes: the app checks credentials at start.
	f := &Twilio{AccountSID: "AC0123456789abcdef0123456789abcdef", AuthToken: "0123456789abcdef0123456789abcdef",
		From: "+15550001000", MessagingServiceSID: "MG0123456789abcdef0123456789abcdef",
		Pool: []string{"+15550002001", "+15550002002", "+15550002003"}, rejected: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

func (f *Twilio) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// URL is the fake's base URL (in place of https://api.twilio.com).
func (f *Twilio) URL() string { return f.srv.URL }

// Config points internflow's Twilio settings at the fake.
func (f *Twilio) Config() config.TwilioConfig {
	return config.TwilioConfig{AccountSID: f.AccountSID, AuthToken: f.AuthToken, From: f.From, BaseURL: f.srv.URL}
}

// ServiceConfig points internflow at the fake's Messaging Service, with
// no From number.
func (f *Twilio) ServiceConfig() config.TwilioConfig {
	c := f.Config()
	c.From, c.MessagingServiceSID = "", f.MessagingServiceSID
	return c
}

// Close stops the server.
func (f *Twilio) Close() { f.srv.Close() }

// FailNext makes the next n message sends fail with fault.
func (f *Twilio) FailNext(n int, fault Fault) { f.faults.add(n, fault) }

// SetHang bounds how long timeout faults hold a request (default 30 s;
// they end sooner when the client gives up).
func (f *Twilio) SetHang(d time.Duration) { f.faults.hang = d }

// RejectNumber makes every send to number fail with a Twilio error code
// such as TwilioInvalidNumber or TwilioUnsubscribed.
func (f *Twilio) RejectNumber(number string, code int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rejected[number] = code
}

// Messages returns the accepted messages, oldest first.
func (f *Twilio) Messages() []TwilioMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.msgs)
}

// CountTo is how many messages were accepted for a number.
func (f *Twilio) CountTo(number string) int {
	n := 0
	for _, m := range f.Messages() {
		if m.To == number {
			n++
		}
	}
	return n
}

// BodiesTo is the text of each message accepted for a number, oldest first.
func (f *Twilio) BodiesTo(number string) []string {
	var out []string
	for _, m := range f.Messages() {
		if m.To == number {
			out = append(out, m.Body)
		}
	}
	return out
}

// CountsByRecipient maps each number to how many messages it got.
func (f *Twilio) CountsByRecipient() map[string]int {
	out := map[string]int{}
	for _, m := range f.Messages() {
		out[m.To]++
	}
	return out
}

// Posts is how many send requests arrived, failed ones included.
func (f *Twilio) Posts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts
}

var twilioPath = regexp.MustCompile(`^/2010-04-01/Accounts/([^/]+)/Messages\.json$`)

func (f *Twilio) serve(w http.ResponseWriter, r *http.Request) {
	m := twilioPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		twilioError(w, http.StatusNotFound, 20404, "The requested resource was not found")
		return
	}
	user, pass, ok := r.BasicAuth()
	byToken := user == f.AccountSID && pass == f.AuthToken
	byKey := f.APIKey != "" && user == f.APIKey && pass == f.APISecret
	if !ok || !(byToken || byKey) || m[1] != f.AccountSID {
		twilioError(w, http.StatusUnauthorized, 20003, "Authentication Error - invalid username")
		return
	}
	switch r.Method {
	case http.MethodPost:
		f.create(w, r)
	case http.MethodGet:
		f.list(w, r)
	default:
		twilioError(w, http.StatusMethodNotAllowed, 20004, "Method not allowed")
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

func (f *Twilio) create(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.posts++
	f.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		twilioError(w, http.StatusBadRequest, 20001, "bad form")
		return
	}
	msg := TwilioMessage{To: r.PostForm.Get("To"), From: r.PostForm.Get("From"), Body: r.PostForm.Get("Body"),
		MessagingServiceSID: r.PostForm.Get("MessagingServiceSid"), StatusCallback: r.PostForm.Get("StatusCallback"), DateSent: f.now().UTC()}
	switch f.faults.next() {
	case Fault429:
		twilioError(w, http.StatusTooManyRequests, 20429, "Too Many Requests")
		return
	case Fault500:
		twilioError(w, http.StatusInternalServerError, 20500, "Internal Server Error")
		return
	case FaultTimeout:
		f.faults.hangUp(r)
		return
	case FaultAcceptThenTimeout:
		f.accept(msg)
		f.faults.hangUp(r)
		return
	}
	if code, status, text := f.refuse(msg); code != 0 {
		twilioError(w, status, code, text)
		return
	}
	msg = f.accept(msg)
	writeJSON(w, http.StatusCreated, twilioJSON(f.AccountSID, msg))
}

// refuse applies Twilio's validation and the programmed rejections.
func (f *Twilio) refuse(m TwilioMessage) (code, status int, text string) {
	f.mu.Lock()
	rejected := f.rejected[m.To]
	f.mu.Unlock()
	switch {
	case m.Body == "":
		return 21602, http.StatusBadRequest, "Message body is required."
	case m.MessagingServiceSID != "" && m.MessagingServiceSID != f.MessagingServiceSID:
		return TwilioBadService, http.StatusBadRequest, "The Messaging Service Sid is invalid."
	case m.From == "" && m.MessagingServiceSID == "":
		return 21603, http.StatusBadRequest, "A 'From' phone number is required."
	case rejected == TwilioUnsubscribed:
		return rejected, http.StatusBadRequest, "Attempt to send to unsubscribed recipient"
	case rejected == TwilioNotMobile:
		return rejected, http.StatusBadRequest, "'To' number is not a valid mobile number"
	case rejected != 0 || !e164.MatchString(m.To):
		return TwilioInvalidNumber, http.StatusBadRequest, fmt.Sprintf("The 'To' number %s is not a valid phone number.", m.To)
	}
	return 0, 0, ""
}

func (f *Twilio) accept(m TwilioMessage) TwilioMessage {
	m.SID = "SM" + randomHex(16)
	f.mu.Lock()
	if m.From == "" && len(f.Pool) > 0 { // the service picks a number of its pool
		m.From = f.Pool[f.pooled%len(f.Pool)]
		f.pooled++
	}
	f.msgs = append(f.msgs, m)
	f.mu.Unlock()
	return m
}

// list answers GET with filters To, From and DateSent> (RFC 3339 or a
// date), newest first, one page.
func (f *Twilio) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, hasAfter := parseTwilioDate(q.Get("DateSent>"))
	var out []map[string]any
	msgs := f.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if (q.Get("To") != "" && m.To != q.Get("To")) || (q.Get("From") != "" && m.From != q.Get("From")) {
			continue
		}
		if hasAfter && m.DateSent.Before(after) {
			continue
		}
		out = append(out, twilioJSON(f.AccountSID, m))
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": out, "page": 0, "page_size": len(out) + 1,
		"start": 0, "end": len(out), "next_page_uri": nil, "previous_page_uri": nil,
		"first_page_uri": r.URL.RequestURI(), "uri": r.URL.RequestURI()})
}

func parseTwilioDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func twilioJSON(account string, m TwilioMessage) map[string]any {
	date := m.DateSent.Format(time.RFC1123Z)
	return map[string]any{
		"sid": m.SID, "account_sid": account, "to": m.To, "from": m.From, "body": m.Body,
		"status": "queued", "direction": "outbound-api", "num_segments": "1", "num_media": "0",
		"date_created": date, "date_updated": date, "date_sent": date, "api_version": "2010-04-01",
		"error_code": nil, "error_message": nil, "price": nil, "messaging_service_sid": nullable(m.MessagingServiceSID),
		"uri": "/2010-04-01/Accounts/" + account + "/Messages/" + m.SID + ".json",
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func twilioError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg, "status": status,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// SignTwilio computes X-Twilio-Signature for a POST of form to url, as
// Twilio does: HMAC-SHA1 over the URL followed by each param name and
// value in name order, base64.
func SignTwilio(authToken, url string, form url.Values) string {
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(url)
	for _, k := range keys {
		b.WriteString(k + form.Get(k))
	}
	mac := hmac.New(sha1.New, []byte(authToken))
	mac.Write([]byte(b.String()))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// PostSigned posts form to url signed with the fake's auth token, as
// Twilio calls a webhook. publicURL is the address Twilio would have used
// (BASE_URL + path) when it differs from url (a test server).
func (f *Twilio) PostSigned(ctx context.Context, url, publicURL string, form url.Values) (*http.Response, error) {
	if publicURL == "" {
		publicURL = url
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", SignTwilio(f.AuthToken, publicURL, form))
	return http.DefaultClient.Do(req)
}

// InboundForm is the form Twilio posts for an incoming text.
func (f *Twilio) InboundForm(from, body string) url.Values {
	return url.Values{"MessageSid": {"SM" + randomHex(16)}, "AccountSid": {f.AccountSID}, "From": {from},
		"To": {f.From}, "Body": {body}, "NumMedia": {"0"}}
}

// StatusForm is the form Twilio posts to a status callback.
func (f *Twilio) StatusForm(m TwilioMessage, status, errorCode string) url.Values {
	v := url.Values{"MessageSid": {m.SID}, "AccountSid": {f.AccountSID}, "From": {m.From}, "To": {m.To},
		"MessageStatus": {status}, "SmsStatus": {status}}
	if errorCode != "" {
		v.Set("ErrorCode", errorCode)
	}
	return v
}
