package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// overdueDecisions makes an employer's decision overdue a few seconds
// after the applicant applies (the coordinator is told, as on day 10).
const overdueDecisions = `{"required_hours": 8, "ladders": {"employer_decision": [
	{"after_days": 0, "template": "new_applicant"},
	{"after_days": 0.00005, "to": "coordinator", "template": "coordinator_stuck", "escalate": true}]}}`

// another enrols one more student of the fixture's school in its program.
func (e *env) another(first, last, phone string) *env {
	e.t.Helper()
	ctx := context.Background()
	dob := time.Now().AddDate(-16, -2, 0)
	id, err := e.Store.CreateStudent(ctx, store.Student{DistrictID: e.f.District, SchoolID: e.f.School, FirstName: first,
		LastName: last, DateOfBirth: &dob, Grade: 11, Phone: phone, Language: "en", AddressLine1: "9 Elm St", City: "Fresno", State: "CA"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `INSERT INTO guardians (student_id, position, name, phone) VALUES ($1, 1, 'Parent', $2)`,
		id, phone[:len(phone)-1]+"9"); err != nil {
		e.t.Fatal(err)
	}
	en, err := e.Journeys.Enroll(ctx, id, e.f.Program)
	if err != nil {
		e.t.Fatal(err)
	}
	f := e.f
	f.Student = id
	return &env{Stack: e.Stack, f: f, journey: en.Journey.ID, t: e.t}
}

// toHoursSubmitted takes an intern from enrolment to a first week of
// hours waiting for the supervisor's approval; it returns that week.
func (e *env) toHoursSubmitted() string {
	e.t.Helper()
	e.toTrainings()
	training := e.mint("student", e.f.Student, "record_training", "", nil, true)
	postFiles(e.t, training, map[string]string{"date_hipaa": time.Now().Format(time.DateOnly)},
		map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).has(e.t, "Done")
	e.waitStage("working")
	var week string
	eventually(e.t, "the first week", func() bool {
		if w := e.status().Weeks; len(w) > 0 {
			week = w[0].Week
		}
		return week != ""
	})
	sheet := e.mint("student", e.f.Student, "submit_timesheet", week, nil, false)
	post(e.t, sheet, url.Values{"h_" + week: {"4"}}).has(e.t, "Done")
	return week
}

// inboxOf is the person's inbox link, as a reminder digest carries it.
func (e *env) inboxOf(kind, ref string) string {
	e.t.Helper()
	id, err := e.Links.Ensure(context.Background(), e.Pool, links.InboxSpec(kind, ref))
	if err != nil {
		e.t.Fatal(err)
	}
	tok, _ := e.Links.Token(id)
	return e.URL + "/l/" + tok
}

// pendingFor counts the waits a message asked this person about that are
// still open (what their inbox should list).
func (e *env) pendingFor(kind, ref string) int {
	return e.count(`SELECT count(DISTINCT w.wait_key) FROM messages m JOIN open_waits w ON w.wait_key = m.wait_key AND w.party = m.wait_party
		WHERE m.recipient_kind = $1 AND m.recipient_ref = $2 AND m.link_id IS NOT NULL`, kind, ref)
}

// A supervisor with two interns whose hours wait and an applicant whose
// decision is overdue opens one link on a phone: all three in one list,
// the overdue decision first, then the oldest. They approve one intern's
// week from the list, come back to the inbox, and that week is gone.
func TestBrowser_SupervisorInbox_EverythingPendingOverdueFirst_ApproveInPlace(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, overdueDecisions)
	mayaWeek := e.toHoursSubmitted()
	noah := e.another("Noah", "Kim", "+15555550152")
	noah.toHoursSubmitted()
	ava := e.another("Ava", "Chen", "+15555550162")
	ava.toApplying()
	ava.update(workflows.UpdateApply, workflows.ApplyInput{By: student(ava.f), PostingID: e.f.Posting})
	eventually(t, "the applicant's decision overdue and all three asked", func() bool {
		e.Drain()
		return e.count(`SELECT count(*) FROM messages WHERE journey_id = $1 AND template = 'coordinator_stuck'`, ava.journey) > 0 &&
			e.pendingFor("supervisor", e.f.Supervisor) == 3
	})

	inbox := e.inboxOf("supervisor", e.f.Supervisor)
	run(t, ctx, "open the inbox", chromedp.Navigate(inbox), chromedp.WaitVisible(chromedp.CSS(".inbox")))
	if h := text(t, ctx, "h1"); h != "Waiting for you" {
		t.Fatalf("inbox heading %q", h)
	}
	list := text(t, ctx, ".inbox")
	ava1, maya1, noah1 := strings.Index(list, "Decide on Ava C.'s application"), strings.Index(list, "Approve Maya L.'s hours"),
		strings.Index(list, "Approve Noah K.'s hours")
	if ava1 < 0 || maya1 < 0 || noah1 < 0 || !(ava1 < maya1 && maya1 < noah1) {
		t.Fatalf("want the overdue decision, then Maya's and Noah's hours (oldest first), got:\n%s", list)
	}
	first := text(t, ctx, ".inbox li:first-child")
	for _, want := range []string{"Overdue", "Clinic assistant", "Asked ", "due "} {
		if !strings.Contains(first, want) {
			t.Errorf("the overdue item does not say %q:\n%s", want, first)
		}
	}
	if strings.Contains(list, "Lopez") || strings.Contains(list, "Chen") || strings.Contains(list, "+1555") {
		t.Errorf("the inbox shows more than first names and initials:\n%s", list)
	}
	screenshot(t, ctx, "supervisor-inbox.png")

	run(t, ctx, "open Maya's hours from the inbox", chromedp.Click(chromedp.CSS(".inbox li:nth-child(2) a.button")),
		chromedp.WaitVisible(chromedp.CSS(`input[name=week]`)))
	run(t, ctx, "approve Maya's week", chromedp.Click(chromedp.CSS(`input[name=week][value="`+e.journey+`|`+mayaWeek+`"]`)),
		chromedp.Click(chromedp.CSS(`button[name=decision][value=approve]`)), chromedp.WaitVisible(chromedp.CSS(".done")))
	if body := text(t, ctx, ".done p"); !strings.Contains(body, "1 week(s) approved") {
		t.Fatalf("after approving: %q", body)
	}
	run(t, ctx, "back to the inbox", chromedp.Click(chromedp.CSS(`a.button[href*="/l/"]:not(.secondary)`)),
		chromedp.WaitVisible(chromedp.CSS("h1")))
	after := text(t, ctx, "main")
	if strings.Contains(after, "Maya") || !strings.Contains(after, "Ava C.") || !strings.Contains(after, "Noah K.") {
		t.Fatalf("after approving Maya's week the inbox reads:\n%s", after)
	}
	if n := e.count(`SELECT count(*) FROM timesheets WHERE journey_id = $1 AND status = 'approved' AND reviewer_ref = $2`,
		e.journey, e.f.Supervisor); n != 1 {
		t.Fatalf("approved weeks of Maya: %d", n)
	}
}

// Two supervisors of one employer each see only what waits on them; the
// employer's contact, asked about nothing, sees an empty inbox.
func TestBrowser_SupervisorInbox_NeverShowsAnotherSupervisorsItems(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	bg := context.Background()
	lee, err := e.Store.CreateSupervisor(bg, store.Supervisor{EmployerID: e.f.Employer, Name: "Dr. Lee", Email: "lee@clinic.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	front, err := e.Store.CreatePosting(bg, store.Posting{EmployerID: e.f.Employer, WorksiteID: e.f.Worksite, SupervisorID: lee,
		Title: "Front desk", Description: "Answer phones", HoursPerWeek: 10, PayType: "hourly", PayCents: 1800,
		FundingSource: "employer_paid", Status: "published"})
	if err != nil {
		t.Fatal(err)
	}
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: front})
	noah := e.another("Noah", "Kim", "+15555550152")
	noah.toApplying()
	noah.update(workflows.UpdateApply, workflows.ApplyInput{By: student(noah.f), PostingID: e.f.Posting})
	eventually(t, "both supervisors asked", func() bool {
		e.Drain()
		return e.pendingFor("supervisor", lee) == 1 && e.pendingFor("supervisor", e.f.Supervisor) == 1
	})

	for _, c := range []struct{ who, kind, ref, sees, never string }{
		{"Dr. Kim", "supervisor", e.f.Supervisor, "Noah K.", "Maya"},
		{"Dr. Lee", "supervisor", lee, "Maya L.", "Noah"},
		{"the employer's contact", "employer", e.f.Employer, "Nothing is waiting for you", "application"},
	} {
		run(t, ctx, c.who+" opens their inbox", chromedp.Navigate(e.inboxOf(c.kind, c.ref)), chromedp.WaitVisible(chromedp.CSS("main")))
		page := text(t, ctx, "main")
		if !strings.Contains(page, c.sees) || strings.Contains(page, c.never) {
			t.Errorf("%s's inbox should show %q and never %q:\n%s", c.who, c.sees, c.never, page)
		}
	}
}

// An inbox link expires and is turned off like any link (staff turning
// off the supervisor's links of one of their interns' journeys turns off
// their inbox too): the person meets the page that says so.
func TestBrowser_SupervisorInbox_RevokedOrExpiredLinkExplains(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	revoked := e.inboxOf("supervisor", e.f.Supervisor)
	e.mint("supervisor", e.f.Supervisor, "give_feedback", "", nil, true) // a link of this journey
	if n, err := links.RevokeParty(context.Background(), e.Pool, e.journey, "supervisor", "employer"); err != nil || n != 2 {
		t.Fatalf("staff turned off %d links (%v), want the journey's and the inbox", n, err)
	}
	expired := e.inboxOf("supervisor", e.f.Supervisor)
	if expired == revoked {
		t.Fatal("a turned-off inbox link was handed out again")
	}
	if _, err := e.Pool.Exec(context.Background(), `UPDATE action_links SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`,
		links.HashToken(expired[strings.LastIndex(expired, "/")+1:])); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ link, heading string }{
		{revoked, "This link was turned off"}, {expired, "This link has expired"},
	} {
		run(t, ctx, c.heading, chromedp.Navigate(c.link), chromedp.WaitVisible(chromedp.CSS("h1")))
		if h := text(t, ctx, "h1"); h != c.heading {
			t.Errorf("heading %q, want %q", h, c.heading)
		}
		if page := text(t, ctx, "main"); strings.Contains(page, "Waiting for you") {
			t.Errorf("a dead inbox link still lists items:\n%s", page)
		}
	}
	if fresh := e.inboxOf("supervisor", e.f.Supervisor); fresh == revoked || fresh == expired {
		t.Error("a dead inbox link was handed out again")
	}
}

// quickReminders repeat a supervisor's requests a few seconds after them
// (the default ladders wait days).
const quickReminders = `{"required_hours": 8, "ladders": {
	"employer_decision": [{"after_days": 0, "template": "new_applicant"},
		{"after_days": 0.00005, "template": "application_decision_reminder"}],
	"timesheet_approval": [{"after_days": 0, "template": "timesheet_approval_request"},
		{"after_days": 0.00005, "template": "timesheet_approval_request"}]}}`

// A supervisor with two interns' hours and an applicant waiting on them
// gets each first request as it comes, then one reminder for all three:
// one email that lists them and carries one link, their inbox, where the
// three wait to be done.
func TestSupervisorReminders_ThreePendingItems_OneEmailPointingToTheInbox(t *testing.T) {
	e := newEnv(t, quickReminders)
	e.toHoursSubmitted()
	noah := e.another("Noah", "Kim", "+15555550152")
	noah.toHoursSubmitted()
	ava := e.another("Ava", "Chen", "+15555550162")
	ava.toApplying()
	ava.update(workflows.UpdateApply, workflows.ApplyInput{By: student(ava.f), PostingID: e.f.Posting})
	eventually(t, "three reminders for the supervisor", func() bool {
		return e.count(`SELECT count(*) FROM messages WHERE recipient_kind = 'supervisor' AND recipient_ref = $1
			AND reminder AND status = 'queued'`, e.f.Supervisor) == 3
	})
	e.Drain()

	var reminders []string
	for _, m := range e.SendGrid.Messages() {
		if m.To == supervisorEmail && strings.Contains(m.Subject, "waiting for you") {
			reminders = append(reminders, m.Subject+"\n"+m.Text)
		}
	}
	if len(reminders) != 1 {
		t.Fatalf("the supervisor got %d reminder emails, want one for all three:\n%s", len(reminders), strings.Join(reminders, "\n====\n"))
	}
	mail := reminders[0]
	inbox := e.inboxOf("supervisor", e.f.Supervisor) // the link the supervisor holds: the one the email carried
	for _, want := range []string{
		"3 items waiting for you - Internships",
		"Hello Dr. Kim,\n\nThese items are waiting for you. Your inbox lists everything you have pending, overdue first, and you can do each one from there.",
		"Open your inbox: " + inbox,
		"- Approve Maya's timesheet for the week of",
		"- Approve Noah's timesheet for the week of",
		"- Decide on Ava's application to Clinic assistant",
	} {
		if !strings.Contains(mail, want) {
			t.Errorf("the reminder email does not say %q:\n%s", want, mail)
		}
	}
	if n := strings.Count(mail, e.URL+"/l/"); n != 1 {
		t.Errorf("the reminder email carries %d links, want only the inbox:\n%s", n, mail)
	}
	page := get(t, inbox)
	page.has(t, "Waiting for you", "3 things your interns and applicants need from you",
		"Approve Maya L.&#39;s hours", "Approve Noah K.&#39;s hours", "Decide on Ava C.&#39;s application")
	get(t, inbox+"?lang=es").has(t, "Pendiente para usted", "Apruebe las horas de Maya L.", "Decida sobre la solicitud de Ava C.",
		"Revisar las horas", "Pedido el ")
}
