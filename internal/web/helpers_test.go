package web_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// Phones and addresses of the fixture's people.
const (
	studentPhone    = "+15555550142"
	guardianPhone   = "+15555550143"
	employerEmail   = "hr@clinic.example.org"
	supervisorEmail = "kim@clinic.example.org"
)

// env is the whole app with one enrolled student.
type env struct {
	*apptest.Stack
	f       apptest.Fixture
	journey string
	t       *testing.T
}

func newEnv(t *testing.T, programDef string) *env {
	t.Helper()
	s := apptest.New(t, apptest.Options{})
	// Supervisors' emails are daily digests held 15 minutes for a burst to
	// gather; a test reads them at once.
	s.Outbox.DigestDelay = -1
	f := apptest.NewFixture(t, s.Store, programDef)
	e, err := s.Journeys.Enroll(context.Background(), f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	return &env{Stack: s, f: f, journey: e.Journey.ID, t: t}
}

// response is what a browser got back.
type response struct {
	status int
	body   string
	header http.Header
}

func (r response) has(t *testing.T, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(r.body, w) {
			t.Fatalf("page (%d) does not say %q:\n%s", r.status, w, r.body)
		}
	}
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "pages-test/1.0 (phone)")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: string(b), header: resp.Header}
}

func get(t *testing.T, u string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return do(t, req)
}

func post(t *testing.T, u string, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, req)
}

// file is one upload: its name and bytes.
type file struct {
	name string
	body []byte
}

func postFiles(t *testing.T, u string, fields map[string]string, files map[string]file) response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for field, f := range files {
		w, _ := mw.CreateFormFile(field, f.name)
		_, _ = w.Write(f.body)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", u, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return do(t, req)
}

// linkFor waits for a link for the action (and subject, when given) to
// reach someone by text or email, and returns the newest such link. The
// fake providers receive a batch in any order, so "newest" is the link's
// creation, among the links the person really received.
func (e *env) linkFor(to, action string, subject ...string) string {
	e.t.Helper()
	return e.linkAfter(to, action, "", subject...)
}

// linkAfter is linkFor for a link other than old (a fresh one).
func (e *env) linkAfter(to, action, old string, subject ...string) string {
	e.t.Helper()
	var found string
	eventually(e.t, "a "+action+" link to "+to, func() bool {
		found = e.findLink(to, action, subject...)
		return found != "" && found != old
	})
	return found
}

func (e *env) findLink(to, action string, subject ...string) string {
	received := e.received(to)
	rows, err := e.Pool.Query(context.Background(), `SELECT id, subject_ref FROM action_links WHERE action = $1 ORDER BY created_at DESC`, action)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, sub string
		if err := rows.Scan(&id, &sub); err != nil {
			e.t.Fatal(err)
		}
		tok, _ := e.Links.Token(id)
		if received[tok] && (len(subject) == 0 || sub == subject[0]) {
			return e.URL + "/l/" + tok
		}
	}
	return ""
}

// received drains the outbox and returns the link tokens texted or
// emailed to someone.
func (e *env) received(to string) map[string]bool {
	e.Drain()
	var bodies []string
	if strings.Contains(to, "@") {
		for _, m := range e.SendGrid.Messages() {
			if m.To == to {
				bodies = append(bodies, m.Text)
			}
		}
	} else {
		for _, m := range e.Twilio.Messages() {
			if m.To == to {
				bodies = append(bodies, m.Body)
			}
		}
	}
	out := map[string]bool{}
	re := regexp.MustCompile(regexp.QuoteMeta(e.URL) + `/l/([A-Za-z0-9_-]+)`)
	for _, b := range bodies {
		for _, m := range re.FindAllStringSubmatch(b, -1) {
			out[m[1]] = true
		}
	}
	return out
}

// mint makes a link as the outbox does (for waits whose message is not
// due yet in real time, e.g. a week's timesheet at the end of the week).
func (e *env) mint(kind, ref, action, subject string, sha []byte, singleUse bool) string {
	e.t.Helper()
	_, tok, err := e.Links.Create(context.Background(), e.Pool, links.Spec{JourneyID: e.journey, PersonKind: kind, PersonRef: ref,
		Action: action, SubjectRef: subject, DocumentSHA256: sha, SingleUse: singleUse})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.URL + "/l/" + tok
}

// linkState reads a link's row: its id, whether it is spent, how often used.
func (e *env) linkState(u string) (id string, used bool, uses int) {
	e.t.Helper()
	tok := u[strings.LastIndex(u, "/")+1:]
	err := e.Pool.QueryRow(context.Background(), `SELECT id, used_at IS NOT NULL, uses FROM action_links WHERE token_hash = $1`,
		links.HashToken(tok)).Scan(&id, &used, &uses)
	if err != nil {
		e.t.Fatal(err)
	}
	return id, used, uses
}

// update gives the journey an input through the service, as staff or a
// step this test does not exercise would.
func (e *env) update(name string, in any) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := e.Journeys.Update(ctx, e.journey, name, "", in); err != nil {
		e.t.Fatalf("%s: %v", name, err)
	}
}

func (e *env) waitStage(stage string) {
	e.t.Helper()
	eventually(e.t, "stage "+stage, func() bool {
		v, err := e.Journeys.Status(context.Background(), e.journey)
		return err == nil && v.Stage == stage
	})
}

func (e *env) status() workflows.JourneyStatus {
	e.t.Helper()
	st, err := e.Journeys.Query(context.Background(), e.journey)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
	return n
}

var (
	student  = func(f apptest.Fixture) workflows.Actor { return workflows.Actor{Kind: "student", Ref: f.Student} }
	coord    = func(f apptest.Fixture) workflows.Actor { return workflows.Actor{Kind: "staff", Ref: f.Coordinator} }
	pdfBytes = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
)

// toReady takes the journey through the survey and the badge by the
// service, as a test of later pages needs.
func (e *env) toApplying() {
	e.t.Helper()
	e.waitStage("survey")
	e.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student(e.f), Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true})
	e.waitStage("intern_ready")
	e.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student(e.f), Kind: "resume", DocumentID: apptest.Document(e.t, e.Store, e.journey, "resume")})
	e.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student(e.f), Kind: "cover_letter", DocumentID: apptest.Document(e.t, e.Store, e.journey, "cover_letter")})
	e.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord(e.f), Approve: true})
	e.waitStage("applying")
}

// eventually waits for the event (testenv.Eventually).
var eventually = testenv.Eventually
