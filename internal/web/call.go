package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/workflows"
)

// call is one request on a resolved link: who, in which language, on which
// journey, from where.
type call struct {
	token string
	link  links.Link
	lang  Lang
	ip    string
	ua    string
	j     journeyInfo
	// fromInbox: the person opened this page from their inbox; forms keep
	// it so the confirmation can lead back there.
	fromInbox bool
	// pending are the files this request stored that the journey has not
	// yet accepted (saveUpload, settle).
	pending []string
}

// journeyInfo is what the pages need to know about the link's journey.
type journeyInfo struct {
	ID, Status                                 string
	StudentID, DistrictID, SchoolID, ProgramID string
	ProgramKind                                string
	ProgramYear                                int
}

var errJourneyClosed = errors.New("journey closed")

// actor is who the link speaks for: the person it was sent to.
func (c *call) actor() workflows.Actor {
	return workflows.Actor{Kind: c.link.PersonKind, Ref: c.link.PersonRef}
}

// party is the journey party the link's person is (new-link requests
// nudge only that party's waits).
func (c *call) party() workflows.Party {
	switch c.link.PersonKind {
	case "student":
		return workflows.PartyStudent
	case "guardian":
		return workflows.PartyGuardian
	case "supervisor", "employer":
		return workflows.PartyEmployer
	}
	return ""
}

// path is the page's own address.
func (c *call) path() string { return "/l/" + c.token }

// action is where the page's forms post: the page itself, keeping the
// language (the body may be a large upload, so it is not read to find it).
func (c *call) action() string {
	if c.fromInbox {
		return c.path() + "?lang=" + c.lang.Code + "&from=" + InboxAction
	}
	return c.path() + "?lang=" + c.lang.Code
}

// loadJourney fills c.j; a closed journey is reported as errJourneyClosed
// (downloads ignore it: a signed permit stays downloadable).
func (p *Pages) loadJourney(ctx context.Context, c *call) error {
	if c.link.JourneyID == "" {
		return nil
	}
	j, err := p.Store.LinkJourney(ctx, c.link.JourneyID)
	if err != nil {
		return err
	}
	c.j = journeyInfo(j)
	if j.Status != "open" {
		return errJourneyClosed
	}
	return nil
}

// personLanguage is the language on the person's record ("" if none).
func (p *Pages) personLanguage(ctx context.Context, l links.Link) string {
	if uuid.Validate(l.PersonRef) != nil {
		return ""
	}
	lang, err := p.Store.PersonLanguage(ctx, l.PersonKind, l.PersonRef)
	if err != nil {
		return ""
	}
	return lang
}

// personZone is the time zone the link's person lives by: their own, else
// their school's (a parent: the student's) or employer's, else the
// district's. Times on the pages are shown in it, never in UTC.
func (p *Pages) personZone(ctx context.Context, l links.Link) *time.Location {
	if uuid.Validate(l.PersonRef) != nil {
		return time.UTC
	}
	zone, err := p.Store.PersonZone(ctx, l.PersonKind, l.PersonRef)
	if err != nil {
		return time.UTC
	}
	return locale.New("", zone).Zone
}

// language picks the page language: an explicit ?lang= (the switch at the
// bottom of every page, kept in form actions), the person's record, then
// the browser's.
func (p *Pages) language(r *http.Request, l links.Link) Lang {
	if q := r.URL.Query().Get("lang"); isLang(q) {
		return Lang{Code: q}
	}
	if pl := p.personLanguage(r.Context(), l); isLang(pl) {
		return Lang{Code: pl}
	}
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "es") {
		return Lang{Code: "es"}
	}
	return Lang{Code: "en"}
}

func isLang(s string) bool { return s == "en" || s == "es" }

// userAgent is the browser's own description, bounded (it is evidence,
// not a place to store arbitrary data).
func userAgent(r *http.Request) string {
	ua := r.UserAgent()
	if len(ua) > 512 {
		ua = ua[:512]
	}
	return ua
}
