package messaging

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/store"
)

// District-wide messages ("announcements") are composed by staff from a
// fixed template with one short free-text part, the note, written in
// English and in Spanish. Staff never write a whole message nor a link:
//   - the template says who it is from (the program) and greets the
//     student by name, so a note cannot pass itself off as something else;
//   - every announcement carries the student's own page (student_home),
//     minted for them, so one that asks for an action is actionable and
//     no staff member can send thousands of students to a link of their
//     choosing (a typo or a phishing page);
//   - a note with a web or email address is refused (CheckNote).
// The note is plain text: SMS has no markup and the email escapes it.

// Announcements are the templates staff compose from, in the order the
// page offers them.
var Announcements = []string{"district_news", "district_reminder"}

// AnnouncementNoteMax is the longest note, in characters: with the
// template, a long first name and the link, the text stays within two
// segments (the limit every text keeps; CheckNote checks the rendering).
const AnnouncementNoteMax = 140

// Note params: each language's note is stored as "note" on the rows of
// that language's readers (BulkRequest.LocalParams).
const announcementNote = "note"

// Errors CheckNote returns; the staff page shows them next to the field.
var (
	ErrNoteEmpty   = errors.New("empty")
	ErrNoteTooLong = errors.New("too long")
	ErrNoteLink    = errors.New("has a link")
)

// linkLike matches what could be a web or email address: a scheme, www.,
// an @, or a word.word ending in a domain suffix ("bit.ly", "x.com/a").
var linkLike = regexp.MustCompile(`(?i)(\w+://|www\.|@|\b[a-z0-9-]+\.(com|org|net|edu|gov|us|io|ly|co|me|info|biz|app|link|site|xyz|gl|to|cc|tk)\b)`)

// CheckNote says whether a note may go out: not empty, at most
// AnnouncementNoteMax characters, no link or address, and short enough
// that the template's text in that language stays within two segments.
func (t *Templates) CheckNote(template, lang, note string) error {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return ErrNoteEmpty
	case utf8.RuneCountInString(note) > AnnouncementNoteMax:
		return ErrNoteTooLong
	case linkLike.MatchString(note):
		return ErrNoteLink
	}
	if n := SMSSegments(t.PreviewAnnouncement(template, lang, note, "Internships", previewLink).Text); n > maxSMSSegments {
		return ErrNoteTooLong // emoji or other non-GSM characters halve a segment
	}
	return nil
}

// previewLink is as long as a real link (71 characters), so a preview's
// segments are what the students' texts take.
const previewLink = "https://internships.example-district.org/l/AbCdEfGhIjKlMnOpQrStUvWxYz0"

// PreviewName is the first name previews show; each student reads theirs.
const PreviewName = "Alexandria"

// PreviewAnnouncement renders an announcement's text as a student reading
// lang would get it, with PreviewName and link in place of theirs.
func (t *Templates) PreviewAnnouncement(template, lang, note, program, link string) Rendered {
	if link == "" {
		link = previewLink
	}
	r, err := t.Render(RenderInput{Template: template, Language: lang, Channel: ChannelSMS, RecipientKind: "student",
		Program: program, Link: link, Params: map[string]string{"student_first_name": PreviewName, announcementNote: note}})
	if err != nil {
		return Rendered{}
	}
	return r
}

// Announcement is a composed district-wide message: template, note per
// language and audience (the BulkRequest's filters).
func Announcement(audience BulkRequest, template string, notes map[string]string, key string) BulkRequest {
	req := audience
	req.Template = template
	req.IdemPrefix = "announce:" + key
	req.LocalParams = map[string]map[string]string{}
	for lang, note := range notes {
		req.LocalParams[lang] = map[string]string{announcementNote: strings.TrimSpace(note)}
	}
	req.Link = &LinkSpec{Action: HomeActions["student"]}
	return req
}

// Audience is who a bulk request would reach, counted before sending.
type Audience struct {
	// Students with an open journey matching the filters.
	Students int
	// Texts and Emails by language; Unreachable have neither.
	Texts, Emails map[string]int
	Unreachable   int
	// QuietUntil is when the last held text may go (zero when none is
	// held: it is not quiet hours anywhere the texts go).
	QuietUntil time.Time
}

// TextCount and EmailCount are the totals over languages.
func (a Audience) TextCount() int  { return sum(a.Texts) }
func (a Audience) EmailCount() int { return sum(a.Emails) }

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// CountAudience says whom req would reach and when its texts may go.
func (o *Outbox) CountAudience(ctx context.Context, pool *pgxpool.Pool, req BulkRequest) (Audience, error) {
	a := Audience{Texts: map[string]int{}, Emails: map[string]int{}}
	counts, err := store.CountBulkAudience(ctx, pool, req.audience())
	if err != nil {
		return a, fmt.Errorf("count audience: %w", err)
	}
	for _, c := range counts {
		a.Students += c.Students
		switch c.Channel {
		case ChannelSMS:
			a.Texts[c.Language] += c.Students
		case ChannelEmail:
			a.Emails[c.Language] += c.Students
		default:
			a.Unreachable += c.Students
		}
	}
	_, after, err := o.quietByZone(ctx, pool, req)
	now := clockOr(o.Clock).Now()
	for _, t := range after {
		if t.After(now) && t.After(a.QuietUntil) {
			a.QuietUntil = t
		}
	}
	return a, err
}

// ChannelBacklog is what waits to be sent on one channel.
type ChannelBacklog struct {
	Channel string
	// Due may go now: the sender works through them at its rate.
	Due int
	// Held wait for a time: quiet hours, a digest, a retry's backoff.
	Held int
	// NextHeld is when the first held message becomes due.
	NextHeld time.Time
}

// Backlog counts unsent messages by channel, of one district or ("") of
// every district: the sender is shared, so what is due anywhere is ahead
// of a new message.
func Backlog(ctx context.Context, db querier, districtID string, now time.Time) (map[string]ChannelBacklog, error) {
	rows, err := store.OutboxBacklog(ctx, db, districtID, now)
	if err != nil {
		return nil, fmt.Errorf("outbox backlog: %w", err)
	}
	out := map[string]ChannelBacklog{ChannelSMS: {Channel: ChannelSMS}, ChannelEmail: {Channel: ChannelEmail}}
	for _, r := range rows {
		c := ChannelBacklog{Channel: r.Channel, Due: r.Due, Held: r.Held}
		if r.NextHeld != nil {
			c.NextHeld = *r.NextHeld
		}
		out[c.Channel] = c
	}
	return out, nil
}

// SendTime is how long n messages take at perSecond (the configured
// SMS_PER_SECOND or EMAIL_PER_SECOND).
func SendTime(n int, perSecond float64) time.Duration {
	if perSecond <= 0 {
		perSecond = 1
	}
	return time.Duration(float64(n) / perSecond * float64(time.Second))
}
