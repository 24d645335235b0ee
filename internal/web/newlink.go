package web

import (
	"errors"
	"github.com/internflow/internflow/internal/clientip"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows"
)

// linkState names why a link cannot be used.
func linkState(err error) string {
	switch {
	case errors.Is(err, links.ErrExpired):
		return "expired"
	case errors.Is(err, links.ErrUsed):
		return "used"
	case errors.Is(err, links.ErrSuperseded):
		return "superseded"
	case errors.Is(err, links.ErrStepClosed):
		return "step_closed"
	case errors.Is(err, links.ErrRevoked):
		return "revoked"
	}
	return "invalid"
}

// unusable shows an expired, used or revoked link's page. Links of a
// journey offer "Send me a new link" (for whatever the journey waits on
// from the person now), except one staff turned off on purpose. A step
// closed because the whole journey ended says the record is closed.
func (p *Pages) unusable(w http.ResponseWriter, r *http.Request, c *call, err error) {
	state := linkState(err)
	if state == "step_closed" {
		if open, lerr := p.loadJourneyAny(r, c); lerr == nil && !open && c.j.ID != "" {
			p.renderStatus(w, r, c, http.StatusGone, "closed")
			return
		}
	}
	v := statusView{Heading: c.lang.T("status." + state + ".title"), Body: c.lang.T("status." + state + ".body"),
		NewLink: state != "revoked" && c.link.JourneyID != "" && c.party() != ""}
	if c.link.Action == InboxAction && state != "revoked" {
		// An inbox has no journey to ask for a new link: reminders bring one.
		v.Body = c.lang.T("inbox.dead_body")
	}
	if state == "used" && c.link.Action == "sign_permit" {
		if _, err := p.loadJourneyAny(r, c); err == nil && p.fileFor(r.Context(), c, "signed") != "" {
			v.Signed = c.path() + "/file/signed"
		}
	}
	p.render(w, r, c, http.StatusGone, "status", page{Title: v.Heading, V: v})
}

// loadJourneyAny loads the link's journey whether open or closed.
func (p *Pages) loadJourneyAny(r *http.Request, c *call) (bool, error) {
	err := p.loadJourney(r.Context(), c)
	if errors.Is(err, errJourneyClosed) {
		return false, nil
	}
	return err == nil, err
}

// newLink asks the journey to send the person a fresh link for whatever
// it waits on from them (a party-scoped nudge). It only says "sent" when
// the journey is indeed waiting on them.
func (p *Pages) newLink(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	link, err := p.book().Resolve(r.Context(), token, p.Now())
	c := &call{token: token, link: link, ip: clientip.From(r), ua: userAgent(r)}
	c.lang = p.language(r, link)
	switch {
	case errors.Is(err, links.ErrInvalid), linkState(err) == "revoked":
		// Only staff's turning off refuses: a superseded link's newest
		// message may be lost, a finished step's person may owe another.
		p.linkProblem(w, r, c, err)
		return
	case err != nil && !errors.Is(err, links.ErrExpired) && !errors.Is(err, links.ErrUsed) && !errors.Is(err, links.ErrRevoked):
		p.failed(w, r, c, "resolve link", err)
		return
	case link.JourneyID == "" || c.party() == "":
		p.renderStatus(w, r, c, http.StatusNotFound, "no_new_link")
		return
	}
	if _, err := p.loadJourneyAny(r, c); err != nil {
		p.failed(w, r, c, "load journey", err)
		return
	}
	if c.j.Status != "open" {
		p.renderStatus(w, r, c, http.StatusGone, "closed")
		return
	}
	if !p.allowNewLink(link.ID) {
		w.Header().Set("Retry-After", "120")
		p.renderStatus(w, r, c, http.StatusTooManyRequests, "new_link_wait")
		return
	}
	if isHome(c.link.Action) {
		p.sendNewHomeLink(w, r, c)
		return
	}
	p.sendNewLink(w, r, c)
}

// sendNewHomeLink texts the person a fresh link to their own page, once
// per old link: asking again from the same old link sends nothing more
// (the newest message has it). The new link supersedes the old as it
// goes out, like every link.
func (p *Pages) sendNewHomeLink(w http.ResponseWriter, r *http.Request, c *call) {
	if p.Outbox == nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "no_new_link")
		return
	}
	req := messaging.HomeLink("home:renew:"+c.link.ID, c.j.DistrictID, c.j.SchoolID, c.j.ID,
		messaging.Recipient{Kind: c.link.PersonKind, Ref: c.link.PersonRef})
	var out messaging.Outcome
	err := p.Store.InTx(r.Context(), func(tx pgx.Tx) (err error) {
		out, err = p.Outbox.Enqueue(r.Context(), tx, req)
		return err
	})
	if err != nil {
		p.failed(w, r, c, "send home link", err)
		return
	}
	if out.Unreachable() {
		p.renderStatus(w, r, c, http.StatusOK, "no_new_link")
		return
	}
	p.audit(r.Context(), c, "new_link_requested", "", "")
	p.renderStatus(w, r, c, http.StatusOK, "new_link_sent")
}

// isHome: the link opens a person's own page (home.go).
func isHome(action string) bool { return action == "student_home" || action == "guardian_home" }

func (p *Pages) sendNewLink(w http.ResponseWriter, r *http.Request, c *call) {
	st, err := p.Journeys.Query(r.Context(), c.link.JourneyID)
	var ie *workflows.InputError
	if errors.As(err, &ie) {
		p.renderStatus(w, r, c, http.StatusGone, "closed")
		return
	}
	if err != nil {
		p.failed(w, r, c, "query journey", err)
		return
	}
	if !waitsOn(st, c.party()) {
		p.renderStatus(w, r, c, http.StatusOK, "nothing_waiting")
		return
	}
	sig := workflows.NudgeSignal{By: c.actor(), RequestID: uuid.NewString(), Party: c.party()}
	if err := p.Journeys.Nudge(r.Context(), c.link.JourneyID, sig); err != nil {
		p.failed(w, r, c, "signal nudge", err)
		return
	}
	p.audit(r.Context(), c, "new_link_requested", "", "")
	p.renderStatus(w, r, c, http.StatusOK, "new_link_sent")
}

// waitsOn reports an open wait on the party that a nudge re-sends. A
// timesheet week's wait is answered by the week's own reminders, not by
// the journey's nudge, so it does not count.
func waitsOn(st workflows.JourneyStatus, party workflows.Party) bool {
	for _, w := range st.Waits {
		if w.WaitingOn == party && !strings.HasPrefix(w.Step, "timesheet:") {
			return true
		}
	}
	return false
}
