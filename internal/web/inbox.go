package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/workflows"
)

// The supervisor's inbox: one link per supervisor (or employer contact),
// spanning journeys (its link has no journey), that lists every step
// still waiting on that person: applicants to decide on, permits to sign,
// weeks to approve, projects to review, feedback to give, the MOU. Each
// item opens its own page with the link the person already holds
// (links.Ensure). Reminder digests point here (internal/messaging).

// InboxAction is the link action of a person's inbox.
const InboxAction = links.ActionInbox

// inboxItem is one pending step in the inbox.
type inboxItem struct {
	What, Detail, Button string
	Since, Due           string
	Overdue              bool
	Href                 string

	asked, due time.Time
}

// inboxRow is an open wait this person was asked about, with the link
// that asked.
type inboxRow struct {
	waitKey, journeyID   string
	askedAt              time.Time
	action, subject      string
	documentSHA          []byte
	singleUse, escalated bool
	params               map[string]string
	first, last          string
	ladders              map[string]workflows.Ladder
}

// inboxLadders names the reminder ladder of each step an inbox lists: its
// escalation rung is when the step is due (workflows.defaultLadders).
var inboxLadders = map[string]string{
	"decide_application":      "employer_decision",
	"sign_permit":             "permit_sign",
	"correct_permit":          "permit_correction",
	"review_timesheet":        "timesheet_approval",
	"review_deliverable":      "deliverable_review",
	"give_feedback":           "feedback",
	"confirm_found_placement": "found_confirm",
}

// inboxRows are the waits open now on this person: a message addressed to
// them serves the wait, the wait is still on the party it asked, and its
// journey (if any) is open. Scoped by the message's recipient, so one
// person's inbox never lists another's items.
func (p *Pages) inboxRows(ctx context.Context, kind, ref string) ([]inboxRow, error) {
	waits, err := p.Store.InboxWaits(ctx, kind, ref)
	if err != nil {
		return nil, err
	}
	out := make([]inboxRow, 0, len(waits))
	for _, w := range waits {
		x := inboxRow{waitKey: w.WaitKey, journeyID: w.JourneyID, askedAt: w.AskedAt, action: w.Action, subject: w.Subject,
			documentSHA: w.DocumentSHA, singleUse: w.SingleUse, params: w.Params, escalated: w.Escalated,
			first: w.First, last: w.Last}
		if len(w.Ladders) > 2 {
			// A definition whose ladders do not parse falls back to the defaults.
			_ = json.Unmarshal(w.Ladders, &x.ladders)
		}
		out = append(out, x)
	}
	return out, nil
}

// dueAt is when the step becomes overdue: its ladder's escalation (the
// program's own ladder, else the default), or the MOU's sign-by date.
func (x inboxRow) dueAt() time.Time {
	if x.action == "sign_mou" {
		if d, err := time.Parse(time.DateOnly, x.params["sign_by"]); err == nil {
			return d
		}
		return time.Time{}
	}
	name := inboxLadders[x.action]
	ladder, ok := x.ladders[name]
	if !ok {
		ladder = workflows.DefaultProgram().Ladders[name]
	}
	for _, r := range ladder {
		if r.Escalate {
			return x.askedAt.Add(r.After.Duration(1))
		}
	}
	return time.Time{}
}

// inboxItems builds the list the person sees: overdue first, then oldest.
func (p *Pages) inboxItems(ctx context.Context, c *call) ([]inboxItem, error) {
	if c.link.PersonKind != "supervisor" && c.link.PersonKind != "employer" {
		return nil, nil
	}
	rows, err := p.inboxRows(ctx, c.link.PersonKind, c.link.PersonRef)
	if err != nil {
		return nil, err
	}
	now := p.Now()
	items := make([]inboxItem, 0, len(rows))
	for _, x := range rows {
		it, err := p.inboxItem(ctx, c, x, now)
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	slices.SortStableFunc(items, func(a, b inboxItem) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		return a.asked.Compare(b.asked)
	})
	return items, nil
}

// inboxItem words one step and gives it a working link for its page.
func (p *Pages) inboxItem(ctx context.Context, c *call, x inboxRow, now time.Time) (inboxItem, error) {
	l := c.lang
	who := shortName(x.first, x.last)
	it := inboxItem{asked: x.askedAt, due: x.dueAt(), Since: l.Tf("inbox.since", l.F().Date(x.askedAt.In(zoneOr(l.Zone))))}
	it.What = l.Tf("inbox.what."+inboxKind(x.action), who)
	switch x.action {
	case "decide_application":
		it.Detail = x.params["posting_title"]
	case "review_timesheet":
		if d, err := time.Parse(time.DateOnly, x.subject); err == nil {
			it.Detail = l.Tf("timesheet.week", l.F().Date(d))
		}
	}
	it.Button = l.T("inbox.button." + inboxKind(x.action))
	if !it.due.IsZero() {
		it.Due = l.Tf("inbox.due", l.F().Date(it.due.In(zoneOr(l.Zone))))
	}
	it.Overdue = x.escalated || (!it.due.IsZero() && now.After(it.due))
	id, err := p.book().Ensure(ctx, links.Spec{JourneyID: x.journeyID, PersonKind: c.link.PersonKind,
		PersonRef: c.link.PersonRef, Action: x.action, SubjectRef: x.subject, DocumentSHA256: x.documentSHA,
		SingleUse: x.singleUse})
	if err != nil {
		return it, err
	}
	tok, err := p.Links.Token(id)
	if err != nil {
		return it, err
	}
	it.Href = "/l/" + tok + "?lang=" + l.Code + "&from=" + InboxAction
	return it, nil
}

// inboxKind is the catalog key of an action ("other" for one the inbox
// has no words for yet).
func inboxKind(action string) string {
	if _, ok := inboxLadders[action]; ok || action == "sign_mou" {
		return action
	}
	return "other"
}

func zoneOr(z *time.Location) *time.Location {
	if z == nil {
		return time.UTC
	}
	return z
}

func (p *Pages) formInbox(w http.ResponseWriter, r *http.Request, c *call, _ formErrors) {
	items, err := p.inboxItems(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list inbox", err)
		return
	}
	p.render(w, r, c, http.StatusOK, "inbox", page{Title: c.lang.T("inbox.title"), V: items})
}

// inboxURL is where "back to your inbox" goes after acting on an item
// reached from the inbox ("" when the page was not reached from it).
func (p *Pages) inboxURL(ctx context.Context, c *call) string {
	if !c.fromInbox || c.party() != workflows.PartyEmployer {
		return ""
	}
	id, err := p.book().Ensure(ctx, links.InboxSpec(c.link.PersonKind, c.link.PersonRef))
	if err != nil {
		return ""
	}
	tok, err := p.Links.Token(id)
	if err != nil {
		return ""
	}
	return "/l/" + tok + "?lang=" + c.lang.Code
}
