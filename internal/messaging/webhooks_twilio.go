package messaging

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// inboundText is a text someone sent to our number.
type inboundText struct {
	SID, From, Body, Keyword string
}

// sender is who a phone number belongs to.
type sender struct {
	Kind, Ref, StudentID, JourneyID, DistrictID, SchoolID string
}

func (w *Webhooks) twilioInbound(rw http.ResponseWriter, r *http.Request) {
	form, err := w.verifyTwilio(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	in := inboundText{SID: form.Get("MessageSid"), From: form.Get("From"), Body: form.Get("Body")}
	if in.SID == "" {
		in.SID = form.Get("SmsSid")
	}
	if in.SID == "" || in.From == "" {
		w.fail(rw, r, badRequest("MessageSid and From are required"))
		return
	}
	in.Keyword = keywordOf(in.Body)
	reply, err := w.receive(r.Context(), &in)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.log.InfoContext(r.Context(), "inbound text", "keyword", in.Keyword, "from", Redact(in.From),
		"inbound_id", reply.InboundID, "journey_id", reply.JourneyID)
	if reply.InboundID != 0 && in.Keyword == "" && reply.StudentID != "" && w.cfg.OnReply != nil {
		if err := w.cfg.OnReply.OnReply(r.Context(), reply); err != nil {
			// The reply is stored and listed for staff either way.
			w.log.ErrorContext(r.Context(), "reply hook", "inbound_id", reply.InboundID, "err", err)
		}
	}
	writeTwiML(rw, emptyTwiML)
}

// receive stores the text once (by MessageSid) and, in the same
// transaction, acts on a keyword or acknowledges a reply. A redelivered
// text returns a zero Reply. YES is settled here (see yesMeans), so
// in.Keyword is what the text was taken for.
func (w *Webhooks) receive(ctx context.Context, in *inboundText) (Reply, error) {
	var out Reply
	err := pgx.BeginFunc(ctx, w.pool, func(tx pgx.Tx) error {
		who, err := findSender(ctx, tx, in.From)
		if err != nil {
			return err
		}
		if in.Keyword == keywordYes {
			if in.Keyword, err = yesMeans(ctx, tx, in.From); err != nil {
				return err
			}
		}
		var kind, ref string
		if who.Kind == "student" || who.Kind == "guardian" {
			kind, ref = who.Kind, who.Ref
		}
		out.InboundID, err = store.RecordInboundText(ctx, tx, store.InboundText{ProviderID: in.SID, From: in.From, Body: in.Body,
			Keyword: in.Keyword, StudentID: who.StudentID, JourneyID: who.JourneyID, ReceivedAt: w.cfg.Clock.Now(),
			SenderKind: kind, SenderRef: ref})
		if err != nil {
			return fmt.Errorf("store inbound text: %w", err)
		}
		if out.InboundID == 0 {
			return nil // seen before: nothing to do again
		}
		out.StudentID, out.JourneyID = who.StudentID, who.JourneyID
		if in.Keyword == "" {
			return w.acknowledge(ctx, tx, *in, who, out.InboundID)
		}
		return w.actOnKeyword(ctx, tx, *in, who)
	})
	return out, err
}

// yesMeans settles a YES (or SÍ): it opts back in a number that opted out
// (CTIA lists YES as an opt-in word), and is a reply like any other
// otherwise ("yes" is also how students answer questions).
func yesMeans(ctx context.Context, tx pgx.Tx, phone string) (string, error) {
	optedOut, err := store.TextOptedOut(ctx, tx, phone)
	if err != nil {
		return "", fmt.Errorf("opt-out of a YES: %w", err)
	}
	if optedOut {
		return keywordStart, nil
	}
	return "", nil
}

func (w *Webhooks) actOnKeyword(ctx context.Context, tx pgx.Tx, in inboundText, who sender) error {
	switch in.Keyword {
	case keywordStop:
		// Twilio sends the carrier's confirmation; we only stop texting.
		return flagContact(ctx, tx, ChannelSMS, in.From, optoutStopKeyword, "replied "+strings.ToUpper(strings.TrimSpace(in.Body)))
	case keywordStart:
		err := store.OptBackIn(ctx, tx, in.From)
		if err != nil {
			return fmt.Errorf("opt back in: %w", err)
		}
	case keywordHelp:
		return w.answerHelp(ctx, tx, in, who)
	case keywordHome:
		return w.answerHome(ctx, tx, in, who)
	}
	return nil
}

// answerHelp texts whoever asked the program's name and who helps them
// (their school's coordinator, with a phone or email), in their language.
func (w *Webhooks) answerHelp(ctx context.Context, tx pgx.Tx, in inboundText, who sender) error {
	if who.Ref == "" || w.outbox == nil {
		w.log.WarnContext(ctx, "HELP from an unknown number: not answered", "from", Redact(in.From))
		return nil
	}
	return w.answerText(ctx, tx, who, "help:"+in.SID, "contact_help")
}

// findSender matches a phone to a student (else a guardian), preferring
// one with an open journey; siblings may share a phone.
func findSender(ctx context.Context, tx pgx.Tx, phone string) (sender, error) {
	found, err := store.FindTextSender(ctx, tx, phone)
	if err != nil {
		return sender{}, fmt.Errorf("find sender: %w", err)
	}
	return sender(found), nil
}

func (w *Webhooks) twilioStatus(rw http.ResponseWriter, r *http.Request) {
	form, err := w.verifyTwilio(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ev := statusEvent{Provider: "twilio", ProviderID: form.Get("MessageSid"), Event: form.Get("MessageStatus"),
		ErrorCode: form.Get("ErrorCode"), Address: form.Get("To"), Channel: ChannelSMS}
	if ev.ProviderID == "" || ev.Event == "" {
		w.fail(rw, r, badRequest("MessageSid and MessageStatus are required"))
		return
	}
	ev.EventID = ev.ProviderID + ":" + ev.Event
	ev.Status, ev.Reason = twilioStatus(ev.Event, ev.ErrorCode)
	if ev.Reason == ReasonInvalid || ev.Reason == ReasonUnsubscribed {
		ev.Flag = ev.Reason // the number itself is the problem: stop texting it
	}
	if err := applyStatusEvent(r.Context(), w.pool, ev, w.cfg.Clock.Now()); err != nil {
		w.fail(rw, r, err)
		return
	}
	rw.WriteHeader(http.StatusNoContent)
}

// twilioStatus maps a Twilio MessageStatus (and error code) to our status
// and, for a failure, the reason.
func twilioStatus(status, code string) (string, string) {
	switch status {
	case "sent":
		return "sent", ""
	case "delivered", "read":
		return "delivered", ""
	case "undelivered", "failed":
		switch code {
		case "30005", "30006", "21211", "21612", "21614":
			return "undeliverable", ReasonInvalid
		case "21610":
			return "undeliverable", ReasonUnsubscribed
		}
		return "failed", ReasonFailed
	}
	return "", "" // queued, accepted, sending: nothing we track
}
