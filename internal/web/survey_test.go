package web_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
)

func surveyForm(pathway string) url.Values {
	return url.Values{"pathway": {pathway}, "interests": {"people", "helping"}, "availability": {"summer"},
		"transport": {"transit"}, "languages": {"en", "es"}, "contact_consent": {"yes"}}
}

// The student opens the survey link from the invitation text, misses a
// question, fixes it, and double-taps Send: one survey, one effect.
func TestSurveyPage_FromTheText_ErrorsThenOneSubmission(t *testing.T) {
	e := newEnv(t, `{}`)
	link := e.linkFor(studentPhone, "survey")

	page := get(t, link)
	if page.status != 200 {
		t.Fatalf("survey page: %d", page.status)
	}
	page.has(t, "Your internship interests", "How would you get to work?", "Health Science and Medical Technology")
	for h, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
		if got := page.header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if csp := page.header.Get("Content-Security-Policy"); csp == "" || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q must forbid scripts", csp)
	}

	bad := post(t, link, surveyForm(""))
	if bad.status != 422 {
		t.Fatalf("survey without a pathway: %d", bad.status)
	}
	bad.has(t, `<p class="field-error">Choose a career pathway.</p>`, `value="transit" checked`)

	var wg sync.WaitGroup
	results := make([]response, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = post(t, link, surveyForm("Health Science and Medical Technology"))
		}()
	}
	wg.Wait()
	done := 0
	for _, r := range results {
		switch r.status {
		case 200:
			r.has(t, "Done — thank you! Next: upload your resume and cover letter.")
			done++
		case 410:
			r.has(t, "This link was already used", "What you sent was received")
		default:
			t.Fatalf("double tap answered %d:\n%s", r.status, r.body)
		}
	}
	if done == 0 {
		t.Fatal("neither tap was confirmed")
	}
	if n := e.count(`SELECT count(*) FROM survey_responses WHERE journey_id = $1 AND pathway = 'Health Science and Medical Technology'
		AND interests = '{people,helping}' AND transport = 'transit' AND contact_consent`, e.journey); n != 1 {
		t.Errorf("survey rows: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM journey_events WHERE journey_id = $1 AND kind = 'survey_submitted' AND actor_kind = 'student' AND actor_ref = $2`,
		e.journey, e.f.Student); n != 1 {
		t.Errorf("survey_submitted events by the student: %d, want 1", n)
	}
	id, used, _ := e.linkState(link)
	if !used {
		t.Error("the single-use survey link is not spent after the survey")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'link_used' AND after->>'link_id' = $1 AND actor_kind = 'student'`, id); n != 1 {
		t.Errorf("link_used audit rows: %d, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'link_opened' AND after->>'link_id' = $1 AND entity_id = $2 AND ip = '127.0.0.1'`, id, e.journey); n < 1 {
		t.Errorf("link opens audited: %d", n)
	}
	get(t, link).has(t, "This link was already used", "Send me a new link")
	e.waitStage("intern_ready")
}

// A Spanish-speaking student gets the page and its errors in Spanish; the
// switch at the bottom shows it in English.
func TestSurveyPage_Spanish(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	link := e.linkFor(studentPhone, "survey")
	page := get(t, link)
	page.has(t, `<html lang="es">`, "Tus intereses de pasantía", "Ciencias de la salud", "?lang=en")
	post(t, link+"?lang=es", surveyForm("")).has(t, "Elige un área profesional.")
	get(t, link+"?lang=en").has(t, "Your internship interests")
}

// A virtual program does not ask how the student gets to work.
func TestSurveyPage_VirtualProgram_NoTransportQuestion(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE programs SET kind = 'virtual' WHERE id = $1`, e.f.Program); err != nil {
		t.Fatal(err)
	}
	link := e.linkFor(studentPhone, "survey")
	if p := get(t, link); strings.Contains(p.body, "How would you get to work?") {
		t.Fatal("a virtual program's survey asks about transport")
	}
	form := surveyForm("Information and Communication Technologies")
	form.Del("transport")
	post(t, link, form).has(t, "Done")
	if n := e.count(`SELECT count(*) FROM survey_responses WHERE journey_id = $1 AND transport = 'remote_only'`, e.journey); n != 1 {
		t.Errorf("virtual survey stored %d remote_only rows", n)
	}
}

// Every missing answer is marked at once, each beside its question, in
// the page's language (the journey's own check stops at the first).
func TestSurveyPage_EveryMissingAnswerAtOnce(t *testing.T) {
	e := newEnv(t, `{}`)
	link := e.linkFor(studentPhone, "survey")
	form := surveyForm("")
	form.Del("transport")
	r := post(t, link, form)
	if r.status != 422 {
		t.Fatalf("survey with two answers missing: %d", r.status)
	}
	r.has(t, `<p class="field-error">Choose a career pathway.</p>`, `<p class="field-error">Choose how you would get to work.</p>`,
		"Some answers are missing.")
	post(t, link+"?lang=es", form).has(t, `<p class="field-error">Elige un área profesional.</p>`,
		`<p class="field-error">Elige cómo llegarías al trabajo.</p>`)
}
