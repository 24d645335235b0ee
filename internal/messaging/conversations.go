package messaging

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	address "github.com/internflow/internflow/internal/contact"
	"github.com/internflow/internflow/internal/store"
)

// conversationGap is how long a conversation stays open without an
// answer from staff. A person who writes gets one acknowledgement per
// conversation: a second text while the first is unanswered (and less
// than a day old) gets none; after staff answer, or after a quiet day,
// the next text starts a new conversation and is acknowledged again.
const conversationGap = 24 * time.Hour

// acknowledge answers a reply once per conversation, in the writer's
// language, naming who will read it. Unknown numbers get nothing (there
// is no one to route the text to).
func (w *Webhooks) acknowledge(ctx context.Context, tx pgx.Tx, in inboundText, who sender, inboundID int64) error {
	if who.Ref == "" || w.outbox == nil {
		return nil
	}
	open, err := store.OpenConversation(ctx, tx, in.From, inboundID, w.cfg.Clock.Now().Add(-conversationGap))
	if err != nil {
		return fmt.Errorf("open conversation: %w", err)
	}
	if open {
		return nil
	}
	return w.answerText(ctx, tx, who, "ack:"+in.SID, "reply_ack")
}

// answerText texts the sender one of the answers that name their program
// and helper (contact_help, reply_ack); key makes it once per text.
func (w *Webhooks) answerText(ctx context.Context, tx pgx.Tx, who sender, key, template string) error {
	params, err := helpParams(ctx, tx, who)
	if err != nil {
		return err
	}
	_, err = w.outbox.Enqueue(ctx, tx, Request{
		IdemKey: key, DistrictID: who.DistrictID, SchoolID: who.SchoolID, JourneyID: who.JourneyID,
		To: Recipient{Kind: who.Kind, Ref: who.Ref}, Template: template, Params: params, Channel: ChannelSMS,
	})
	return err
}

// helpParams names the program the person is in and the person who
// helps them (ProgramHelper). Answers to HELP and acknowledgements use
// it, so both name the same person.
func helpParams(ctx context.Context, tx pgx.Tx, who sender) (map[string]string, error) {
	params := map[string]string{}
	if err := journeyProgram(ctx, tx, who.JourneyID, params); err != nil {
		return nil, err
	}
	h, err := ProgramHelper(ctx, tx, who.DistrictID, who.SchoolID)
	if err != nil || h.Name == "" {
		return params, err // no one: the texts then point to replying, which staff read
	}
	params["helper_name"], params["helper_role"], params["helper_reach"] = h.Name, h.Role, h.Reach
	return params, nil
}

// Helper is the staff member a student or parent turns to.
type Helper struct {
	Name string
	// Role is "coordinator" or "district_ops" (the district's internship
	// office, when the school has no coordinator).
	Role string
	// Reach is their phone, else their email.
	Reach string
}

// ProgramHelper is who helps a school's students and their families: the
// school's coordinator, else the district's internship office (district
// ops). A zero Helper when there is no one. Texts and the person's own
// page name the same person through it.
func ProgramHelper(ctx context.Context, db interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, districtID, schoolID string) (Helper, error) {
	row, ok, err := store.ProgramHelper(ctx, db, districtID, schoolID)
	if err != nil {
		return Helper{}, fmt.Errorf("program helper: %w", err)
	}
	if !ok {
		return Helper{}, nil
	}
	h := Helper{Name: row.Name, Role: row.Role, Reach: row.Email}
	if row.Phone != "" {
		h.Reach = address.DisplayPhone(row.Phone)
	}
	return h, nil
}

// journeyProgram sets params["program"] to the name of the journey's
// program (texts otherwise carry the configured PROGRAM_NAME).
func journeyProgram(ctx context.Context, tx pgx.Tx, journeyID string, params map[string]string) error {
	if journeyID == "" {
		return nil
	}
	program, err := store.JourneyProgramName(ctx, tx, journeyID)
	if err != nil {
		return fmt.Errorf("journey's program: %w", err)
	}
	if program != "" {
		params["program"] = program
	}
	return nil
}

// StaffAnswer is a staff member's answer to a reply, texted to the
// person who wrote.
type StaffAnswer struct {
	// Key makes the answer idempotent (a double-clicked Send texts once).
	Key        string
	DistrictID string
	SchoolID   string
	JourneyID  string
	// To is the student or guardian who wrote.
	To        Recipient
	StaffID   string
	StaffName string
	Text      string
}

// MaxAnswerLength keeps a staff answer, with the program name, the
// signature and the STOP line, within two text segments.
const MaxAnswerLength = 240

// Answer queues a staff answer as a text (replies go at once, in quiet
// hours too: the person just wrote) and marks that person's replies on
// the journey read and answered, which ends the conversation.
func (o *Outbox) Answer(ctx context.Context, tx pgx.Tx, a StaffAnswer) (Outcome, error) {
	text := strings.TrimSpace(a.Text)
	switch {
	case text == "":
		return Outcome{}, InputError{Field: "text", Message: "write the answer to send"}
	case len([]rune(text)) > MaxAnswerLength:
		return Outcome{}, InputError{Field: "text", Message: fmt.Sprintf("the answer is %d characters; a text takes at most %d",
			len([]rune(text)), MaxAnswerLength)}
	}
	params := map[string]string{"staff_name": a.StaffName, "text": text, "staff_id": a.StaffID}
	if err := journeyProgram(ctx, tx, a.JourneyID, params); err != nil {
		return Outcome{}, err
	}
	if err := fitsTwoTexts(params); err != nil {
		return Outcome{}, err
	}
	out, err := o.Enqueue(ctx, tx, Request{
		IdemKey: "answer:" + a.Key, DistrictID: a.DistrictID, SchoolID: a.SchoolID, JourneyID: a.JourneyID,
		To: a.To, Template: "staff_reply", Channel: ChannelSMS, Params: params,
	})
	if err != nil || out.Unreachable() {
		return out, err
	}
	now := clockOr(o.Clock).Now()
	err = store.MarkRepliesAnswered(ctx, tx, a.JourneyID, a.To.Ref, a.StaffID, now)
	if err != nil {
		return out, fmt.Errorf("mark replies answered: %w", err)
	}
	return out, nil
}

// fitsTwoTexts refuses an answer that would not fit two text segments as
// sent (program, signature and the longer STOP line around it): the
// renderer would otherwise shorten the staff member's words. Emoji and
// other characters outside GSM-7 halve what fits.
func fitsTwoTexts(params map[string]string) error {
	program := params["program"]
	if program == "" {
		program = strings.Repeat("x", 30) // the configured name, unknown here: allow for a long one
	}
	body := gsmFold.Replace(program + ": " + params["staff_name"] + ": " + params["text"] + " " + spanish.Stop)
	if n, enc := smsSegments(body); n > maxSMSSegments {
		hint := ""
		if enc == "UCS-2" {
			hint = " (emoji or special characters make a text hold half as much)"
		}
		return InputError{Field: "text", Message: "the answer is too long for a text message" + hint + ": shorten it"}
	}
	return nil
}

// InputError is a staff input the messaging layer refuses, naming the
// form field.
type InputError struct{ Field, Message string }

func (e InputError) Error() string { return e.Field + ": " + e.Message }
