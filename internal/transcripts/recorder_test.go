package transcripts_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
)

// received is one message as the fake Twilio or SendGrid got it, with the
// outbox rows it came from.
type received struct {
	to, who, channel string
	subject, text    string
	segments         int
	templates        []string
	kind, language   string
	createdAt        time.Time // first row queued
	waits            []waitRef // the waits its rows serve (none for news)
	sentAt           time.Time
	// reminders: every row it carries repeats a request (a digest holds
	// those on purpose; a request itself is never held).
	reminders bool
}

// section is what people received during one step of a script.
type section struct {
	title string
	msgs  []*received
}

// recorder captures what the fakes receive, step by step, and notes the
// defects it sees. People act only after the request they act on reached
// them (await); settle waits until the app is idle so each message lands
// in the step that caused it.
type recorder struct {
	t *testing.T
	s *apptest.Stack
	// workflows are checked for idleness (the journey's children too).
	workflows []string
	people    map[string]string // address → "Maya Lopez (student)"
	nSMS      int
	nMail     int
	all       []*received
	sections  []*section
	// actedAt is, per address, how many messages had arrived when that
	// person last acted: a request must arrive after it.
	actedAt  map[string]int
	findings map[string]string // key → first detail
	// trainingCodes are loaded once (see codes).
	trainingCodes []string
	current       *section
}

func newRecorder(t *testing.T, s *apptest.Stack, people map[string]string) *recorder {
	return &recorder{t: t, s: s, people: people, actedAt: map[string]int{}, findings: map[string]string{}}
}

// step runs one action of the script and records what people received
// because of it.
func (r *recorder) step(title string, act func()) {
	r.t.Helper()
	r.current = &section{title: title}
	r.sections = append(r.sections, r.current)
	act()
	r.settle()
}

// note records a defect: key names the kind and the template (the
// allow-list matches it), detail says where.
func (r *recorder) note(key, detail string) {
	if _, ok := r.findings[key]; !ok {
		r.findings[key] = detail
	}
}

// collect sends what is due and takes in what the fakes received since
// the last call.
func (r *recorder) collect() {
	r.t.Helper()
	r.s.Drain()
	for _, m := range r.s.Twilio.Messages()[r.nSMS:] {
		r.add(&received{to: m.To, channel: messaging.ChannelSMS, text: m.Body, segments: messaging.SMSSegments(m.Body)}, m.SID)
		r.nSMS++
	}
	for _, m := range r.s.SendGrid.Messages()[r.nMail:] {
		r.add(&received{to: m.To, channel: messaging.ChannelEmail, subject: m.Subject, text: m.Text}, m.ID)
		r.nMail++
	}
}

func (r *recorder) add(m *received, providerID string) {
	r.t.Helper()
	ctx := context.Background()
	rows, err := r.s.Pool.Query(ctx, `SELECT template, recipient_kind, language, created_at, COALESCE(sent_at, now()),
			COALESCE(wait_key, ''), COALESCE(wait_party, ''), params, COALESCE(link_id::text, ''), COALESCE(journey_id::text, ''),
			reminder
		FROM messages WHERE provider_id = $1 ORDER BY id`, providerID)
	if err != nil {
		r.t.Fatal(err)
	}
	for rows.Next() {
		var tmpl string
		var created, sent time.Time
		var w waitRef
		var req messaging.Request
		var linkID string
		var reminder bool
		if err := rows.Scan(&tmpl, &m.kind, &m.language, &created, &sent, &w.key, &w.party, &req.Params, &linkID, &req.JourneyID,
			&reminder); err != nil {
			r.t.Fatal(err)
		}
		// What the tmpl table (messaging's needs) says the template needs,
		// against what the row was queued with.
		req.Template = tmpl
		if linkID != "" {
			req.Link = &messaging.LinkSpec{}
		}
		if err := messaging.Incomplete(req); err != nil {
			r.note("incomplete:"+tmpl, err.Error())
		}
		if w.key != "" {
			m.waits = append(m.waits, w)
		}
		if len(m.templates) == 0 {
			m.createdAt, m.sentAt, m.reminders = created, sent, true
		}
		m.reminders = m.reminders && reminder
		m.templates = append(m.templates, tmpl)
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	m.who = r.people[m.to]
	if m.who == "" {
		m.who = m.kind + " " + messaging.Redact(m.to)
	}
	r.all = append(r.all, m)
	if r.current != nil {
		r.current.msgs = append(r.current.msgs, m)
	}
	r.check(m)
}

// settle waits until the workflows have nothing running and the outbox
// nothing due, twice in a row, collecting as it goes.
func (r *recorder) settle() {
	r.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	quiet := 0
	for quiet < 2 {
		if time.Now().After(deadline) {
			r.t.Fatalf("the app did not settle after %q", r.current.title)
		}
		r.collect()
		if r.idle() {
			quiet++
		} else {
			quiet = 0
		}
		time.Sleep(25 * time.Millisecond) // polling interval, not a wait for time to pass
	}
}

// idle: no workflow task or activity pending, nothing due in the outbox.
func (r *recorder) idle() bool {
	ctx := context.Background()
	var due int
	if err := r.s.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE status IN ('queued', 'sending')
		AND send_after <= now()`).Scan(&due); err != nil || due > 0 {
		return false
	}
	ids := slices.Clone(r.workflows)
	for len(ids) > 0 {
		id := ids[0]
		ids = ids[1:]
		desc, err := r.s.Temporal.DescribeWorkflow(ctx, id, "")
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			continue
		}
		if err != nil {
			return false
		}
		d := desc.RawResponse
		if len(d.GetPendingActivities()) > 0 || d.GetPendingWorkflowTask() != nil {
			return false
		}
		for _, c := range d.GetPendingChildren() {
			ids = append(ids, c.GetWorkflowId())
		}
	}
	return true
}

// linkPattern finds the app's links in a message.
var linkPattern = regexp.MustCompile(`https?://127\.0\.0\.1:\d+/l/[A-Za-z0-9_-]+`)

// wantLinks is, per step a person acts on, the link actions that do it
// (the pages in internal/web/submit.go). Steps missing here are staff
// steps: any link to the staff pages will do.
var wantLinks = map[string][]string{
	"survey": {"survey"}, "upload_badge": {"upload_badge"}, "apply": {"apply"},
	"decide_application": {"decide_application", "employer_applicants"}, "accept_offer": {"accept_offer"},
	"sign_mou": {"sign_mou"}, "sign_permit": {"sign_permit"}, "correct_permit": {"correct_permit"}, "record_training": {"record_training"},
	"submit_timesheet": {"submit_timesheet"}, "review_timesheet": {"review_timesheet"},
	"submit_deliverable": {"submit_deliverable"}, "review_deliverable": {"review_deliverable"},
	"submit_reflection": {"submit_reflection"}, "give_feedback": {"give_feedback"},
	"report_found_placement": {"report_found_placement"}, "confirm_found_placement": {"confirm_found_placement"},
}

// staffLink finds a link to a student's page on the staff site.
var staffLink = regexp.MustCompile(`https?://127\.0\.0\.1:\d+/staff/\S+`)

// await returns the newest link for step (see wantLinks; "sign_permit:
// guardian" names the signer too) that reached one of addrs since that
// person last acted, waiting up to heldWait for it. When none came, the
// person acts anyway (as the workflow still lets them) and the defect is
// noted: asked without the link, or the request was held.
func (r *recorder) await(step string, addrs ...string) string {
	r.t.Helper()
	action, _, _ := strings.Cut(step, ":")
	deadline := time.Now().Add(heldWait)
	for {
		r.collect()
		if link := r.newestLink(addrs, wantLinks[action]); link != "" {
			r.acted(addrs)
			if st := r.open(link); st != 200 {
				r.note("link_broken:"+step, fmt.Sprintf("the link opened with status %d", st))
			}
			return link
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	r.note("acted_without_link:"+step, "no message with the link reached "+r.people[addrs[0]]+" before they had to act")
	r.acted(addrs)
	return ""
}

// newestLink: the newest link in a message to addrs, received after that
// person last acted, whose action is one of actions (nil: a staff page).
func (r *recorder) newestLink(addrs, actions []string) string {
	for i := len(r.all) - 1; i >= 0; i-- {
		m := r.all[i]
		if !slices.Contains(addrs, m.to) || i < r.actedAt[m.to] {
			continue
		}
		if actions == nil {
			if l := staffLink.FindString(m.text); l != "" {
				return l
			}
			continue
		}
		for _, l := range linkPattern.FindAllString(m.text, -1) {
			if slices.Contains(actions, strings.TrimPrefix(r.linkAction(l), "link:")) {
				return l
			}
		}
	}
	return ""
}

// awaitAlongside is await for a link the person keeps using beside the
// other requests they hold (the trainings link lasts a semester): acting
// on it does not set those aside.
func (r *recorder) awaitAlongside(step string, addrs ...string) string {
	r.t.Helper()
	held := map[string]int{}
	for _, a := range addrs {
		held[a] = r.actedAt[a]
	}
	link := r.await(step, addrs...)
	maps.Copy(r.actedAt, held)
	return link
}

func (r *recorder) acted(addrs []string) {
	for _, a := range addrs {
		r.actedAt[a] = len(r.all)
	}
}

// open GETs a link as the person's phone or mail client would. A staff
// page asks a signed-out browser to sign in first: that counts as working.
func (r *recorder) open(link string) int {
	resp, err := r.s.Client().Get(link)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther && staffLink.MatchString(link) &&
		strings.Contains(resp.Header.Get("Location"), "/staff/login") {
		return http.StatusOK
	}
	return resp.StatusCode
}

var (
	// placeholderPatterns are empty-placeholder traces messaging.Defects
	// does not look for.
	placeholderPatterns = []*regexp.Regexp{
		regexp.MustCompile(`<no value>|<nil>|%!`),
		regexp.MustCompile(`(?i)\b(since|on|for|before|at|until|by|de|el|para) *$`), // a sentence ending on its preposition
		regexp.MustCompile(`^\s*(applied|ha) `),                                     // a line starting where a name was
	}
	// englishInSpanish: dates and pay left in English in a Spanish message.
	englishInSpanish = regexp.MustCompile(`\b(January|February|March|April|June|July|August|September|October|November|December)\b|per hour|\$\d+\.\d\d\b`)
)

// check notes every defect one message shows: messaging.Defects (the one
// checker the template tests use too), then what only a whole journey
// shows.
func (r *recorder) check(m *received) {
	tmpl := strings.Join(m.templates, "+")
	link := linkPattern.FindString(m.text)
	if link == "" {
		link = staffLink.FindString(m.text)
	}
	if len(m.templates) > 0 {
		for _, d := range messaging.Defects(m.templates[0], messaging.Rendered{Subject: m.subject, Text: m.text}, m.channel, link) {
			r.note("defect:"+tmpl, fmt.Sprintf("to %s: %s", m.who, d))
		}
	}
	body := regexp.MustCompile(`https?://\S+`).ReplaceAllString(m.text, "URL")
	for _, part := range append([]string{m.subject}, strings.Split(body, "\n")...) {
		for _, p := range placeholderPatterns {
			if p.MatchString(part) {
				r.note("placeholder:"+tmpl, fmt.Sprintf("%q", strings.TrimSpace(part)))
			}
		}
		for _, code := range r.codes() {
			if regexp.MustCompile(`\b` + code + `\b`).MatchString(part) {
				r.note("raw_code:"+tmpl, code)
			}
		}
	}
	if m.language == "es" && englishInSpanish.MatchString(m.subject+" "+m.text) {
		r.note("english_in_spanish:"+tmpl, englishInSpanish.FindString(m.subject+" "+m.text))
	}
	if m.channel == messaging.ChannelSMS && m.segments > 2 {
		r.note("segments:"+tmpl, fmt.Sprintf("%d segments", m.segments))
	}
	// Requests to supervisors and employers go out promptly: never a day
	// later. Reminders wait for their digest (messaging's DigestDelay).
	if (m.kind == "supervisor" || m.kind == "employer") && !m.reminders && m.sentAt.Sub(m.createdAt) > programDay {
		r.note("waited_a_day:"+tmpl, fmt.Sprintf("sent %s after it was queued", m.sentAt.Sub(m.createdAt).Round(time.Millisecond)))
	}
	for _, w := range m.waits {
		if !r.waitOpen(w) {
			r.note("sent_after_wait_closed:"+tmpl, fmt.Sprintf("to %s: the wait %s was no longer on them", m.who, w.key))
		}
	}
}

// waitRef is the wait a message serves (messages.wait_key, wait_party).
type waitRef struct{ key, party string }

// waitOpen: the wait is still open for the party, right after the message
// was sent (people act only between steps, so nothing closed it since).
func (r *recorder) waitOpen(w waitRef) bool {
	var open bool
	if err := r.s.Pool.QueryRow(context.Background(), `SELECT EXISTS (SELECT 1 FROM open_waits
		WHERE wait_key = $1 AND ($2 = '' OR party = $2))`, w.key, w.party).Scan(&open); err != nil {
		r.t.Fatal(err)
	}
	return open
}

// codes are the internal codes a person must never read (training codes
// such as "hipaa"; snake_case ones are caught by rawCode).
func (r *recorder) codes() []string {
	if r.trainingCodes == nil {
		rows, err := r.s.Pool.Query(context.Background(), `SELECT code FROM trainings ORDER BY code`)
		if err != nil {
			r.t.Fatal(err)
		}
		if r.trainingCodes, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			r.t.Fatal(err)
		}
	}
	return r.trainingCodes
}

// unsent lists every message not sent when the script ended. A request
// nobody received while the journey ran is a defect.
//
// A message stopped because its step closed first (cancelled,
// suppressed, or still queued for a digest while its wait is over: the
// dispatcher drops it when it falls due) is the never-send-for-a-closed-
// step guarantee at work, not a defect, and is left out: whether a day-2
// reminder fell due before the person acted depends, at a program day of
// 1.5 seconds, on how busy the machine is.
func (r *recorder) unsent() []string {
	rows, err := r.s.Pool.Query(context.Background(), `SELECT recipient_kind, template, status, COALESCE(fail_reason, '')
		FROM messages m WHERE status NOT IN ('sent', 'delivered')
			AND NOT (status IN ('queued', 'cancelled', 'suppressed') AND wait_key IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM open_waits w WHERE w.wait_key = m.wait_key))
		ORDER BY status, recipient_kind, template, id`)
	if err != nil {
		r.t.Fatal(err)
	}
	var list []string
	for rows.Next() {
		var kind, tmpl, status, reason string
		if err := rows.Scan(&kind, &tmpl, &status, &reason); err != nil {
			r.t.Fatal(err)
		}
		line := fmt.Sprintf("%s to the %s (%s)", tmpl, kind, strings.TrimSpace(status+" "+reason))
		list = append(list, line)
		if status != "cancelled" {
			r.note("never_sent:"+tmpl, line)
		}
	}
	if err := rows.Err(); err != nil {
		r.t.Fatal(err)
	}
	return list
}

// linkAction names a link by what it does, for the transcript.
func (r *recorder) linkAction(link string) string {
	tok := link[strings.LastIndex(link, "/")+1:]
	var action string
	if err := r.s.Pool.QueryRow(context.Background(), `SELECT action FROM action_links WHERE token_hash = $1`,
		links.HashToken(tok)).Scan(&action); err != nil {
		return "link"
	}
	return "link:" + action
}
