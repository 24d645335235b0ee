package messaging

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/template"
)

// content is one template in one language, as written in templates_en.go
// and templates_es.go. Texts use text/template over the params map; a
// missing param renders as "".
type content struct {
	// SMS is only the message itself: the renderer adds the program name
	// in front, and the link and how to stop after it, to every text.
	SMS     string
	Subject string
	// Body is the email's text, paragraphs separated by blank lines; the
	// renderer adds the link and a footer, and builds the HTML part from it.
	Body string
	// Line summarises the item in a digest email (digest templates only).
	Line string
}

// language holds the fixed words of one language.
type language struct {
	Stop     string // SMS footer: how to stop
	OpenLink string // email: label of the link
	// HomePage introduces the link to the person's own page, in a text
	// or an email that carries it besides its own link.
	HomePage string
	Footer   string // email footer; {{.program}} and {{.contact}}
	// StaffFooter ends emails to staff, who are the contact themselves.
	StaffFooter   string
	DigestSubject string // {{.count}}, {{.program}}
	// DigestGreeting opens a digest email by the recipient's name
	// ({{.recipient_name}}), as every other email does.
	DigestGreeting string
	DigestIntro    string
	// InboxIntro leads a digest that points to the person's inbox (one
	// link for every item, overdue first); InboxLink labels that link.
	InboxIntro string
	InboxLink  string
	// InboxSMS is a text digest: {{.count}} items, {{.names}} the students'
	// first names; the inbox link follows it.
	InboxSMS string
	Status   map[string]string // application status codes
	Channel  map[string]string
	Reason   map[string]string // why a contact is unreachable
	// Code is the language's code ("en", "es"): dates and numbers follow it.
	Code string
	// Party names whom the journey cannot reach; %s is the student's first
	// name ("%s's parent or guardian").
	Party map[string]string
	// Role says what a named person is to the student, after their name
	// ("Dr. Kim (Maya's supervisor)"); %s is the student's first name.
	Role map[string]string
	// Steps names a journey's steps for staff by their code's first part
	// ("permit_sign:guardian:v2" → "work permit signature").
	Steps map[string]string
	// Waiting names whom a stuck step waits on, as the sentence
	// "… waits on {{waiting .waiting_on}}" needs it.
	Waiting map[string]string
	// Covering opens a message that came to district staff because
	// nobody holds the role it was for at the school (see standIns); by
	// role, %s is the school's name.
	Covering  map[string]string
	Templates map[string]content
}

var languages = map[string]*language{"en": &english, "es": &spanish}

// isDigest reports whether a message joins the daily digest: reminders
// to employers and supervisors, by email or (for those without an email)
// by text. A first request to act never
// waits for a digest (a supervisor asked to approve hours hears of it at
// once, however many emails they had that day).
func isDigest(reminder bool, recipientKind, channel string) bool {
	return reminder && (channel == ChannelEmail || channel == ChannelSMS) &&
		(recipientKind == "employer" || recipientKind == "supervisor")
}

// replyTemplates answer a text the person just sent; quiet hours do not
// apply to them.
var replyTemplates = []string{"contact_help", "reply_ack", "staff_reply", "home_link"}

// Templates renders messages from the built-in English and Spanish texts.
type Templates struct {
	compiled map[string]map[string]*compiledContent // lang → template key → texts
	langs    map[string]*compiledLang
}

type compiledContent struct{ sms, subject, body, line *template.Template }

type compiledLang struct {
	*language
	footer, staffFooter, digestSubject, digestGreeting *template.Template
	// inboxSMS is InboxSMS as the text of a content (fitSMS shortens it).
	inboxSMS *compiledContent
}

var (
	defaultOnce      sync.Once
	defaultTemplates *Templates
	defaultErr       error
)

// DefaultTemplates returns the built-in templates, parsed once. It panics
// only if the texts in this package do not parse, which a test guards.
func DefaultTemplates() *Templates {
	defaultOnce.Do(func() { defaultTemplates, defaultErr = compileTemplates() })
	if defaultErr != nil {
		panic(defaultErr)
	}
	return defaultTemplates
}

func compileTemplates() (*Templates, error) {
	t := &Templates{compiled: map[string]map[string]*compiledContent{}, langs: map[string]*compiledLang{}}
	for code, lang := range languages {
		cl := &compiledLang{language: lang}
		var err error
		if cl.footer, err = parseText(code+":footer", lang.Footer, lang); err != nil {
			return nil, err
		}
		if cl.staffFooter, err = parseText(code+":staff_footer", lang.StaffFooter, lang); err != nil {
			return nil, err
		}
		if cl.digestSubject, err = parseText(code+":digest", lang.DigestSubject, lang); err != nil {
			return nil, err
		}
		if cl.digestGreeting, err = parseText(code+":digest_greeting", lang.DigestGreeting, lang); err != nil {
			return nil, err
		}
		cl.inboxSMS = &compiledContent{}
		if cl.inboxSMS.sms, err = parseText(code+":inbox_sms", lang.InboxSMS, lang); err != nil {
			return nil, err
		}
		t.langs[code] = cl
		t.compiled[code] = map[string]*compiledContent{}
		for key, c := range lang.Templates {
			cc, err := compileContent(code+":"+key, c, lang)
			if err != nil {
				return nil, err
			}
			t.compiled[code][key] = cc
		}
	}
	return t, nil
}

func compileContent(name string, c content, lang *language) (*compiledContent, error) {
	var cc compiledContent
	var err error
	for _, p := range []struct {
		dst  **template.Template
		text string
	}{{&cc.sms, c.SMS}, {&cc.subject, c.Subject}, {&cc.body, c.Body}, {&cc.line, c.Line}} {
		if *p.dst, err = parseText(name, p.text, lang); err != nil {
			return nil, err
		}
	}
	return &cc, nil
}

func parseText(name, text string, lang *language) (*template.Template, error) {
	lookup := func(m map[string]string) func(string) string {
		return func(code string) string {
			if v, ok := m[code]; ok {
				return v
			}
			return code
		}
	}
	t, err := template.New(name).Option("missingkey=zero").Funcs(template.FuncMap{
		"status": lookup(lang.Status), "channel": lookup(lang.Channel), "reason": lookup(lang.Reason),
		"who": func(party, student string) string {
			if f, ok := lang.Party[party]; ok {
				return fmt.Sprintf(f, student)
			}
			return student
		},
		"role": func(party, student string) string {
			f, ok := lang.Role[party]
			switch {
			case !ok:
				return party
			case strings.Contains(f, "%s"):
				return fmt.Sprintf(f, student)
			}
			return f
		},
		"date":     func(iso string) string { return localDate(iso, lang) },
		"breaches": func(raw string) string { return hourBreaches(raw, lang) },
		"hours":    func(raw string) string { return hoursAmount(raw, lang) },
		"step":     func(code string) string { return stepName(code, lang) },
		"waiting":  lookup(lang.Waiting),
	}).Parse(text)
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", name, err)
	}
	return t, nil
}

// stepName names a step code in words: its first part, and the week of a
// timesheet ("timesheet:2027-06-07" → "timesheet for the week of June 7,
// 2027"). Codes it does not know stay as they are (a test keeps the list
// complete).
func stepName(code string, lang *language) string {
	head, rest, _ := strings.Cut(code, ":")
	name, ok := lang.Steps[head]
	if !ok {
		return code
	}
	if week, _, _ := strings.Cut(rest, ":"); head == "timesheet" && week != "" {
		return fmt.Sprintf(lang.Steps["timesheet_week"], localDate(week, lang))
	}
	return name
}

// Has reports whether a template name exists.
func (t *Templates) Has(name string) bool {
	_, ok := t.compiled["en"][name]
	return ok
}

// Names lists the template names (without recipient variants), sorted.
func (t *Templates) Names() []string {
	var out []string
	for k := range t.compiled["en"] {
		if !strings.Contains(k, "@") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// RenderInput is what a message is rendered from.
type RenderInput struct {
	Template      string
	Language      string
	Channel       string
	RecipientKind string
	Params        map[string]string
	// Program and Contact fill {{.program}} and {{.contact}} unless the
	// params set them.
	Program string
	Contact string
	// Link is the action link's URL ("" when the message has none).
	Link string
	// HomeLink is the person's own page, carried after the action link
	// ("" when the message does not carry it).
	HomeLink string
	// StaffPage is the staff page a staff message opens: the student's
	// page for a message about one student, the MOU approvals for an MOU
	// (see needs).
	StaffPage string
}

// Rendered is a message ready for a provider. An SMS has only Text.
type Rendered struct {
	Subject string
	Text    string
	HTML    string
}

// Render renders one message. An unknown template is an error; missing
// params render as empty text.
func (t *Templates) Render(in RenderInput) (Rendered, error) {
	lang, cc, err := t.lookup(in.Template, in.Language, in.RecipientKind)
	if err != nil {
		return Rendered{}, err
	}
	params := withDefaults(in)
	if in.Link == "" && opensStaffPage(in.Template) {
		in.Link = in.StaffPage
	}
	if in.Channel == ChannelSMS {
		link := in.Link
		if in.HomeLink != "" {
			link = strings.TrimSpace(link + " " + lang.HomePage + " " + in.HomeLink)
		}
		return Rendered{Text: fitSMS(lang, cc, params, link)}, nil
	}
	footer := lang.footer
	if in.RecipientKind == "staff" {
		footer = lang.staffFooter
	}
	return renderEmail(lang, cc, params, in.Link, footer, in.HomeLink)
}

// lookup finds the template for the recipient's language, preferring a
// variant written for the recipient's kind ("permit_sign_request@guardian").
func (t *Templates) lookup(name, lang, kind string) (*compiledLang, *compiledContent, error) {
	if !t.Has(name) {
		return nil, nil, fmt.Errorf("unknown message template %q", name)
	}
	if _, ok := t.langs[lang]; !ok {
		lang = "en"
	}
	set := t.compiled[lang]
	if cc, ok := set[name+"@"+variant(kind)]; ok {
		return t.langs[lang], cc, nil
	}
	return t.langs[lang], set[name], nil
}

func variant(kind string) string {
	if kind == "supervisor" {
		return "employer"
	}
	return kind
}

func withDefaults(in RenderInput) map[string]string {
	p := maps.Clone(in.Params)
	if p == nil {
		p = map[string]string{}
	}
	if p["program"] == "" {
		p["program"] = in.Program
	}
	if p["contact"] == "" {
		p["contact"] = in.Contact
	}
	if _, ok := p["recipient_name"]; !ok {
		p["recipient_name"] = "" // queued before greetings named the reader
	}
	inLanguage(p, in.Language)
	return p
}

func execute(t *template.Template, data any) string {
	var b bytes.Buffer
	// Only a template func could fail, and ours cannot; a message is never
	// held back at send time for a rendering detail.
	_ = t.Execute(&b, data)
	return b.String()
}

// maxSMSSegments is the most parts a text may take.
const maxSMSSegments = 2

// composeSMS lays out every text the same way, so each names the program
// and says how to stop.
func composeSMS(lang *compiledLang, cc *compiledContent, params map[string]string, link string) string {
	parts := []string{params["program"] + ":", strings.TrimSpace(execute(cc.sms, params))}
	if link != "" {
		parts = append(parts, link)
	}
	parts = append(parts, lang.Stop)
	return gsmFold.Replace(strings.Join(parts, " "))
}

// fitSMS renders the text and, if it would take more than two segments
// (a long comment, a long employer name), shortens the longest param until
// it fits. The result is deterministic, which resend detection relies on.
func fitSMS(lang *compiledLang, cc *compiledContent, params map[string]string, link string) string {
	body := composeSMS(lang, cc, params, link)
	for range 12 {
		n, enc := smsSegments(body)
		if n <= maxSMSSegments {
			return body
		}
		key := longestParam(params)
		if key == "" {
			return body
		}
		params[key] = shorten(params[key], overflow(body, enc)+3)
		body = composeSMS(lang, cc, params, link)
	}
	return body
}

// overflow estimates how many characters too long a text is.
func overflow(body, enc string) int {
	limit, size := maxSMSSegments*gsmPart, 0
	if enc == "UCS-2" {
		limit = maxSMSSegments * ucs2Part
	}
	for _, r := range body {
		if w := gsmSeptets[r]; w > 0 && enc == "GSM-7" {
			size += w
		} else {
			size++
		}
	}
	return max(size-limit, 1)
}

// longestParam picks the param to shorten; the program name is never cut.
func longestParam(params map[string]string) string {
	best, bestLen := "", 8
	for _, k := range slices.Sorted(maps.Keys(params)) {
		if k == "program" {
			continue
		}
		if n := len([]rune(params[k])); n > bestLen {
			best, bestLen = k, n
		}
	}
	return best
}

// shorten cuts by at least cut characters and marks the cut with "...".
func shorten(s string, cut int) string {
	r := []rune(strings.TrimSpace(s))
	keep := max(len(r)-cut-3, 5)
	if keep >= len(r) {
		return string(r)
	}
	return strings.TrimSpace(string(r[:keep])) + "..."
}

func renderEmail(lang *compiledLang, cc *compiledContent, params map[string]string, link string, footerText *template.Template, home string) (Rendered, error) {
	body := strings.TrimSpace(execute(cc.body, params))
	if note := coveringNote(lang.language, params); note != "" {
		// After the greeting: the reader first learns why it is theirs.
		greeting, rest, ok := strings.Cut(body, "\n\n")
		if !ok {
			greeting, rest = "", body
		}
		body = strings.TrimSpace(greeting + "\n\n" + note + "\n\n" + rest)
	}
	footer := execute(footerText, params)
	page := emailPage{Lang: langCode(lang), Paragraphs: paragraphs(body), Link: link, LinkLabel: lang.OpenLink, Footer: footer}
	if home != "" {
		page.Home, page.HomeLabel = home, lang.HomePage
	}
	return finishEmail(strings.TrimSpace(execute(cc.subject, params)), body, page)
}

// Params Enqueue sets when a school role's message goes to stand-ins.
const (
	coveringSchool = "covering_school"
	coveringRole   = "covering_role"
)

// coveringNote says why a stand-in got the message ("" when it went to
// the role's own holder).
func coveringNote(lang *language, params map[string]string) string {
	school := params[coveringSchool]
	f, ok := lang.Covering[params[coveringRole]]
	if school == "" || !ok {
		return ""
	}
	return fmt.Sprintf(f, school)
}

func finishEmail(subject, body string, page emailPage) (Rendered, error) {
	text := body
	if page.Link != "" {
		text += "\n\n" + page.LinkLabel + ": " + page.Link
	}
	for _, it := range page.Items {
		text += "\n\n- " + it.Line
		if it.Link != "" {
			text += "\n  " + it.Link
		}
	}
	if page.Home != "" {
		text += "\n\n" + page.HomeLabel + " " + page.Home
	}
	text += "\n\n--\n" + page.Footer + "\n"
	var html bytes.Buffer
	if err := emailHTML.Execute(&html, page); err != nil {
		return Rendered{}, fmt.Errorf("render email html: %w", err)
	}
	return Rendered{Subject: subject, Text: text, HTML: html.String()}, nil
}

func langCode(l *compiledLang) string {
	for code, x := range languages {
		if x == l.language {
			return code
		}
	}
	return "en"
}

func paragraphs(body string) []string {
	var out []string
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type emailPage struct {
	Lang       string
	Paragraphs []string
	Link       string
	LinkLabel  string
	Items      []emailItem
	Footer     string
	// Home links the person's own page (HomeLabel: "Your page:").
	Home, HomeLabel string
}

type emailItem struct{ Line, Link string }

var emailHTML = htmltemplate.Must(htmltemplate.New("email").Parse(`<!doctype html>
<html lang="{{.Lang}}"><body style="font-family:Arial,sans-serif;line-height:1.5;color:#222;max-width:560px;margin:0 auto;padding:16px">
{{range .Paragraphs}}<p style="white-space:pre-line">{{.}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}" style="display:inline-block;padding:10px 18px;background:#1a5fb4;color:#fff;text-decoration:none;border-radius:4px">{{.LinkLabel}}</a></p>
{{end}}{{if .Items}}<ul>
{{range .Items}}<li style="margin-bottom:8px">{{.Line}}{{with .Link}}<br><a href="{{.}}">{{$.LinkLabel}}</a>{{end}}</li>
{{end}}</ul>
{{end}}{{if .Home}}<p>{{.HomeLabel}} <a href="{{.Home}}">{{.Home}}</a></p>
{{end}}<p style="color:#666;font-size:12px">{{.Footer}}</p>
</body></html>
`))

// DigestItem is one pending item in a digest email.
type DigestItem struct {
	Template      string
	RecipientKind string
	Params        map[string]string
	Link          string
}

// digestLine is the item's Line, or its subject when it has none (any
// reminder to an employer can join a digest).
func digestLine(cc *compiledContent, params map[string]string) string {
	if line := strings.TrimSpace(execute(cc.line, params)); line != "" {
		return line
	}
	return strings.TrimSpace(execute(cc.subject, params))
}

// RenderDigest renders one email listing several pending items. With an
// inbox link (a supervisor's or employer contact's inbox, where every
// pending item waits, overdue first) the email carries that one link and
// the items as plain lines; without one, each item carries its own link.
func (t *Templates) RenderDigest(langCode, program, contact, inbox string, items []DigestItem) (Rendered, error) {
	lang, ok := t.langs[langCode]
	if !ok {
		lang = t.langs["en"]
	}
	items = byStudent(items)
	base := withDefaults(RenderInput{Program: program, Contact: contact})
	page := emailPage{Lang: langCode, LinkLabel: lang.OpenLink, Footer: execute(lang.footer, base)}
	for _, it := range items {
		_, cc, err := t.lookup(it.Template, langCode, it.RecipientKind)
		if err != nil {
			return Rendered{}, err
		}
		params := withDefaults(RenderInput{Params: it.Params, Program: program, Contact: contact})
		item := emailItem{Line: digestLine(cc, params), Link: it.Link}
		if inbox != "" {
			item.Link = ""
		}
		page.Items = append(page.Items, item)
	}
	base["count"] = strconv.Itoa(len(items))
	intro := lang.DigestIntro
	if inbox != "" {
		intro, page.Link, page.LinkLabel = lang.InboxIntro, inbox, lang.InboxLink
	}
	for _, it := range items {
		if n := it.Params["recipient_name"]; n != "" {
			base["recipient_name"] = n
			break
		}
	}
	greeting := execute(lang.digestGreeting, base)
	page.Paragraphs = []string{greeting, intro}
	return finishEmail(execute(lang.digestSubject, base), greeting+"\n\n"+intro, page)
}

// byStudent orders a digest's items by student (first name), then by
// template and params: the same items always read in the same order,
// whichever reminder happened to lead.
func byStudent(items []DigestItem) []DigestItem {
	out := slices.Clone(items)
	key := func(it DigestItem) string {
		return it.Params["student_first_name"] + "\x00" + it.Template + "\x00" + strings.Join(paramValues(it.Params), "\x00")
	}
	slices.SortStableFunc(out, func(a, b DigestItem) int { return strings.Compare(key(a), key(b)) })
	return out
}

// paramValues are a template's params in key order.
func paramValues(params map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(params)) {
		out = append(out, params[k])
	}
	return out
}

// RenderDigestSMS renders a text digest: how many items wait, for which
// students (first names), and the inbox link, within two segments.
func (t *Templates) RenderDigestSMS(langCode, program, inbox string, items []DigestItem) Rendered {
	lang, ok := t.langs[langCode]
	if !ok {
		lang = t.langs["en"]
	}
	var names []string
	for _, it := range byStudent(items) {
		if n := it.Params["student_first_name"]; n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	params := withDefaults(RenderInput{Program: program})
	params["count"], params["names"] = strconv.Itoa(len(items)), strings.Join(names, ", ")
	return Rendered{Text: fitSMS(lang, lang.inboxSMS, params, inbox)}
}
