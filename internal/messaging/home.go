package messaging

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
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
// redelivered text mints no second link. A parent gets one link per child
// in the program (each shows that child only); a sender without an open
// journey is told how to get help instead.
func (w *Webhooks) answerHome(ctx context.Context, tx pgx.Tx, in inboundText, who sender) error {
	if who.Ref == "" || w.outbox == nil || HomeActions[who.Kind] == "" {
		w.log.WarnContext(ctx, "home link asked from an unknown number: not answered", "from", Redact(in.From))
		return nil
	}
	if who.JourneyID == "" {
		return w.answerText(ctx, tx, who, "home:"+in.SID, "contact_help")
	}
	pages := []sender{who}
	if who.Kind == "guardian" {
		var err error
		if pages, err = guardianJourneys(ctx, tx, in.From); err != nil {
			return err
		}
	}
	for _, p := range pages {
		req := HomeLink("home:"+in.SID+":"+p.Ref, p.DistrictID, p.SchoolID, p.JourneyID, Recipient{Kind: p.Kind, Ref: p.Ref})
		req.Channel = ChannelSMS
		if _, err := w.outbox.Enqueue(ctx, tx, req); err != nil {
			return fmt.Errorf("home link reply: %w", err)
		}
	}
	return nil
}

// guardianJourneys are the open journeys of every child whose parent has
// this phone, each with that child's guardian row (siblings' parents are
// one row per child).
func guardianJourneys(ctx context.Context, tx pgx.Tx, phone string) ([]sender, error) {
	rows, err := store.GuardianJourneys(ctx, tx, phone)
	if err != nil {
		return nil, fmt.Errorf("parent's journeys: %w", err)
	}
	var out []sender
	for _, g := range rows {
		out = append(out, sender{Kind: "guardian", Ref: g.GuardianID, StudentID: g.StudentID, JourneyID: g.JourneyID,
			DistrictID: g.DistrictID, SchoolID: g.SchoolID})
	}
	return out, nil
}
