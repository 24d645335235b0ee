package staff_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging"
)

const guardianAPhone = "+15555550143" // the fixture student's guardian

// text posts a correctly signed Twilio webhook, as Twilio does when
// someone texts our number.
func (e *env) text(t *testing.T, from, body string) {
	t.Helper()
	resp, err := e.Twilio.PostSigned(context.Background(), e.URL+messaging.PathTwilioInbound, "", e.Twilio.InboundForm(from, body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("inbound text %q: status %d", body, resp.StatusCode)
	}
}

// quietNow makes it quiet hours in the district right now.
func (e *env) quietNow(t *testing.T) {
	t.Helper()
	h := time.Now().In(mustZone(t, "America/Los_Angeles")).Hour()
	if _, err := e.Pool.Exec(context.Background(), `UPDATE districts SET timezone = 'America/Los_Angeles',
		quiet_start = $2, quiet_end = $3 WHERE id = $1`, e.f.District, h, (h+2)%24); err != nil {
		t.Fatal(err)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestReplies_StudentTextReachesCoordinator_WhoAnswersByText would have
// caught issue 26: "what do I do next?" landed on the timeline only, with
// no mark on the dashboard and no answer to the student.
func TestReplies_StudentTextReachesCoordinator_WhoAnswersByText(t *testing.T) {
	e := newEnv(t)
	e.quietNow(t) // acknowledgements and answers go anyway: the student just wrote
	e.text(t, studentAPhone, "what do I do next?")
	e.text(t, studentAPhone, "and where do I go?")

	// The student hears back at once, once, in English, naming who will read it.
	e.Drain()
	ack := "Summer: Thanks, we got your message. Coach Rivera (your internship coordinator) will read it and answer you here. Reply STOP to opt out."
	if n := countBody(e.Twilio.BodiesTo(studentAPhone), ack); n != 1 {
		t.Fatalf("%d acknowledgements to the student, want 1: %q", n, e.Twilio.BodiesTo(studentAPhone))
	}

	// The coordinator's dashboard lists the replies as unread; school B's does not.
	coach := e.signIn(t, coachA)
	dash := coach.Get("/staff")
	has(t, dash, `<span class="tag warn" id="unread-count">2 unread</span>`, `<q>what do I do next?</q>`,
		`href="/staff/students/`+e.journeyA+`#replies">Maya Lopez</a>`)
	other := e.signIn(t, coachB).Get("/staff")
	has(t, other, "none unread")
	if strings.Contains(other.Body, "what do I do next?") {
		t.Fatal("school B's coordinator sees school A's reply")
	}

	// The student page shows the replies, new, and a form to answer.
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, `<strong>Maya Lopez (student)</strong> <span class="tag warn">New</span>: <q>what do I do next?</q>`,
		`Answer Maya Lopez (student) by text`, `Automatic acknowledgement to Student`)
	// Opening it marked them read.
	has(t, coach.Get("/staff"), "none unread")
	if strings.Contains(coach.Get("/staff/students/"+e.journeyA).Body, `<span class="tag warn">New</span>`) {
		t.Fatal("replies still marked new after the page was opened")
	}

	// An empty answer, or one too long for a text, is refused next to the
	// text, which is kept; nothing is sent.
	bad := refused(t, coach, e.journeyA, "answer", url.Values{"to": {answerTo(t, page.Body)}, "text": {"  "}})
	nextTo(t, bad, "answer", "text", "Answer: write the answer to send.")
	long := strings.Repeat("Bring your ID. ", 20)
	bad = refused(t, coach, e.journeyA, "answer", url.Values{"to": {answerTo(t, page.Body)}, "text": {long}})
	nextTo(t, bad, "answer", "text", fmt.Sprintf("Answer: the answer is %d characters; a text takes at most %d.",
		len(strings.TrimSpace(long)), messaging.MaxAnswerLength))
	kept(t, bad, "answer", "text", long)
	if e.auditCount(t, coachA, "reply_answered", e.journeyA) != 0 {
		t.Fatal("a refused answer was sent")
	}

	// The answer goes out as a text now (quiet hours or not) and shows on the page.
	done := act(t, coach, e.journeyA, "answer", url.Values{"to": {answerTo(t, page.Body)},
		"text": {"Upload your resume from the link we sent; I will review it Friday."}})
	has(t, done, "Your answer is on its way to Maya Lopez (student) by text.",
		`<strong>Coach Rivera</strong> to Student: <q>Upload your resume from the link we sent; I will review it Friday.</q>`)
	e.Drain()
	answer := "Summer: Coach Rivera: Upload your resume from the link we sent; I will review it Friday. Reply STOP to opt out."
	if n := countBody(e.Twilio.BodiesTo(studentAPhone), answer); n != 1 {
		t.Fatalf("the answer reached the student %d times: %q", n, e.Twilio.BodiesTo(studentAPhone))
	}
	if e.auditCount(t, coachA, "reply_answered", e.journeyA) != 1 {
		t.Fatal("the answer is not in the audit log")
	}
	// The other school's coordinator cannot answer this student.
	if r := e.signIn(t, coachB).Action("/staff/students/"+e.journeyA+"/answer", url.Values{"to": {answerTo(t, page.Body)}, "text": {"hi"}}); r.Status != http.StatusNotFound {
		t.Fatalf("school B answering school A's student: %d", r.Status)
	}
}

// A parent who writes in Spanish is acknowledged in Spanish, shown as the
// parent, and answered.
func TestReplies_ParentInSpanish_AcknowledgedAndAnsweredAsTheParent(t *testing.T) {
	e := newEnv(t)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE guardians SET language = 'es' WHERE student_id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	e.text(t, guardianAPhone, "¿A qué hora termina el turno?")
	e.Drain()
	ack := "Summer: Gracias, recibimos su mensaje. Coach Rivera (coordinador(a) de pasantias de su estudiante) lo leera y le respondera por aqui. Responde STOP para cancelar."
	if n := countBody(e.Twilio.BodiesTo(guardianAPhone), ack); n != 1 {
		t.Fatalf("acknowledgements to the parent: %q", e.Twilio.BodiesTo(guardianAPhone))
	}
	coach := e.signIn(t, coachA)
	has(t, coach.Get("/staff"), "from Rosa Lopez (parent/guardian)", "<q>¿A qué hora termina el turno?</q>")
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, "Answer Rosa Lopez (parent/guardian) by text")
	act(t, coach, e.journeyA, "answer", url.Values{"to": {answerTo(t, page.Body)}, "text": {"A las 5 de la tarde."}})
	e.Drain()
	if n := countBody(e.Twilio.BodiesTo(guardianAPhone), "Summer: Coach Rivera: A las 5 de la tarde. Responde STOP para cancelar."); n != 1 {
		t.Fatalf("texts to the parent: %q", e.Twilio.BodiesTo(guardianAPhone))
	}
}

// HELP from the student names the program and the coordinator with a way
// to reach them (the coordinator's email when there is no phone).
func TestReplies_HelpNamesTheCoordinator(t *testing.T) {
	e := newEnv(t)
	e.text(t, studentAPhone, "Help")
	e.Drain()
	want := "Summer: For help, reply with your question or contact Coach Rivera, your internship coordinator, at rivera@district.example.org. Reply STOP to opt out."
	if n := countBody(e.Twilio.BodiesTo(studentAPhone), want); n != 1 {
		t.Fatalf("HELP answer: %q", e.Twilio.BodiesTo(studentAPhone))
	}
	if strings.Contains(e.signIn(t, coachA).Get("/staff").Body, "<q>Help</q>") {
		t.Fatal("HELP was listed as a reply")
	}
}

func countBody(bodies []string, want string) int {
	n := 0
	for _, b := range bodies {
		if b == want {
			n++
		}
	}
	return n
}

// answerTo reads the answer form's recipient off the page.
func answerTo(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `name="to" value="`)
	if i < 0 {
		t.Fatalf("no answer form on the page:\n%s", page)
	}
	rest := page[i+len(`name="to" value="`):]
	return rest[:strings.Index(rest, `"`)]
}
