package staff

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// repliesOnDashboard is how many unread replies the dashboard lists (the
// count covers them all).
const repliesOnDashboard = 10

// conversationLength is how many texts the student page shows.
const conversationLength = 100

// answerTarget is the person a staff answer goes to: whoever wrote last
// on the journey (the student or a guardian).
func answerTarget(conv []store.ConversationItem) *option {
	for i := len(conv) - 1; i >= 0; i-- {
		if c := conv[i]; c.Inbound && c.Ref != "" {
			return &option{Value: c.Kind + ":" + c.Ref, Label: writerLabel(c.Kind, c.Name)}
		}
	}
	return nil
}

// writerLabel names who wrote: "Rosa Lopez (parent/guardian)".
func writerLabel(kind, name string) string {
	if kind == "guardian" {
		return strings.TrimSpace(name + " (parent/guardian)")
	}
	return strings.TrimSpace(name + " (student)")
}

// markRead marks the journey's replies read once staff have the page in
// front of them; a failure only leaves them listed as unread.
func (h *Handler) markRead(r *http.Request, d *studentPage) {
	for _, c := range d.Conversation {
		if c.Unread {
			if err := h.Store.MarkRepliesRead(r.Context(), d.J.View.JourneyID, principal(r).StaffID, time.Now()); err != nil {
				slog.ErrorContext(r.Context(), "mark replies read", "journey_id", d.J.View.JourneyID, "err", err)
			}
			return
		}
	}
}

// answer texts a staff answer to whoever wrote last, through the outbox
// (at once, quiet hours or not: they just wrote), and marks their replies
// answered.
func (h *Handler) answer(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	conv, err := h.Store.Conversation(r.Context(), j.View.JourneyID, conversationLength)
	if err != nil {
		return "", err
	}
	to := answerTarget(conv)
	if to == nil || r.PostFormValue("to") != to.Value {
		return "", &workflows.InputError{Field: "to", Message: "there is no reply to answer on this journey (or a newer one came in: reload the page)"}
	}
	me, err := h.Store.GetStaff(r.Context(), by.Ref)
	if err != nil {
		return "", err
	}
	kind, ref, _ := strings.Cut(to.Value, ":")
	var out messaging.Outcome
	err = h.Store.InTx(r.Context(), func(tx pgx.Tx) error {
		out, err = h.Outbox.Answer(r.Context(), tx, messaging.StaffAnswer{
			Key: j.View.JourneyID + ":" + updateID(r, "answer"), DistrictID: j.View.DistrictID, SchoolID: j.View.SchoolID,
			JourneyID: j.View.JourneyID, To: messaging.Recipient{Kind: kind, Ref: ref}, StaffID: by.Ref, StaffName: me.Name,
			Text: r.PostFormValue("text"),
		})
		return err
	})
	var ie messaging.InputError
	switch {
	case errors.As(err, &ie):
		return "", &workflows.InputError{Field: ie.Field, Message: "Answer: " + ie.Message}
	case err != nil:
		return "", err
	case out.Unreachable():
		return "", &workflows.InputError{Field: "text", Message: to.Label + " can no longer be texted (" + unreachableWhy(out.Reason) + ")"}
	}
	h.auditJourney(r, j.View, "reply_answered", kind)
	return fmt.Sprintf("Your answer is on its way to %s by text.", to.Label), nil
}

func unreachableWhy(reason string) string {
	switch reason {
	case "opted_out":
		return "they replied STOP"
	case "invalid":
		return "the number does not take texts"
	}
	return "no phone number on file"
}
