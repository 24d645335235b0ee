package messaging

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sendgrid/sendgrid-go/helpers/eventwebhook"
)

// maxEventAge rejects signed requests older (or newer) than this: a
// captured request cannot be replayed later.
const maxEventAge = 5 * time.Minute

func (w *Webhooks) sendGridEvents(rw http.ResponseWriter, r *http.Request) {
	body, err := w.verifySendGrid(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var events []sendGridEvent
	if !utf8.Valid(body) || bytes.Contains(body, []byte(`\u0000`)) {
		w.fail(rw, r, badRequest("events must be UTF-8 text without NUL characters"))
		return
	}
	if err := json.Unmarshal(body, &events); err != nil {
		w.fail(rw, r, badRequest("body must be a JSON array of events"))
		return
	}
	for _, e := range events {
		if err := applyStatusEvent(r.Context(), w.pool, e.statusEvent(), w.cfg.Clock.Now()); err != nil {
			w.fail(rw, r, err) // SendGrid retries the batch; applied events are skipped then
			return
		}
	}
	rw.WriteHeader(http.StatusNoContent)
}

// verifySendGrid checks the signed event webhook: an ECDSA P-256
// signature over timestamp + body, and a fresh timestamp.
func (w *Webhooks) verifySendGrid(r *http.Request) ([]byte, error) {
	if w.sgKey == nil {
		return nil, fmt.Errorf("%w: sendgrid webhooks are not configured", errUnauthorized)
	}
	sig, ts := r.Header.Get(eventwebhook.VerificationHTTPHeader), r.Header.Get(eventwebhook.TimestampHTTPHeader)
	if sig == "" || ts == "" {
		return nil, fmt.Errorf("%w: unsigned request", errUnauthorized)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: bad timestamp", errUnauthorized)
	}
	if age := w.cfg.Clock.Now().Sub(time.Unix(sec, 0)); age > maxEventAge || age < -maxEventAge {
		return nil, fmt.Errorf("%w: timestamp outside %s (replayed?)", errUnauthorized, maxEventAge)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if ok, err := eventwebhook.VerifySignature(w.sgKey, body, sig, ts); err != nil || !ok {
		return nil, fmt.Errorf("%w: bad signature", errUnauthorized)
	}
	return body, nil
}

// sendGridEvent is one event of SendGrid's event webhook; our custom arg
// outbox_id comes back at the top level.
type sendGridEvent struct {
	Email       string      `json:"email"`
	Event       string      `json:"event"`
	SgEventID   string      `json:"sg_event_id"`
	SgMessageID string      `json:"sg_message_id"`
	Reason      string      `json:"reason"`
	Type        string      `json:"type"`
	OutboxID    stringOrNum `json:"outbox_id"`
	Timestamp   json.Number `json:"timestamp"`
}

// stringOrNum accepts "12" or 12.
type stringOrNum string

func (s *stringOrNum) UnmarshalJSON(b []byte) error {
	*s = stringOrNum(strings.Trim(string(b), `"`))
	return nil
}

func (e sendGridEvent) statusEvent() statusEvent {
	ev := statusEvent{Provider: "sendgrid", EventID: e.SgEventID, Event: e.Event, Channel: ChannelEmail,
		Address: strings.ToLower(strings.TrimSpace(e.Email))}
	// sg_message_id is the X-Message-Id plus a suffix after a dot.
	ev.ProviderID, _, _ = strings.Cut(e.SgMessageID, ".")
	ev.MessageID, _ = strconv.ParseInt(string(e.OutboxID), 10, 64)
	if ev.EventID == "" {
		h := sha256.Sum256([]byte(e.SgMessageID + "|" + e.Event + "|" + e.Timestamp.String() + "|" + e.Email))
		ev.EventID = "h:" + hex.EncodeToString(h[:16])
	}
	ev.Status, ev.Reason, ev.Flag = sendGridOutcome(e.Event, e.Type, e.Reason)
	return ev
}

// sendGridOutcome maps an event to our status, the failure reason and the
// contact flag to record. A bounced address is marked bad so the next
// message falls back to another channel.
func sendGridOutcome(event, bounceType, reason string) (status, why, flag string) {
	switch event {
	case "delivered":
		return "delivered", "", ""
	case "bounce":
		if bounceType == "blocked" { // the receiving server refused us, not the address
			return "failed", ReasonFailed, ""
		}
		return "undeliverable", ReasonBounced, ReasonBounced
	case "dropped":
		r := strings.ToLower(reason)
		switch {
		case strings.Contains(r, "bounce"):
			return "undeliverable", ReasonBounced, ReasonBounced
		case strings.Contains(r, "unsubscribe"):
			return "undeliverable", ReasonUnsubscribed, ReasonUnsubscribed
		case strings.Contains(r, "spam"):
			return "undeliverable", ReasonSpamReport, ReasonSpamReport
		case strings.Contains(r, "invalid"):
			return "undeliverable", ReasonInvalid, ReasonInvalid
		}
		return "failed", ReasonFailed, ""
	case "spamreport":
		return "", "", ReasonSpamReport
	case "unsubscribe", "group_unsubscribe":
		return "", "", ReasonUnsubscribed
	}
	return "", "", "" // processed, deferred, open, click
}
