package staff_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
)

const (
	jobFairEN = "The job fair is Friday at 10 in the gym. Bring your resume."
	jobFairES = "La feria de empleo es el viernes a las 10 en el gimnasio. Trae tu currículum."
)

// gradeEleven gives school A two more grade-11 students with open
// journeys (one reads Spanish), besides the fixture's Maya, and a
// grade-10 one; school B's Bruno (grade 12) has one too. It returns the
// grade-11 students by first name.
func gradeEleven(t *testing.T, e *env) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{"Maya": e.f.Student}
	for _, s := range []store.Student{
		{FirstName: "Ana", LastName: "Reyes", Grade: 11, Phone: "+15555551101", Language: "en"},
		{FirstName: "Lucía", LastName: "Gómez", Grade: 11, Phone: "+15555551102", Language: "es"},
		{FirstName: "Tomas", LastName: "Tenth", Grade: 10, Phone: "+15555551003", Language: "en"},
	} {
		s.DistrictID, s.SchoolID = e.f.District, e.f.School
		id, err := e.Store.CreateStudent(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		e.enroll(t, id)
		if s.Grade == 11 {
			ids[s.FirstName] = id
		}
	}
	return ids
}

// announcements counts the district messages queued (any status).
func (e *env) announcements(t *testing.T) int {
	return e.count(t, `SELECT count(*) FROM messages WHERE template LIKE 'district_%'`)
}

// A coordinator messages grade 11 of their school from the browser: an
// empty note is refused next to the field and queues nothing; the preview
// shows the count, the segments, time and cost and the texts in English
// and Spanish; Send queues one message per student, in their language,
// with their own page's link; pressing Send twice texts nobody twice.
func TestBrowser_CoordinatorMessagesGradeEleven_PreviewThenOneTextEach(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	students := gradeEleven(t, e)
	signInInBrowser(t, ctx, e, coachA)

	run(t, ctx, "preview with no note", chromedp.Navigate(e.URL+"/staff/messages"),
		chromedp.WaitVisible(chromedp.ID("compose")),
		chromedp.SetValue(chromedp.ID("school"), e.f.School), chromedp.SetValue(chromedp.ID("grade"), "11"),
		chromedp.Click(chromedp.ID("preview-button")),
		chromedp.WaitVisible(chromedp.CSS(`label:has(#note_en) .field-error`)))
	if got := text(t, ctx, `label:has(#note_en) .field-error`); got != "Write the message in English." {
		t.Fatalf("empty English note: the field says %q", got)
	}
	if got := text(t, ctx, `label:has(#note_es) .field-error`); got != "Write the message in Spanish." {
		t.Fatalf("empty Spanish note: the field says %q", got)
	}
	if n := e.announcements(t); n != 0 {
		t.Fatalf("a refused form queued %d messages", n)
	}

	run(t, ctx, "write the notes and preview", chromedp.SetValue(chromedp.ID("note_en"), jobFairEN),
		chromedp.SetValue(chromedp.ID("note_es"), jobFairES), chromedp.Click(chromedp.ID("preview-button")),
		chromedp.WaitVisible(chromedp.ID("preview")))
	if got := text(t, ctx, "#count"); got != "3 students match: 3 by text, 0 by email." {
		t.Fatalf("count line %q", got)
	}
	en, es := text(t, ctx, "#text-en"), text(t, ctx, "#text-es")
	wantEN := "Internships: Hi Alexandria, news from your school: " + jobFairEN + " Your page: "
	wantES := "Internships: Hola Alexandria, noticias de tu escuela: La feria de empleo es el viernes a las 10 en el gimnasio. Trae tu curriculum. Tu pagina: "
	if !strings.HasPrefix(en, wantEN) || !strings.HasSuffix(en, " Reply STOP to opt out.") {
		t.Fatalf("English preview:\n%s", en)
	}
	if !strings.HasPrefix(es, wantES) || !strings.HasSuffix(es, " Responde STOP para cancelar.") {
		t.Fatalf("Spanish preview:\n%s", es)
	}
	segEN, segES := messaging.SMSSegments(en), messaging.SMSSegments(es)
	segments := 2*segEN + segES // Maya and Ana read English, Lucía Spanish
	if got, want := text(t, ctx, "#segments"), fmt.Sprintf("%d text segments in all; English: %d segments × 2 texts; Spanish: %d segments × 1 text.",
		segments, segEN, segES); got != want {
		t.Fatalf("segments line %q, want %q", got, want)
	}
	if got, want := text(t, ctx, "#cost"), fmt.Sprintf("Estimated cost: $%.4f (%d segments × $0.0083 per segment; an estimate", float64(segments)*0.0083, segments); !strings.HasPrefix(got, want) {
		t.Fatalf("cost line %q, want it to start %q", got, want)
	}
	if got := text(t, ctx, "#time"); !strings.HasPrefix(got, "Estimated time: the last text goes in under a minute (") ||
		!strings.Contains(got, "then these 3, at 1000 texts per second)") {
		t.Fatalf("time line %q", got)
	}
	shot(t, ctx, "message-preview.png")

	// Send, pressed twice in a row as an impatient hand does.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const b = document.getElementById('send'); b.click(); b.click(); return true })()`)); err != nil {
		t.Fatalf("press Send twice: %v", err)
	}
	run(t, ctx, "the page after sending", chromedp.WaitVisible(chromedp.ID("flash")))
	eventually(t, "the messages queued", func() bool { return e.announcements(t) == 3 })
	assertOneEach(t, e, students)

	// What each student reads, rendered as the dispatcher sends it.
	texts := e.rendered(t, `SELECT id, recipient_ref FROM messages WHERE template LIKE 'district_%'`)
	linkRe := regexp.QuoteMeta(e.URL) + `/l/[A-Za-z0-9_-]+`
	for name, want := range map[string]string{
		"Maya":  `^Internships: Hi Maya, news from your school: ` + regexp.QuoteMeta(jobFairEN) + ` Your page: ` + linkRe + ` Reply STOP to opt out\.$`,
		"Ana":   `^Internships: Hi Ana, news from your school: ` + regexp.QuoteMeta(jobFairEN) + ` Your page: ` + linkRe + ` Reply STOP to opt out\.$`,
		"Lucía": `^Internships: Hola Lucia, noticias de tu escuela: La feria de empleo es el viernes a las 10 en el gimnasio\. Trae tu curriculum\. Tu pagina: ` + linkRe + ` Responde STOP para cancelar\.$`,
	} {
		if !regexp.MustCompile(want).MatchString(texts[students[name]]) {
			t.Fatalf("%s reads:\n%s", name, texts[students[name]])
		}
	}
	// Ana's link opens her own page.
	link := regexp.MustCompile(linkRe).FindString(texts[students["Ana"]])
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "Ana") {
		t.Fatalf("Ana's link answered %d", resp.StatusCode)
	}
}

// assertOneEach checks the outbox holds exactly one district message per
// grade-11 student of school A, and none for anyone else.
func assertOneEach(t *testing.T, e *env, students map[string]string) {
	t.Helper()
	for name, id := range students {
		if n := e.count(t, `SELECT count(*) FROM messages WHERE template = 'district_news' AND recipient_ref = $1`, id); n != 1 {
			t.Fatalf("%s has %d messages, want 1", name, n)
		}
	}
	if n := e.announcements(t); n != len(students) {
		t.Fatalf("%d messages queued for %d students", n, len(students))
	}
}

// messageForm is the compose form for grade 11 of school A.
func messageForm(e *env, key string) url.Values {
	return url.Values{"template": {"district_news"}, "school": {e.f.School}, "grade": {"11"}, "stage": {""}, "waiting": {""},
		"note_en": {jobFairEN}, "note_es": {jobFairES}, "request_key": {key}}
}

// previewAndSend previews the form, then presses Send on the preview.
func previewAndSend(t *testing.T, c *stafftest.Client, form url.Values) (preview, sent stafftest.Response) {
	t.Helper()
	form.Set("step", "preview")
	preview = c.Action("/staff/messages", form)
	if preview.Status != http.StatusOK {
		t.Fatalf("preview answered %d:\n%s", preview.Status, preview.Body)
	}
	form.Set("step", "send")
	form.Set("previewed", stafftest.Field(preview.Body, "previewed"))
	sent = c.Action("/staff/messages", form)
	if sent.Status != http.StatusSeeOther {
		t.Fatalf("send answered %d:\n%s", sent.Status, sent.Body)
	}
	return preview, sent
}

// The same form sent twice queues nothing the second time and says so;
// a fresh form is a new message.
func TestMessages_SentTwice_TextsNobodyTwice(t *testing.T) {
	e := newEnv(t)
	students := gradeEleven(t, e)
	c := e.signIn(t, coachA)
	form := messageForm(e, stafftest.Field(c.Get("/staff/messages").Body, "request_key"))
	preview, _ := previewAndSend(t, c, form)
	has(t, preview, "3 students match", `id="send"`)
	has(t, c.Get("/staff/messages"), "Queued 3 messages.")
	second := c.Action("/staff/messages", form)
	if second.Status != http.StatusSeeOther {
		t.Fatalf("second send answered %d", second.Status)
	}
	has(t, c.Get("/staff/messages"), "This message was already sent: nobody gets it twice.")
	assertOneEach(t, e, students)
	if n := e.auditCount(t, coachA, "district_message_sent", ""); n != 1 {
		t.Fatalf("%d audit rows, want 1", n)
	}
}

// At night the texts are queued but held until quiet hours end, and the
// preview says so.
func TestMessages_DuringQuietHours_TextsWaitForMorning(t *testing.T) {
	e := newEnv(t)
	gradeEleven(t, e)
	la, _ := time.LoadLocation("America/Los_Angeles")
	hour := time.Now().In(la).Hour()
	e.exec(t, `UPDATE districts SET quiet_start = $2, quiet_end = $3 WHERE id = $1`, e.f.District, hour, (hour+2)%24)
	c := e.signIn(t, coachA)
	form := messageForm(e, stafftest.Field(c.Get("/staff/messages").Body, "request_key"))
	preview, _ := previewAndSend(t, c, form)
	has(t, preview, "It is quiet hours for some of them: their texts wait until")
	if n := e.count(t, `SELECT count(*) FROM messages WHERE template = 'district_news' AND channel = 'sms' AND send_after > now()`); n != 3 {
		t.Fatalf("%d texts held for quiet hours, want 3", n)
	}
	e.Drain()
	if n := e.count(t, `SELECT count(*) FROM messages WHERE template = 'district_news' AND status = 'queued'`); n != 3 {
		t.Fatalf("after a drain %d district texts still wait, want all 3", n)
	}
}

// A form changed after its preview is not sent: the new preview shows
// instead, with a word on why.
func TestMessages_ChangedAfterPreview_PreviewsAgainSendsNothing(t *testing.T) {
	e := newEnv(t)
	gradeEleven(t, e)
	c := e.signIn(t, coachA)
	form := messageForm(e, stafftest.Field(c.Get("/staff/messages").Body, "request_key"))
	form.Set("step", "preview")
	preview := c.Action("/staff/messages", form)
	form.Set("step", "send")
	form.Set("previewed", stafftest.Field(preview.Body, "previewed"))
	form.Set("grade", "")
	r := c.Action("/staff/messages", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("changed form answered %d", r.Status)
	}
	has(t, r, "changed since the preview", "4 students match")
	if n := e.announcements(t); n != 0 {
		t.Fatalf("a changed form queued %d messages", n)
	}
}

// Bad input comes back with the problem next to its field and nothing
// queued: no audience, empty or too long notes, a link, another school.
func TestMessages_BadInput_MessageNextToTheFieldNothingQueued(t *testing.T) {
	e := newEnv(t)
	gradeEleven(t, e)
	c := e.signIn(t, coachA)
	key := stafftest.Field(c.Get("/staff/messages").Body, "request_key")
	for _, tc := range []struct {
		name  string
		edit  func(url.Values)
		field string
		want  string
	}{
		{"nobody matches", func(v url.Values) { v.Set("grade", "13") }, "audience",
			"No student with an open journey matches this audience"},
		{"empty English", func(v url.Values) { v.Set("note_en", "  ") }, "note_en", "Write the message in English."},
		{"too long", func(v url.Values) { v.Set("note_es", strings.Repeat("a", 141)) }, "note_es",
			"Too long: at most 140 characters (this has 141)."},
		{"emoji too long for two texts", func(v url.Values) { v.Set("note_en", strings.Repeat("🎉 party ", 15)) }, "note_en",
			"Too long for two text messages"},
		{"a link", func(v url.Values) { v.Set("note_en", "Sign up at bit.ly/fair2027 today") }, "note_en",
			"Links, web and email addresses are not allowed"},
		{"another coordinator's school", func(v url.Values) { v.Set("school", e.schoolB) }, "school",
			"Choose one of your schools."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, step := range []string{"preview", "send"} {
				form := messageForm(e, key)
				form.Set("step", step)
				tc.edit(form)
				r := c.Action("/staff/messages", form)
				if r.Status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: %d", step, r.Status)
				}
				has(t, r, tc.want)
				if !fieldHasError(r.Body, tc.field, tc.want) {
					t.Fatalf("%s: %q is not next to %s", step, tc.want, tc.field)
				}
			}
			if n := e.announcements(t); n != 0 {
				t.Fatalf("refused forms queued %d messages", n)
			}
		})
	}
}

// fieldHasError reports whether the error shows inside the field's label
// (or the audience fieldset).
func fieldHasError(body, field, want string) bool {
	var block string
	if field == "audience" {
		i := strings.Index(body, `<fieldset id="audience">`)
		block = body[i : i+400]
	} else {
		i := strings.Index(body, `id="`+field+`"`)
		if i < 0 {
			return false
		}
		j := strings.Index(body[i:], "</label>")
		block = body[i : i+j]
	}
	return strings.Contains(block, `class="field-error"`) && strings.Contains(block, want)
}

// After a send, the ops console shows the district's backlog with an ETA
// (and links its page that refreshes itself), and /metrics (the ops listener) exposes the backlog gauge by channel.
func TestMessages_Backlog_OnOpsConsoleAndMetrics(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.SMSPerSecond = 1 })
	gradeEleven(t, e)
	c, opsStaff := e.signIn(t, coachA), e.signIn(t, approverOps) // signing in drains the outbox: before the send
	previewAndSend(t, c, messageForm(e, stafftest.Field(c.Get("/staff/messages").Body, "request_key")))
	due := e.count(t, `SELECT count(*) FROM messages WHERE channel = 'sms' AND status IN ('queued','sending') AND send_after <= now()`)
	if due < 3 {
		t.Fatalf("%d texts due, want at least the 3 just sent", due)
	}
	ops := opsStaff.Get("/staff/ops")
	row := regexp.MustCompile(`(?s)<tr id="outbox-sms">.*?</tr>`).FindString(ops.Body)
	if !strings.Contains(row, fmt.Sprintf(`<td data-label="Due now">%d</td>`, due)) || !strings.Contains(row, "at 1 text per second") {
		t.Fatalf("ops console backlog row:\n%s", row)
	}
	has(t, ops, `href="/staff/ops/outbox"`)
	live := opsStaff.Get("/staff/ops/outbox")
	has(t, live, `<meta http-equiv="refresh" content="10">`, "this page refreshes itself every 10 seconds")
	if liveRow := regexp.MustCompile(`(?s)<tr id="outbox-sms">.*?</tr>`).FindString(live.Body); liveRow != row {
		t.Fatalf("live backlog row:\n%s\nconsole row:\n%s", liveRow, row)
	}
	srv := httptest.NewServer(e.OpsHandler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := fmt.Sprintf("internflow_outbox_backlog{channel=\"sms\"} %d\n", due); !strings.Contains(string(body), want) {
		t.Fatalf("/metrics lacks %q", want)
	}
	if !strings.Contains(string(body), "internflow_outbox_backlog{channel=\"email\"}") {
		t.Fatal("/metrics has no email backlog")
	}
}
