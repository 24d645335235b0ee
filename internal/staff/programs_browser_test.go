package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// fieldError reads the message next to a form field of the programs page.
func fieldError(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	return text(t, ctx, `label[for=`+id+`] .field-error`)
}

// A district admin runs programs from the browser: creates one with the
// form and sees it listed; bad input (end before start, negative hours, an
// unknown training) is refused next to the field and writes nothing; the
// reminder timeline is previewed from the ladders typed; editing the
// required hours keeps version 1 beside version 2; and the two running
// journeys move to version 2 after a confirmation that counts them, as
// their workflows then report.
func TestBrowser_AdminCreatesEditsAndMigratesAProgram(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	signInInBrowser(t, ctx, e, adminEmail)

	run(t, ctx, "create a program", chromedp.Click(chromedp.CSS(`nav a[href="/staff/programs"]`)),
		chromedp.WaitVisible(chromedp.ID("program-form")),
		chromedp.SendKeys(chromedp.ID("name"), "Harbor Micro 2031"),
		chromedp.SetValue(chromedp.ID("kind"), "micro"),
		chromedp.SendKeys(chromedp.ID("program_year"), "2031"),
		chromedp.SetValue(chromedp.ID("start"), "2031-01-12"), chromedp.SetValue(chromedp.ID("end"), "2031-05-29"),
		chromedp.SetValue(chromedp.ID("required_hours"), "8"),
		chromedp.SetValue(chromedp.ID("trainings"), "hipaa"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "“Harbor Micro 2031” is made (version 1)." {
		t.Fatalf("after creating the page says %q", got)
	}
	run(t, ctx, "see it listed", chromedp.Click(chromedp.CSS(`a[href="/staff/programs"]`)), chromedp.WaitVisible(chromedp.ID("programs")))
	if list := text(t, ctx, "#programs tbody"); !strings.Contains(list, "Harbor Micro 2031") || !strings.Contains(list, "Summer") {
		t.Fatalf("programs listed:\n%s", list)
	}
	if n := e.auditCount(t, adminEmail, "program_created", ""); n != 1 {
		t.Fatalf("%d program_created audit entries", n)
	}

	edit := e.URL + "/staff/programs/" + e.f.Program
	refused := []struct {
		what, field, value, id, want string
	}{
		{"end before start", "end", "2031-06-01", "end", "The program ends (2031-06-01) before it starts (2031-06-15)."},
		{"negative hours", "required_hours", "-5", "required_hours", "Required hours cannot be negative."},
		{"an unknown training", "trainings", "hipaa, forklift", "trainings", `Training "forklift" is not in the catalogue.`},
	}
	for _, c := range refused {
		run(t, ctx, "save "+c.what, chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.ID("program-form")),
			chromedp.SetValue(chromedp.ID("start"), "2031-06-15"),
			chromedp.SetValue(chromedp.ID(c.field), c.value),
			chromedp.Click(chromedp.ID("save")),
			chromedp.WaitVisible(chromedp.CSS(`label[for=`+c.id+`] .field-error`)))
		if got := fieldError(t, ctx, c.id); got != c.want {
			t.Fatalf("%s: next to %s the page says %q, want %q", c.what, c.id, got, c.want)
		}
	}
	if n := e.count(t, `SELECT version FROM programs WHERE id = $1`, e.f.Program) +
		e.count(t, `SELECT count(*) FROM program_versions WHERE program_id = $1`, e.f.Program) +
		e.auditCount(t, adminEmail, "program_changed", ""); n != 2 {
		t.Fatalf("refused edits wrote something (version + versions + audits = %d, want 2)", n)
	}

	run(t, ctx, "preview a shorter survey ladder", chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.ID("program-form")),
		chromedp.SetValue(chromedp.ID("ladders"), `{"survey": [{"after_days": 0, "template": "survey_invite"},
			{"after_days": 2, "template": "survey_nudge"}, {"after_days": 5, "to": "coordinator", "template": "coordinator_stuck", "escalate": true}]}`),
		chromedp.Click(chromedp.ID("preview")),
		chromedp.WaitVisible(chromedp.CSS(`#timeline ul[data-wait=survey]`)))
	if got := text(t, ctx, `#timeline ul[data-wait=survey]`); got != "Day 0: reminder to the student (survey_invite)\nDay 2: reminder to the student (survey_nudge)\nDay 5: escalation to the coordinator (coordinator_stuck)" {
		t.Fatalf("the previewed survey timeline reads:\n%s", got)
	}
	if got := text(t, ctx, `#timeline ul[data-wait=offer]`); !strings.Contains(got, "Day 5: escalation to the coordinator (coordinator_stuck)") {
		t.Fatalf("a wait the typed ladders leave out should keep its default ladder; the offer timeline reads:\n%s", got)
	}
	if got := text(t, ctx, "#timeline-h"); !strings.Contains(got, "preview, not saved") {
		t.Fatalf("timeline heading %q", got)
	}
	shot(t, ctx, "program-preview.png")
	if n := e.count(t, `SELECT version FROM programs WHERE id = $1`, e.f.Program); n != 1 {
		t.Fatalf("a preview wrote version %d", n)
	}

	run(t, ctx, "raise the required hours", chromedp.Navigate(edit), chromedp.WaitVisible(chromedp.ID("program-form")),
		chromedp.SetValue(chromedp.ID("required_hours"), "120"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "“Summer” is now version 2. Running journeys keep their version until you move them." {
		t.Fatalf("after saving the page says %q", got)
	}
	versions := text(t, ctx, "#versions tbody")
	if !strings.Contains(versions, "120") || !strings.Contains(versions, "by Admin") || !strings.Contains(versions, "default") {
		t.Fatalf("versions kept:\n%s", versions)
	}
	if got := text(t, ctx, "#current-version"); !strings.Contains(got, "2 on an older version") {
		t.Fatalf("the program says %q", got)
	}

	run(t, ctx, "ask to move the running journeys", chromedp.Click(chromedp.ID("migrate")), chromedp.WaitVisible(chromedp.ID("confirm-count")))
	if got := text(t, ctx, "#confirm-count"); got != "This moves 2 running journeys from version 1 to version 2." {
		t.Fatalf("the confirmation says %q", got)
	}
	run(t, ctx, "confirm", chromedp.Click(chromedp.ID("confirm-migrate")), chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "Moved 2 running journeys to version 2." {
		t.Fatalf("after moving the page says %q", got)
	}
	for _, id := range []string{e.journeyA, e.journeyB} {
		st, err := e.Journeys.Query(context.Background(), id)
		if err != nil || st.HoursRequired != 120 {
			t.Fatalf("journey %s after moving: %+v, %v", id, st.HoursRequired, err)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM journeys WHERE program_id = $1 AND program_version = 2`, e.f.Program); n != 2 {
		t.Fatalf("%d journeys on version 2 in the database", n)
	}
	if n := e.auditCount(t, adminEmail, "program_migrated", e.f.Program); n != 1 {
		t.Fatalf("%d program_migrated audit entries", n)
	}
}

// Programs are district policy: a coordinator gets 403 and no nav entry;
// another district's admin gets 404 for this district's program.
func TestPrograms_OnlyTheDistrictsAdminsEdit(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	if r := coach.Get("/staff/programs"); r.Status != 403 {
		t.Fatalf("a coordinator opened the programs page: %d", r.Status)
	}
	if r := coach.Get("/staff"); strings.Contains(r.Body, `href="/staff/programs"`) {
		t.Fatal("a coordinator's nav offers Programs")
	}
	other := e.signIn(t, otherOps)
	if r := other.Get("/staff/programs/" + e.f.Program); r.Status != 404 {
		t.Fatalf("another district's admin opened the program: %d", r.Status)
	}
	if r := other.Action("/staff/programs/"+e.f.Program+"/migrate", url.Values{"version": {"1"}}); r.Status != 404 {
		t.Fatalf("another district's admin moved the journeys: %d", r.Status)
	}
}
