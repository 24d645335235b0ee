package messaging

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// HomeActions are the link actions of a person's own page (internal/web
// home.go), by recipient kind: one link that shows the whole journey.
var HomeActions = map[string]string{"student": "student_home", "guardian": "guardian_home"}

// HomeLink is the text that brings a student or parent the link to their
// own page for a journey; key makes it once (the inbound text it answers,
// the expired link it renews). to names one person (a guardian by their
// own id, never "student:" fan-out: each parent asks for their own link).
// It is a reply to the person's request, so quiet hours do not hold it.
func HomeLink(key, districtID, schoolID, journeyID string, to Recipient) Request {
	return Request{IdemKey: key, DistrictID: districtID, SchoolID: schoolID, JourneyID: journeyID, To: to,
		Template: "home_link", Link: &LinkSpec{Action: HomeActions[to.Kind]}}
}

// answerHome answers MY INTERNSHIP (LINK, MI PASANTÍA) with the sender's
// own page, in the same transaction that stored the text, so a
// redelivered text mints no second link. A sender without an open
// journey is told how to get help instead.
func (w *Webhooks) answerHome(ctx context.Context, tx pgx.Tx, in inboundText, who sender) error {
	if who.Ref == "" || w.outbox == nil || HomeActions[who.Kind] == "" {
		w.log.WarnContext(ctx, "home link asked from an unknown number: not answered", "from", Redact(in.From))
		return nil
	}
	if who.JourneyID == "" {
		return w.answerText(ctx, tx, who, "home:"+in.SID, "contact_help")
	}
	req := HomeLink("home:"+in.SID, who.DistrictID, who.SchoolID, who.JourneyID, Recipient{Kind: who.Kind, Ref: who.Ref})
	req.Channel = ChannelSMS
	if _, err := w.outbox.Enqueue(ctx, tx, req); err != nil {
		return fmt.Errorf("home link reply: %w", err)
	}
	return nil
}
