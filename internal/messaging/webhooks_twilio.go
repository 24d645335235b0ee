package messaging

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"
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
		err = tx.QueryRow(ctx, `INSERT INTO inbound_messages (provider_id, channel, from_address, body, keyword,
				student_id, journey_id, received_at, sender_kind, sender_ref)
			VALUES ($1, 'sms', $2, $3, NULLIF($4,''), NULLIF($5,'')::uuid, NULLIF($6,'')::uuid, $7, NULLIF($8,''), NULLIF($9,'')::uuid)
			ON CONFLICT (provider_id) DO NOTHING RETURNING id`,
			in.SID, in.From, in.Body, in.Keyword, who.StudentID, who.JourneyID, w.cfg.Clock.Now(), kind, ref).Scan(&out.InboundID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // seen before: nothing to do again
		}
		if err != nil {
			return fmt.Errorf("store inbound text: %w", err)
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
	var optedOut bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM contact_optouts WHERE channel = 'sms' AND address = $1
		AND reason IN ('stop_keyword', 'unsubscribed'))`, phone).Scan(&optedOut)
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
		_, err := tx.Exec(ctx, `DELETE FROM contact_optouts WHERE channel = 'sms' AND address = $1
			AND reason IN ('stop_keyword', 'unsubscribed')`, in.From)
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
	var s sender
	err := tx.QueryRow(ctx, `
		SELECT kind, ref, student_id, journey_id, district_id, school_id FROM (
			SELECT 'student' AS kind, s.id::text AS ref, 0 AS pri, s.id::text AS student_id,
				COALESCE(j.id::text,'') AS journey_id, s.district_id::text AS district_id, s.school_id::text AS school_id,
				j.created_at
			FROM students s LEFT JOIN journeys j ON j.student_id = s.id AND j.status = 'open'
			WHERE s.phone = $1
			UNION ALL
			SELECT 'guardian', g.id::text, 1, s.id::text, COALESCE(j.id::text,''), s.district_id::text, s.school_id::text,
				j.created_at
			FROM guardians g JOIN students s ON s.id = g.student_id
			LEFT JOIN journeys j ON j.student_id = s.id AND j.status = 'open'
			WHERE g.phone = $1
		) x ORDER BY (journey_id = ''), pri, created_at DESC NULLS LAST LIMIT 1`, phone).
		Scan(&s.Kind, &s.Ref, &s.StudentID, &s.JourneyID, &s.DistrictID, &s.SchoolID)
	if errors.Is(err, pgx.ErrNoRows) {
		return sender{}, nil
	}
	if err != nil {
		return sender{}, fmt.Errorf("find sender: %w", err)
	}
	return s, nil
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
