// Package web serves the small, mobile-first pages that students, parents
// and employers open from a text or email: no account, no app, no
// JavaScript. Each page belongs to one action link (internal/links); a
// submission becomes an update on the person's journey workflow, and its
// validation errors come back next to the field, in the person's language.
package web

import (
	"errors"
	"github.com/internflow/internflow/internal/clientip"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/problems"
	"github.com/internflow/internflow/internal/store"
)

// Pages serves the action-link pages under /l/.
type Pages struct {
	Store    *store.Store
	Journeys *journey.Service
	Links    *links.Minter
	// Outbox sends a person a new link to their own page when theirs
	// has expired (home.go).
	Outbox *messaging.Outbox
	// StaffLogin serves "staff_login" links (the staff sign-in lives in
	// another package); it receives the resolved link in the request
	// context (links.FromContext).
	StaffLogin http.Handler
	// Limits bound requests per client IP and per link; zero values take
	// DefaultLimits.
	Limits Limits
	// MaxUpload is the largest file accepted (default 5 MB).
	MaxUpload int64
	// LinkQuota bounds what one link may store (default 10 files, 6
	// times MaxUpload): a link lives for days.
	LinkQuota store.LinkQuota
	// Now is the clock link expiry is checked against (default time.Now).
	Now func() time.Time

	limiter *limiter
}

// Mount adds the link pages to r.
func (p *Pages) Mount(r chi.Router) {
	p.defaults()
	r.Get("/l/assets/style.css", serveCSS)
	r.Group(func(r chi.Router) {
		r.Use(securityHeaders, p.rateLimit)
		r.Get("/l/{token}", p.open)
		r.Post("/l/{token}", p.submit)
		r.Get("/l/{token}/document", p.boundDocument)
		r.Get("/l/{token}/file/{kind}", p.linkedFile)
		r.Post("/l/{token}/new-link", p.newLink)
	})
}

func (p *Pages) defaults() {
	if p.Now == nil {
		p.Now = time.Now
	}
	if p.MaxUpload == 0 {
		p.MaxUpload = 5 << 20
	}
	if p.LinkQuota == (store.LinkQuota{}) {
		p.LinkQuota = store.LinkQuota{Files: 10, Bytes: 6 * p.MaxUpload}
	}
	p.Limits = p.Limits.orDefaults()
	if p.limiter == nil {
		p.limiter = newLimiter(p.Limits)
	}
}

// book is the link minter bound to the store: the pages resolve and mint
// links through it, never through the pool.
func (p *Pages) book() links.Book { return links.Book{Minter: p.Links, Store: p.Store} }

// open shows the page for the link's action (GET).
func (p *Pages) open(w http.ResponseWriter, r *http.Request) {
	c, ok := p.resolve(w, r)
	if !ok {
		return
	}
	if c.link.Action == "staff_login" {
		p.staffLogin(w, r, c)
		return
	}
	p.audit(r.Context(), c, "link_opened", "", "")
	a, found := actions[c.link.Action]
	if !found {
		p.renderStatus(w, r, c, http.StatusNotFound, "unknown_action")
		return
	}
	a.form(p, w, r, c, nil)
}

// submit handles the page's form (POST).
func (p *Pages) submit(w http.ResponseWriter, r *http.Request) {
	c, ok := p.resolve(w, r)
	if !ok {
		return
	}
	if c.link.Action == "staff_login" {
		p.staffLogin(w, r, c)
		return
	}
	a, found := actions[c.link.Action]
	if !found || a.submit == nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "unknown_action")
		return
	}
	if err := p.parseForm(w, r, a.upload); err != nil {
		// A body over the limit is almost always a file that is too big.
		a.form(p, w, r, c, formErrors{"": c.lang.Tf("upload.too_big", p.MaxUpload>>20)})
		return
	}
	a.submit(p, w, r, c)
}

// staffLogin hands a staff sign-in link to the staff package.
func (p *Pages) staffLogin(w http.ResponseWriter, r *http.Request, c *call) {
	if p.StaffLogin == nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "unknown_action")
		return
	}
	p.StaffLogin.ServeHTTP(w, r.WithContext(links.WithLink(r.Context(), c.link)))
}

// resolve loads the link behind the token and everything its page needs.
// When the link cannot be used it answers with the page that says why.
func (p *Pages) resolve(w http.ResponseWriter, r *http.Request) (*call, bool) {
	token := chi.URLParam(r, "token")
	link, err := p.book().Resolve(r.Context(), token, p.Now())
	c := &call{token: token, link: link, ip: clientip.From(r), ua: userAgent(r)}
	c.fromInbox = r.URL.Query().Get("from") == InboxAction
	c.lang = p.language(r, link)
	c.lang.Zone = p.personZone(r.Context(), link)
	if err == nil {
		if err = p.loadJourney(r.Context(), c); err == nil || closedOK(c, err) {
			return c, true
		}
	}
	p.linkProblem(w, r, c, err)
	return c, false
}

// closedOK: a completed journey still opens the pages meant for after it
// (the certificate), read-only.
func closedOK(c *call, err error) bool {
	return errors.Is(err, errJourneyClosed) && c.j.Status == "completed" && actions[c.link.Action].closedOK &&
		actions[c.link.Action].submit == nil
}

// linkProblem renders the page for a link that cannot be used.
func (p *Pages) linkProblem(w http.ResponseWriter, r *http.Request, c *call, err error) {
	switch {
	case errors.Is(err, links.ErrInvalid):
		p.renderStatus(w, r, c, http.StatusNotFound, "invalid")
	case errors.Is(err, links.ErrExpired), errors.Is(err, links.ErrUsed), errors.Is(err, links.ErrRevoked):
		p.audit(r.Context(), c, "link_opened", linkState(err), "")
		p.unusable(w, r, c, err)
	case errors.Is(err, errJourneyClosed):
		p.renderStatus(w, r, c, http.StatusGone, "closed")
	default:
		p.failed(w, r, c, "resolve link", err)
	}
}

// failed logs an unexpected error (ids only, never the token) and shows a
// try-again page.
func (p *Pages) failed(w http.ResponseWriter, r *http.Request, c *call, what string, err error) {
	slog.ErrorContext(r.Context(), "link page failed", "step", what, "link_id", c.link.ID,
		"journey_id", c.link.JourneyID, "action", c.link.Action, "err", err)
	status := http.StatusInternalServerError
	if problems.Of(err).Status == http.StatusServiceUnavailable { // trying again is safe
		status = http.StatusServiceUnavailable
	}
	p.renderStatus(w, r, c, status, "error")
}
