package journey

import (
	"context"
	"errors"
	"log/slog"

	"go.temporal.io/api/serviceerror"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows"
)

// OnUndeliverable tells the journey a message will never arrive; the
// journey flags the contact and alerts the coordinator (once per person).
// Messages that belong to no journey (staff sign-in, MOU reminders) are
// only logged.
func (s *Service) OnUndeliverable(ctx context.Context, u messaging.Undeliverable) error {
	if u.JourneyID == "" {
		slog.WarnContext(ctx, "message undeliverable", "message_id", u.MessageID, "recipient_kind", u.RecipientKind, "reason", u.Reason)
		return nil
	}
	err := s.Temporal.SignalWorkflow(ctx, workflows.JourneyWorkflowID(u.JourneyID), "", workflows.SignalContactUnreachable,
		workflows.UnreachableSignal{RecipientKind: u.RecipientKind, Channel: u.Channel, Reason: u.Reason})
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) { // the journey has ended: nobody to tell
		return nil
	}
	return err
}

// OnReply notes a student's (or guardian's) reply. It is already stored
// (inbound_messages) and acknowledged; the coordinator finds it under
// Replies on the staff dashboard and answers from the student's page.
func (s *Service) OnReply(ctx context.Context, r messaging.Reply) error {
	slog.InfoContext(ctx, "reply received", "journey_id", r.JourneyID, "inbound_id", r.InboundID)
	return nil
}
