package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

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
	j := &c.j
	err := p.Store.Pool.QueryRow(ctx, `
		SELECT j.id, j.status, j.student_id, s.district_id, s.school_id, j.program_id, p.kind, j.program_year
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN programs p ON p.id = j.program_id
		WHERE j.id = $1`, c.link.JourneyID).Scan(&j.ID, &j.Status, &j.StudentID, &j.DistrictID,
		&j.SchoolID, &j.ProgramID, &j.ProgramKind, &j.ProgramYear)
	if err != nil {
		return err
	}
	if j.Status != "open" {
		return errJourneyClosed
	}
	return nil
}

// personLanguage is the language on the person's record ("" if none).
func (p *Pages) personLanguage(ctx context.Context, l links.Link) string {
	table := map[string]string{"student": "students", "guardian": "guardians", "supervisor": "supervisors"}[l.PersonKind]
	if table == "" || uuid.Validate(l.PersonRef) != nil {
		return ""
	}
	var lang string
	// id = $1::uuid, not id::text = $1: the cast on the column would read
	// every row of the table on each page (text storm: 125 ms a page at
	// 50,000 students, against 0.03 ms by the primary key).
	err := p.Store.Pool.QueryRow(ctx, `SELECT language FROM `+table+` WHERE id = $1::uuid`, l.PersonRef).Scan(&lang)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return ""
	}
	return lang
}

// personZone is the time zone the link's person lives by: their own, else
// their school's (a parent: the student's) or employer's, else the
// district's. Times on the pages are shown in it, never in UTC.
func (p *Pages) personZone(ctx context.Context, l links.Link) *time.Location {
	q := map[string]string{
		"student": `SELECT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone, '')
			FROM students s JOIN schools sc ON sc.id = s.school_id JOIN districts d ON d.id = s.district_id WHERE s.id = $1::uuid`,
		"guardian": `SELECT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone, '')
			FROM guardians g JOIN students s ON s.id = g.student_id JOIN schools sc ON sc.id = s.school_id
			JOIN districts d ON d.id = s.district_id WHERE g.id = $1::uuid`,
		"supervisor": `SELECT COALESCE(NULLIF(sp.timezone,''), NULLIF(e.timezone,''), d.timezone, '')
			FROM supervisors sp JOIN employers e ON e.id = sp.employer_id JOIN districts d ON d.id = e.district_id WHERE sp.id = $1::uuid`,
		"employer": `SELECT COALESCE(NULLIF(e.timezone,''), d.timezone, '')
			FROM employers e JOIN districts d ON d.id = e.district_id WHERE e.id = $1::uuid`,
	}[l.PersonKind]
	var zone string
	if q == "" || uuid.Validate(l.PersonRef) != nil || p.Store.Pool.QueryRow(ctx, q, l.PersonRef).Scan(&zone) != nil {
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
