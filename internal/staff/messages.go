package staff

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// "Message students": staff who manage journeys (coordinators for their
// schools, district ops and admins for the district) send one message to
// the students with an open journey in an audience (school, grade, stage,
// waiting on). They choose one of messaging.Announcements and write its
// short note in English and Spanish; the template, the greeting and the
// link to each student's own page are ours (announce.go says why). The
// first press of the form previews: how many students, by text and email,
// the segments of each language's text, an estimate of the time (the
// texts already due go first, at SMS_PER_SECOND) and of the cost, and the
// texts as they will read. Sending queues one message per student with
// messaging.BulkEnqueue, keyed by the form's request key: pressing Send
// twice, or again after a reload, texts nobody twice.

// defaultSegmentPrice is Twilio's US list price per SMS segment.
const defaultSegmentPrice = 0.0083

type messagePage struct {
	base
	Templates []option
	Schools   []store.SchoolName
	Grades    []int
	Stages    []option
	Parties   []option
	// The form as filled (strings, so a bad value is shown back).
	Template, NoteEN, NoteES, School, Grade, Stage, Waiting string
	RequestKey                                              string
	// Previewed fingerprints the form as previewed: Send refuses a form
	// changed since, so what goes out is what staff saw.
	Previewed string
	NoteMax   int
	Errors    map[string]string
	// Preview is set once the form is good and someone matches.
	Preview *messagePreview
}

// messagePreview is what staff see before sending.
type messagePreview struct {
	Audience messaging.Audience
	Texts    []textPreview
	// Ahead are texts already due (every district: the sender is shared).
	Ahead int
	// Time is how long until the last text goes; Cost the estimate.
	Time     time.Duration
	Cost     float64
	Segments int // billed over every text
	Price    float64
	Rate     float64
}

// textPreview is one language's text, as its readers get it.
type textPreview struct {
	Lang, Language string
	Text           string
	Segments       int
	Texts, Emails  int
}

// compose shows an empty form.
func (h *Handler) compose(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.manageScope(r); !ok {
		h.forbidden(w, r)
		return
	}
	h.renderMessage(w, r, messagePage{Template: messaging.Announcements[0], Errors: map[string]string{}}, http.StatusOK)
}

// submitMessage previews the message, or sends it when the preview's Send
// was pressed. Either way a bad form comes back with each problem next to
// its field and nothing queued.
func (h *Handler) submitMessage(w http.ResponseWriter, r *http.Request) {
	scope, ok := h.manageScope(r)
	if !ok {
		h.forbidden(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_ = r.ParseForm()
	d := messagePage{Template: r.PostFormValue("template"), NoteEN: r.PostFormValue("note_en"),
		NoteES: r.PostFormValue("note_es"), School: r.PostFormValue("school"), Grade: r.PostFormValue("grade"),
		Stage: r.PostFormValue("stage"), Waiting: r.PostFormValue("waiting"), RequestKey: r.PostFormValue("request_key"),
		Previewed: r.PostFormValue("previewed"), Errors: map[string]string{}}
	schools, err := h.Store.SchoolsInScope(r.Context(), scope)
	if err != nil {
		h.failed(w, r, "message schools", err)
		return
	}
	audience := h.checkMessage(&d, scope, schools)
	if len(d.Errors) > 0 {
		h.renderMessage(w, r, d, http.StatusUnprocessableEntity)
		return
	}
	count, err := h.Outbox.CountAudience(r.Context(), h.Store.Pool, audience)
	if err != nil {
		h.failed(w, r, "count message audience", err)
		return
	}
	if count.TextCount()+count.EmailCount() == 0 {
		d.Errors["audience"] = "No student with an open journey matches this audience (or none can be reached). Widen it."
		h.renderMessage(w, r, d, http.StatusUnprocessableEntity)
		return
	}
	send, status := r.PostFormValue("step") == "send", http.StatusOK
	if send && d.Previewed != d.fingerprint() {
		d.Errors["audience"] = "The message or its audience changed since the preview. Check the preview below, then send."
		send, status = false, http.StatusUnprocessableEntity
	}
	if !send {
		d.Previewed = d.fingerprint()
		if d.Preview, err = h.preview(r, d, count); err != nil {
			h.failed(w, r, "message preview", err)
			return
		}
		h.renderMessage(w, r, d, status)
		return
	}
	h.sendMessage(w, r, d, audience, count)
}

// sendMessage queues the message; a second send of the same form queues
// nothing and says so.
func (h *Handler) sendMessage(w http.ResponseWriter, r *http.Request, d messagePage, audience messaging.BulkRequest, count messaging.Audience) {
	req := messaging.Announcement(audience, d.Template, map[string]string{"en": d.NoteEN, "es": d.NoteES}, d.RequestKey)
	n, err := h.Outbox.BulkEnqueue(r.Context(), h.Store.Pool, req)
	if err != nil {
		h.failed(w, r, "send district message", err)
		return
	}
	if n == 0 {
		h.setFlash(w, false, "This message was already sent: nobody gets it twice.")
		http.Redirect(w, r, "/staff/messages", http.StatusSeeOther)
		return
	}
	h.audit(r, "district_message_sent", "district_message", d.RequestKey,
		fmt.Sprintf("%s to %d students (%s)", d.Template, n, d.audienceWords()))
	msg := fmt.Sprintf("Queued %d messages.", n)
	if count.TextCount() > 0 {
		msg += " The texts are sent at " + rateWords(h.smsRate(), "text") + "; see the backlog on the ops console."
	}
	h.setFlash(w, false, msg)
	http.Redirect(w, r, "/staff/messages", http.StatusSeeOther)
}

// fingerprint identifies what the form would send.
func (d messagePage) fingerprint() string {
	sum := sha256.Sum256([]byte(strings.Join([]string{d.Template, strings.TrimSpace(d.NoteEN), strings.TrimSpace(d.NoteES),
		d.School, d.Grade, d.Stage, d.Waiting, d.RequestKey}, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// checkMessage validates the form and returns the audience it names.
func (h *Handler) checkMessage(d *messagePage, scope store.Scope, schools []store.SchoolName) messaging.BulkRequest {
	req := messaging.BulkRequest{DistrictID: scope.DistrictID, SchoolIDs: scope.SchoolIDs}
	if !slices.Contains(messaging.Announcements, d.Template) {
		d.Errors["template"] = "Choose one of the messages."
	}
	tpl := h.outboxTemplates()
	for field, note := range map[string]string{"note_en": d.NoteEN, "note_es": d.NoteES} {
		lang := strings.TrimPrefix(field, "note_")
		if msg := noteProblem(tpl.CheckNote(d.Template, lang, note), lang, note); msg != "" {
			d.Errors[field] = msg
		}
	}
	if d.School != "" {
		if !slices.ContainsFunc(schools, func(s store.SchoolName) bool { return s.ID == d.School }) {
			d.Errors["school"] = "Choose one of your schools."
		}
		req.SchoolID = d.School
	}
	if d.Grade != "" {
		g, err := strconv.Atoi(d.Grade)
		if err != nil || g < 6 || g > 13 {
			d.Errors["grade"] = "Choose a grade from 6 to 13."
		}
		req.Grade = g
	}
	if d.Stage != "" && !slices.ContainsFunc(stages, func(o option) bool { return o.Value == d.Stage }) {
		d.Errors["stage"] = "Choose a stage from the list."
	}
	if d.Waiting != "" && !slices.ContainsFunc(parties, func(o option) bool { return o.Value == d.Waiting }) {
		d.Errors["waiting"] = "Choose whom the journey waits on from the list."
	}
	req.Stage, req.WaitingOn = d.Stage, d.Waiting
	if len(d.RequestKey) != 32 || strings.Trim(d.RequestKey, "0123456789abcdef") != "" {
		d.Errors["audience"] = "This form is out of date; check it and preview again."
		d.RequestKey = ""
	}
	return req
}

// noteProblem words a CheckNote error for the field ("" when fine).
func noteProblem(err error, lang, note string) string {
	in := map[string]string{"en": "English", "es": "Spanish"}[lang]
	switch err {
	case nil:
		return ""
	case messaging.ErrNoteEmpty:
		return "Write the message in " + in + "."
	case messaging.ErrNoteLink:
		return "Links, web and email addresses are not allowed: each message already carries the student's own page."
	}
	n := len([]rune(strings.TrimSpace(note)))
	if n > messaging.AnnouncementNoteMax {
		return fmt.Sprintf("Too long: at most %d characters (this has %d).", messaging.AnnouncementNoteMax, n)
	}
	return "Too long for two text messages (emoji and some symbols take more room). Shorten it."
}

// preview renders each language's text and estimates time and cost.
func (h *Handler) preview(r *http.Request, d messagePage, count messaging.Audience) (*messagePreview, error) {
	backlog, err := messaging.Backlog(r.Context(), h.Store.Pool, "", time.Now())
	if err != nil {
		return nil, err
	}
	p := &messagePreview{Audience: count, Ahead: backlog[messaging.ChannelSMS].Due, Price: h.segmentPrice(),
		Rate: h.smsRate()}
	tpl := h.outboxTemplates()
	for _, l := range []struct{ code, name, note string }{{"en", "English", d.NoteEN}, {"es", "Spanish", d.NoteES}} {
		text := tpl.PreviewAnnouncement(d.Template, l.code, strings.TrimSpace(l.note), h.Messages.Program, "").Text
		tp := textPreview{Lang: l.code, Language: l.name, Text: text, Segments: messaging.SMSSegments(text),
			Texts: count.Texts[l.code], Emails: count.Emails[l.code]}
		p.Segments += tp.Segments * tp.Texts
		p.Texts = append(p.Texts, tp)
	}
	p.Cost = float64(p.Segments) * p.Price
	p.Time = messaging.SendTime(p.Ahead+count.TextCount(), p.Rate)
	return p, nil
}

func (h *Handler) renderMessage(w http.ResponseWriter, r *http.Request, d messagePage, status int) {
	scope, _ := h.manageScope(r)
	d.base = h.base(r, "Message students", "messages")
	var err error
	if d.Schools, err = h.Store.SchoolsInScope(r.Context(), scope); err != nil {
		h.failed(w, r, "message schools", err)
		return
	}
	d.Grades = grades
	d.Stages, d.Parties, d.NoteMax = stages, parties, messaging.AnnouncementNoteMax
	d.Templates = []option{{"district_news", "News from your school"}, {"district_reminder", "A reminder from your school"}}
	if d.RequestKey == "" {
		d.RequestKey = newRequestKey()
	}
	render(w, r, status, "messages", d)
}

// audienceWords describes the audience for the audit log.
func (d messagePage) audienceWords() string {
	parts := []string{"school " + cmp.Or(d.School, "all")}
	if d.Grade != "" {
		parts = append(parts, "grade "+d.Grade)
	}
	if d.Stage != "" {
		parts = append(parts, "stage "+d.Stage)
	}
	if d.Waiting != "" {
		parts = append(parts, "waiting on "+d.Waiting)
	}
	return strings.Join(parts, ", ")
}

func (h *Handler) outboxTemplates() *messaging.Templates {
	if h.Outbox != nil && h.Outbox.Templates != nil {
		return h.Outbox.Templates
	}
	return messaging.DefaultTemplates()
}

func (h *Handler) segmentPrice() float64 {
	if h.SMSSegmentPrice > 0 {
		return h.SMSSegmentPrice
	}
	return defaultSegmentPrice
}

func (h *Handler) smsRate() float64 {
	if h.Messages.SMSPerSecond > 0 {
		return h.Messages.SMSPerSecond
	}
	return 1
}

// messageFuncs are the message page's words for numbers.
var messageFuncs = template.FuncMap{"about": aboutDuration, "dollars": dollars, "rate": rateWords,
	"add": func(a, b int) int { return a + b }}

// rateWords says a send rate as staff read it ("1 text per second").
func rateWords(perSecond float64, noun string) string {
	if perSecond <= 0 {
		perSecond = 1
	}
	if perSecond == 1 {
		return "1 " + noun + " per second"
	}
	return strconv.FormatFloat(perSecond, 'f', -1, 64) + " " + noun + "s per second"
}

// aboutDuration says a wait in round words: "under a minute", "about 14
// minutes", "about 13.9 hours".
func aboutDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "under a minute"
	case d < time.Hour:
		m := int(math.Round(d.Minutes()))
		return fmt.Sprintf("about %d minute%s", m, plural(m))
	case d < 48*time.Hour:
		return fmt.Sprintf("about %s hours", strconv.FormatFloat(math.Round(d.Hours()*10)/10, 'f', -1, 64))
	}
	return fmt.Sprintf("about %.0f days", d.Hours()/24)
}

// dollars formats an estimate: cents, or fractions of a cent when small.
func dollars(v float64) string {
	if v < 1 {
		return fmt.Sprintf("$%.4f", v)
	}
	return fmt.Sprintf("$%.2f", v)
}
