package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"golang.org/x/time/rate"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/web"
	"github.com/internflow/internflow/workflows"
)

// An expired link says so and sends a fresh one on request, by text, that
// opens the same page; a revoked link says staff turned it off and offers
// nothing; a made-up one says it doesn't work.
func TestLinkStates_ExpiredGetsANewLink_RevokedAndInvalidDoNot(t *testing.T) {
	e := newEnv(t, `{}`)
	old := e.linkFor(studentPhone, "survey")
	id, _, _ := e.linkState(old)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE action_links SET expires_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	page := get(t, old)
	if page.status != http.StatusGone {
		t.Fatalf("expired link: %d", page.status)
	}
	page.has(t, "This link has expired", "Send me a new link")
	post(t, old, surveyForm("Health Science and Medical Technology")).has(t, "This link has expired")

	post(t, old+"/new-link", url.Values{}).has(t, "New link sent")
	fresh := e.linkAfter(studentPhone, "survey", old)
	get(t, fresh).has(t, "Your internship interests")
	post(t, old+"/new-link", url.Values{}).has(t, "A new link is on its way") // not twice in a row
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'new_link_requested' AND actor_ref = $1`, e.f.Student); n != 1 {
		t.Errorf("new-link requests audited: %d", n)
	}

	post(t, fresh, surveyForm("Health Science and Medical Technology")).has(t, "Done")
	e.waitStage("intern_ready")
	// The survey is done: a new survey link would have nothing to do, but
	// the student's badge upload is waiting, so that link comes instead.
	first := e.linkFor(studentPhone, "upload_badge")
	post(t, fresh+"/new-link", url.Values{}).has(t, "New link sent")
	badge := e.linkAfter(studentPhone, "upload_badge", first)
	bid, _, _ := e.linkState(badge)
	if err := links.Revoke(context.Background(), e.Pool, bid); err != nil {
		t.Fatal(err)
	}
	r := get(t, badge)
	r.has(t, "This link was turned off")
	if r.status != http.StatusGone || strings.Contains(r.body, "Send me a new link") {
		t.Fatalf("revoked link page: %d, offers a new link: %v", r.status, strings.Contains(r.body, "Send me a new link"))
	}
	post(t, badge+"/new-link", url.Values{}).has(t, "This link was turned off")

	bogus := get(t, e.URL+"/l/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	if bogus.status != 404 {
		t.Fatalf("made-up token: %d", bogus.status)
	}
	bogus.has(t, "This link doesn&#39;t work")
}

// A guardian whose permit link expired gets a new one: the nudge goes to
// the guardian only, not to the student or the employer.
func TestNewLink_GoesOnlyToThatPerson(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	g := e.linkFor(guardianPhone, "sign_permit")
	before := map[string]int{studentPhone: e.Twilio.CountTo(studentPhone), guardianPhone: e.Twilio.CountTo(guardianPhone)}
	id, _, _ := e.linkState(g)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE action_links SET expires_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	post(t, g+"/new-link", url.Values{}).has(t, "New link sent")
	fresh := e.linkAfter(guardianPhone, "sign_permit", g)
	get(t, fresh).has(t, "You are signing as: Parent or guardian")
	if e.Twilio.CountTo(studentPhone) != before[studentPhone] || e.Twilio.CountTo(guardianPhone) != before[guardianPhone]+1 {
		t.Errorf("texts after the guardian's request: student %d (was %d), guardian %d (was %d)",
			e.Twilio.CountTo(studentPhone), before[studentPhone], e.Twilio.CountTo(guardianPhone), before[guardianPhone])
	}
}

// Too many requests from one address, or on one link, get a 429 page that
// says to wait, before any database work.
func TestRateLimit_PerAddressAndPerLink(t *testing.T) {
	e := newEnv(t, `{}`)
	link := e.linkFor(studentPhone, "survey")
	pages := &web.Pages{Store: e.Store, Journeys: e.Journeys, Links: e.Links,
		Limits: web.Limits{PerIP: rate.Every(time.Hour), IPBurst: 100, PerLink: rate.Every(time.Hour), LinkBurst: 3}}
	r := chi.NewRouter()
	pages.Mount(r)
	srv := httptest.NewServer(r)
	defer srv.Close()
	path := link[len(e.URL):]
	for i := range 3 {
		if got := get(t, srv.URL+path); got.status != 200 {
			t.Fatalf("request %d on the link: %d", i+1, got.status)
		}
	}
	limited := get(t, srv.URL+path)
	if limited.status != http.StatusTooManyRequests || limited.header.Get("Retry-After") == "" {
		t.Fatalf("4th request on one link: %d", limited.status)
	}
	limited.has(t, "Too many tries", "Please wait a minute")
	// Another link from the same address still works; guessing tokens
	// from one address runs into the address's own bucket.
	pages2 := &web.Pages{Store: e.Store, Journeys: e.Journeys, Links: e.Links,
		Limits: web.Limits{PerIP: rate.Every(time.Hour), IPBurst: 5, PerLink: rate.Every(time.Hour), LinkBurst: 100}}
	r2 := chi.NewRouter()
	pages2.Mount(r2)
	srv2 := httptest.NewServer(r2)
	defer srv2.Close()
	codes := map[int]int{}
	for i := range 8 {
		codes[get(t, srv2.URL+"/l/guess"+string(rune('a'+i))+"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status]++
	}
	if codes[404] != 5 || codes[429] != 3 {
		t.Fatalf("guessing from one address: %v, want 5 not-found then 3 too-many", codes)
	}
}

// A second survey invite supersedes the first: the older link says to use
// the newest message (and takes no answers), the newest works. Finishing
// the survey closes the link it came through (it reads "already used",
// which keeps a used permit link's signed copy reachable), in the
// student's language.
func TestLinks_NewerInviteSupersedesOlder_FinishingTheStepClosesIt(t *testing.T) {
	e := newEnv(t, `{}`)
	first := e.linkFor(studentPhone, "survey")
	get(t, first).has(t, "Your internship interests")

	sig := workflows.NudgeSignal{By: coord(e.f), RequestID: "second-invite", Party: workflows.PartyStudent}
	if err := e.Journeys.Signal(context.Background(), e.journey, workflows.SignalNudge, sig); err != nil {
		t.Fatal(err)
	}
	second := e.linkAfter(studentPhone, "survey", first)
	old := get(t, first)
	if old.status != http.StatusGone {
		t.Fatalf("superseded link: %d", old.status)
	}
	old.has(t, "You have a newer link", "most recent message")
	post(t, first, surveyForm("Health Science and Medical Technology")).has(t, "You have a newer link")
	if e.count(`SELECT count(*) FROM survey_responses WHERE journey_id = $1`, e.journey) != 0 {
		t.Fatal("the superseded link's answers were taken")
	}
	get(t, second).has(t, "Your internship interests")

	post(t, second, surveyForm("Health Science and Medical Technology")).has(t, "Done")
	e.waitStage("intern_ready")
	id, used, _ := e.linkState(second)
	eventually(t, "the finished survey's link closed", func() bool {
		return e.count(`SELECT count(*) FROM action_links WHERE id = $1 AND revoked_reason = 'step_closed'`, id) == 1
	})
	if !used {
		t.Error("the link the survey came through is not marked used")
	}
	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	get(t, second).has(t, "Este enlace ya se usó")
	get(t, first).has(t, "Tienes un enlace más nuevo")
}

// A step that closes while the person still holds an unused link for it
// (staff waived the survey) turns the link off; it says the step is done,
// in their language, and still offers a link for what waits on them now.
func TestLinks_StepClosedUnused_SaysTheStepIsDone(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	link := e.linkFor(studentPhone, "survey")
	get(t, link).has(t, "Tus intereses de pasantía")
	e.update(workflows.UpdateWaive, workflows.WaiveInput{By: coord(e.f), Step: "survey", Reason: "answered on paper"})
	e.waitStage("intern_ready")
	var page response
	eventually(t, "the waived survey's link closed", func() bool {
		page = get(t, link)
		return page.status == http.StatusGone
	})
	page.has(t, "Este paso ya está listo", "usa siempre el más reciente")
	post(t, link, surveyForm("Health Science and Medical Technology")).has(t, "Este paso ya está listo")
	post(t, link+"/new-link", url.Values{}).has(t, "Enlace nuevo enviado")
	e.linkFor(studentPhone, "upload_badge")
}
