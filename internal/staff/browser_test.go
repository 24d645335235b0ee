package staff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/browsertest"
	"github.com/internflow/internflow/internal/loadtest/synthetic"
)

// The staff pages' browser tests run Chromium on a laptop-sized window.
var (
	browser  = browsertest.Laptop
	run      = browsertest.Run
	text     = browsertest.Text
	location = browsertest.Location
	shot     = browsertest.Screenshot
)

// signInInBrowser asks for a link on the sign-in page, opens it "from the
// email" and presses Sign in.
func signInInBrowser(t *testing.T, ctx context.Context, e *env, email string) {
	t.Helper()
	run(t, ctx, "ask for a sign-in link", chromedp.Navigate(e.URL+"/staff"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); !strings.Contains(got, "Check your email") {
		t.Fatalf("after asking for a link the page says %q", got)
	}
	link := e.LastLink(email)
	if link == "" {
		t.Fatalf("no sign-in link emailed to %s", email)
	}
	run(t, ctx, "open the link and sign in", chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Staff]`)))
}

// withStudents fills school A with synthetic students at every stage (read
// model rows only) so the dashboard and the ops console look like a real
// school; the fixture's Maya is the one with a running journey.
func withStudents(t *testing.T, e *env) {
	t.Helper()
	into := &synthetic.District{DistrictID: e.f.District, ProgramID: e.f.Program, SchoolIDs: []string{e.f.School}}
	if _, err := synthetic.Load(context.Background(), e.Pool, synthetic.Options{Into: into, Journeys: 80,
		AuditRows: 1, Seed: 11}); err != nil {
		t.Fatal(err)
	}
}

// The coordinator's morning, in a real browser: sign in from the emailed
// link, filter the list to Maya, open her page and press Nudge. The
// reminder reaches the outbox with a fresh link and the workflow records
// the coordinator's nudge. Then district ops opens the ops console.
func TestBrowser_CoordinatorSignsInFiltersOpensAStudentAndNudges(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	withStudents(t, e)
	invite := e.LastLink(studentAPhone)

	signInInBrowser(t, ctx, e, coachA)
	if loc := location(t, ctx); loc != e.URL+"/staff" {
		t.Fatalf("after sign-in the browser is at %s", loc)
	}
	shot(t, ctx, "dashboard.png")

	run(t, ctx, "filter the list", chromedp.SetValue(chromedp.CSS(`select[name=stage]`), "survey"),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "maya"),
		chromedp.Click(chromedp.CSS(`form.filters button[type=submit]`)),
		// Only the filtered page renders the option as selected in its HTML.
		chromedp.WaitReady(chromedp.CSS(`select[name=stage] option[value=survey][selected]`)),
		chromedp.WaitVisible(chromedp.CSS(`#students tbody tr`)))
	rows := text(t, ctx, "#students tbody")
	if !strings.Contains(rows, "Maya Lopez") || strings.Count(rows, "Survey") < 1 || !strings.Contains(location(t, ctx), "stage=survey") {
		t.Fatalf("filtered list:\n%s", rows)
	}

	run(t, ctx, "open the student", chromedp.Click(chromedp.CSS(`#students a[href^="/staff/students/"]`)),
		chromedp.WaitVisible(chromedp.ID("timeline")))
	if stage := text(t, ctx, "#stage"); stage != "Survey" {
		t.Fatalf("student page stage %q", stage)
	}
	shot(t, ctx, "student.png")
	run(t, ctx, "press Nudge", chromedp.Click(chromedp.ID("nudge")), chromedp.WaitVisible(chromedp.ID("flash")))
	if got := text(t, ctx, "#flash"); got != "Reminder sent to everyone the journey is waiting on." {
		t.Fatalf("after Nudge the page says %q", got)
	}
	eventually(t, "the reminder with a fresh link in the outbox", func() bool {
		l := e.LastLink(studentAPhone)
		return l != "" && l != invite
	})
	eventually(t, "the workflow to record the coordinator's nudge", func() bool {
		return e.auditCount(t, coachA, "nudged", e.journeyA) == 1
	})

	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form.signout button`)), chromedp.WaitVisible(chromedp.ID("email")))
	if _, err := e.Pool.Exec(context.Background(), `UPDATE journey_view SET stuck_reason = 'failed:record'
		WHERE journey_id IN (SELECT journey_id FROM journey_view WHERE school_id = $1 AND stage = 'trainings' LIMIT 2)`, e.f.School); err != nil {
		t.Fatal(err)
	}
	signInInBrowser(t, ctx, e, approverOps)
	run(t, ctx, "open the ops console", chromedp.Navigate(e.URL+"/staff/ops"), chromedp.WaitVisible(chromedp.CSS(`section.group`)))
	if h := text(t, ctx, "section.group h2"); !strings.HasPrefix(h, "Failing step: Record") {
		t.Fatalf("first ops group is %q, want the failing step", h)
	}
	shot(t, ctx, "ops-console.png")
}
