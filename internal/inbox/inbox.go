// Package inbox is the local inbox of `internflow dev`: one page listing
// every message as the person received it (a text as a phone bubble with
// its segment count, an email with its subject and body), newest first,
// with working links, so someone trying internflow on a laptop can play the
// student, the parent and the supervisor from the browser (as letter_opener
// or MailHog do for mail). It shows names and addresses of demo data, so
// only the dev command mounts it; production processes never do.
package inbox

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Path is where the page is served.
const Path = messaging.LocalInboxPath

// limit caps the messages on one page; filters narrow it.
const limit = 300

// Inbox serves the page.
type Inbox struct {
	Pool *pgxpool.Pool
	// Render is the dispatcher's config: messages are rendered by the
	// dispatcher's own code (messaging.RenderStored), links included.
	Render messaging.DispatcherConfig
}

// Wrap serves the inbox at Path and everything else from next.
func (ib *Inbox) Wrap(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, ib)
	mux.Handle("/", next)
	return mux
}

// Message is one message as its recipient got it (or will get it).
type Message struct {
	ID        int64
	JourneyID string
	Kind      string // recipient kind: student, guardian, supervisor, employer, staff
	Ref       string // recipient ref: the person's id
	Name      string // the recipient's name on record
	To        string
	Channel   string
	Template  string
	Status    string // plain words: "sent 2026-11-30 14:02 UTC", "held until …"
	Subject   string
	Text      string
	Segments  int // SMS only
	// DigestOf is how many pending items a digest email carried (0: not a digest).
	DigestOf int
}

// SMS reports whether the message is a text.
func (m Message) SMS() bool { return m.Channel == messaging.ChannelSMS }

// Person is one recipient (or journey) to filter by.
type Person = store.LocalChoice

type pageData struct {
	Messages         []Message
	People, Journeys []Person
	Person, Journey  string
	Limit            int
}

// ServeHTTP lists the messages, filtered by ?person=kind:ref and ?journey=id.
func (ib *Inbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	data := pageData{Person: r.URL.Query().Get("person"), Journey: r.URL.Query().Get("journey"), Limit: limit}
	var err error
	data.Messages, err = ib.Messages(ctx, data.Person, data.Journey)
	if err == nil {
		data.People, data.Journeys, err = ib.choices(ctx)
		if err == nil {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			err = page.Execute(w, data)
		}
	}
	if err != nil {
		slog.ErrorContext(ctx, "local inbox", "err", err)
		http.Error(w, "inbox: "+err.Error(), http.StatusInternalServerError)
	}
}

// Messages lists messages newest first, each rendered as sent. person is
// "kind:ref" (or ""), journey a journey id (or ""). A digest's items show
// once, inside the digest email that carried them.
func (ib *Inbox) Messages(ctx context.Context, person, journey string) ([]Message, error) {
	kind, ref, _ := strings.Cut(person, ":")
	list, err := store.New(ib.Pool).LocalMessages(ctx, kind, ref, journey, limit)
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(list))
	for _, x := range list {
		m := Message{ID: x.ID, JourneyID: x.JourneyID, Kind: x.Kind, Ref: x.Ref, Name: x.Name, To: x.To,
			Channel: x.Channel, Template: x.Template, Status: x.Status, DigestOf: x.DigestOf}
		got, err := messaging.RenderStored(ctx, ib.Pool, ib.Render, m.ID)
		if err != nil {
			return nil, err
		}
		m.Subject, m.Text = got.Subject, got.Text
		if m.SMS() {
			m.Segments = messaging.SMSSegments(got.Text)
		}
		m.Status = statusWords(m.Status, x.SendAfter, x.SentAt, x.FailReason, x.ErrorCode)
		out = append(out, m)
	}
	return out, nil
}

// statusWords says where a message stands, in the words staff use.
func statusWords(status string, sendAfter time.Time, sentAt *time.Time, reason, code string) string {
	at := func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
	switch {
	case sentAt != nil && (status == "sent" || status == "delivered"):
		return status + " " + at(*sentAt)
	case status == "queued" && sendAfter.After(time.Now()):
		return "held until " + at(sendAfter)
	case reason != "" || code != "":
		return strings.TrimSpace(status + ": " + strings.Trim(reason+" "+code, " "))
	}
	return status
}

// choices lists the recipients and journeys that have messages.
func (ib *Inbox) choices(ctx context.Context) (people, journeys []Person, err error) {
	return store.New(ib.Pool).LocalChoices(ctx)
}

// urlPattern finds the links in a message's text.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify escapes text for HTML and makes every URL in it clickable.
func linkify(text string) template.HTML {
	var b strings.Builder
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:loc[0]]))
		u := template.HTMLEscapeString(text[loc[0]:loc[1]])
		fmt.Fprintf(&b, `<a href="%s">%s</a>`, u, u)
		last = loc[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

//go:embed inbox.html
var pageHTML string

var page = template.Must(template.New("inbox").Funcs(template.FuncMap{"linkify": linkify}).Parse(pageHTML))
