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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/messaging"
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

// Person is one recipient to filter by.
type Person struct{ Key, Label string }

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
	rows, err := ib.Pool.Query(ctx, `
		SELECT m.id, COALESCE(m.journey_id::text, ''), m.recipient_kind, m.recipient_ref, `+nameSQL+`, m.to_address, m.channel,
			m.template, m.status, m.send_after, m.sent_at, COALESCE(m.fail_reason, ''), COALESCE(m.error_code, ''),
			(SELECT count(*) FROM messages f WHERE f.digest_lead = m.id AND f.id <> m.id)
		FROM messages m
		WHERE (m.digest_lead IS NULL OR m.digest_lead = m.id)
			AND ($1 = '' OR (m.recipient_kind = $1 AND m.recipient_ref = $2))
			AND ($3 = '' OR m.journey_id::text = $3)
		ORDER BY COALESCE(m.sent_at, m.send_after) DESC, m.id DESC
		LIMIT $4`, kind, ref, journey, limit)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	type row struct {
		Message
		sendAfter       time.Time
		sentAt          *time.Time
		reason, errCode string
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		err := r.Scan(&x.ID, &x.JourneyID, &x.Kind, &x.Ref, &x.Name, &x.To, &x.Channel, &x.Template, &x.Status,
			&x.sendAfter, &x.sentAt, &x.reason, &x.errCode, &x.DigestOf)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	out := make([]Message, 0, len(list))
	for _, x := range list {
		m := x.Message
		got, err := messaging.RenderStored(ctx, ib.Pool, ib.Render, m.ID)
		if err != nil {
			return nil, err
		}
		m.Subject, m.Text = got.Subject, got.Text
		if m.SMS() {
			m.Segments = messaging.SMSSegments(got.Text)
		}
		m.Status = statusWords(m.Status, x.sendAfter, x.sentAt, x.reason, x.errCode)
		out = append(out, m)
	}
	return out, nil
}

// nameSQL is the recipient's name on record, by kind.
const nameSQL = `COALESCE(CASE m.recipient_kind
		WHEN 'student' THEN (SELECT first_name || ' ' || last_name FROM students WHERE id::text = m.recipient_ref)
		WHEN 'guardian' THEN (SELECT name FROM guardians WHERE id::text = m.recipient_ref)
		WHEN 'supervisor' THEN (SELECT name FROM supervisors WHERE id::text = m.recipient_ref)
		WHEN 'employer' THEN (SELECT name FROM employers WHERE id::text = m.recipient_ref)
		WHEN 'staff' THEN (SELECT name FROM staff WHERE id::text = m.recipient_ref)
	END, '')`

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
	rows, err := ib.Pool.Query(ctx, `SELECT DISTINCT m.recipient_kind || ':' || m.recipient_ref,
			m.recipient_kind || ': ' || `+nameSQL+`
		FROM messages m ORDER BY 2 LIMIT 1000`)
	if err != nil {
		return nil, nil, fmt.Errorf("list recipients: %w", err)
	}
	if people, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Person]); err != nil {
		return nil, nil, fmt.Errorf("list recipients: %w", err)
	}
	rows, err = ib.Pool.Query(ctx, `SELECT j.id::text, s.first_name || ' ' || s.last_name || ' (' || j.status || ')'
		FROM journeys j JOIN students s ON s.id = j.student_id
		WHERE EXISTS (SELECT 1 FROM messages m WHERE m.journey_id = j.id) ORDER BY 2 LIMIT 1000`)
	if err != nil {
		return nil, nil, fmt.Errorf("list journeys: %w", err)
	}
	if journeys, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Person]); err != nil {
		return nil, nil, fmt.Errorf("list journeys: %w", err)
	}
	return people, journeys, nil
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
