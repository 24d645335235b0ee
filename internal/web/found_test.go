package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/workflows"
)

const bakerySupervisor = "ana@sunrise-bakery.example.org"

// foundForm is a whole, valid report as the student types it.
func foundForm() url.Values {
	return url.Values{
		"employer_name": {"Sunrise Bakery"}, "title": {"Bakery assistant"},
		"duties":          {"Help bake bread, serve customers at the counter and keep the kitchen clean."},
		"supervisor_name": {"Ana Ruiz"}, "supervisor_email": {bakerySupervisor}, "supervisor_phone": {"(510) 555-0101"},
		"address": {"12 Main St"}, "city": {"Oakland"}, "state": {"CA"}, "postal_code": {"94607"},
		"pay_type": {"hourly"}, "pay_rate": {"17.50"}, "hours_per_week": {"15"},
		"start_date": {"2027-06-21"}, "end_date": {"2027-08-13"}, "schedule": {"Mon, Wed, Fri 9-2"},
	}
}

var foundHrefRe = regexp.MustCompile(`id="found-own">[^<]*<a class="button secondary" href="([^"]+)"`)

// A student who found their own internship reports it from their page
// (a mistake shown beside its field, nothing typed lost), the coordinator
// approves it, the supervisor confirms it from the emailed link, and the
// journey goes on to the work permit with a student-found placement.
func TestFound_ReportFromOwnPage_SupervisorConfirmsByLink_OnToThePermit(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	home := get(t, e.mint("student", e.f.Student, "student_home", "", nil, false))
	home.has(t, "I found my own internship")
	m := foundHrefRe.FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("no link to report a found internship on the student's page:\n%s", home.body)
	}
	form := strings.ReplaceAll(m[1], "&amp;", "&")
	get(t, form).has(t, "Tell us about the internship you found", `name="employer_name"`)
	es := get(t, strings.Replace(form, "lang=en", "lang=es", 1))
	es.has(t, "Encontré mi propia pasantía", "Correo electrónico del supervisor")

	bad := foundForm()
	bad.Set("hours_per_week", "60")
	bad.Del("supervisor_email")
	bad.Del("supervisor_phone")
	r := post(t, form, bad)
	if r.status != 422 {
		t.Fatalf("a report with mistakes: %d", r.status)
	}
	r.has(t, "Give the hours a week, at most 40.", "Give a phone number or an email for your supervisor.",
		`value="Sunrise Bakery"`, `value="60"`, "keep the kitchen clean")
	if st := e.status(); st.Found != nil {
		t.Fatalf("a refused report reached the journey: %+v", st.Found)
	}

	post(t, form, foundForm()).has(t, "your coordinator will check it")
	eventually(t, "the report to wait on the coordinator", func() bool {
		st := e.status()
		return st.Found != nil && st.Found.Status == workflows.FoundSubmitted && st.WaitingOn == workflows.PartyCoordinator
	})
	if st := e.status(); st.Found.Details.SupervisorPhone != "+15105550101" || st.Found.Details.PayCents != 1750 {
		t.Fatalf("report as stored: %+v", st.Found.Details)
	}
	e.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: coord(e.f), Approve: true, Checked: workflows.FoundChecklist})

	confirm := e.linkFor(bakerySupervisor, "confirm_found_placement")
	get(t, confirm).has(t, "Please confirm this internship", "Sunrise Bakery", "Bakery assistant", "Mon, Wed, Fri 9-2",
		"Ana Ruiz supervises")
	post(t, confirm, url.Values{"decision": {"confirm"}}).has(t, "the internship is confirmed")
	e.waitStage("work_permit")
	var source, employer string
	err := e.Pool.QueryRow(context.Background(), `SELECT pl.source, e.name FROM placements pl JOIN employers e ON e.id = pl.employer_id
		WHERE pl.journey_id = $1`, e.journey).Scan(&source, &employer)
	if err != nil || source != "student_found" || employer != "Sunrise Bakery" {
		t.Fatalf("placement: source %q employer %q (%v)", source, employer, err)
	}
	if n := e.count(`SELECT count(*) FROM found_placements WHERE journey_id = $1 AND status = 'confirmed' AND posting_id IS NOT NULL`, e.journey); n != 1 {
		t.Fatalf("found placement rows confirmed with a posting: %d", n)
	}
	// Nobody else applies to a student-found internship.
	if n := e.count(`SELECT count(*) FROM postings p JOIN placements pl ON pl.posting_id = p.id WHERE pl.journey_id = $1
		AND p.status = 'closed' AND p.source = 'student_found'`, e.journey); n != 1 {
		t.Fatal("the found internship's posting is open to others")
	}
}

// The supervisor declines with a reason: the student is told by text
// (with the form to report another) and is applying again.
func TestFound_SupervisorDeclines_StudentToldWhy(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	e.update(workflows.UpdateReportFound, workflows.FoundPlacementInput{By: student(e.f), Details: workflows.FoundDetails{
		EmployerName: "Sunrise Bakery", SupervisorName: "Ana Ruiz", SupervisorEmail: bakerySupervisor,
		Address: "12 Main St", City: "Oakland", Title: "Bakery assistant",
		Duties: "Help bake bread and serve customers at the counter.", PayType: "stipend", PayCents: 150000,
		HoursPerWeek: 12, StartDate: "2027-06-21", EndDate: "2027-08-13", Schedule: "Sat 8-4"}})
	e.update(workflows.UpdateVetFound, workflows.VetFoundInput{By: coord(e.f), Approve: true, Checked: workflows.FoundChecklist})
	confirm := e.linkFor(bakerySupervisor, "confirm_found_placement")
	r := post(t, confirm, url.Values{"decision": {"decline"}})
	if r.status != 422 {
		t.Fatalf("a decline without a reason: %d", r.status)
	}
	r.has(t, "Please say why you can&#39;t confirm it.")
	post(t, confirm, url.Values{"decision": {"decline"}, "reason": {"We only hire at 18."}}).has(t, "have been told")
	e.linkFor(studentPhone, "report_found_placement")
	var told bool
	for _, m := range e.Twilio.Messages() {
		told = told || (m.To == studentPhone && strings.Contains(m.Body, "did not confirm your internship: We only hire at 18."))
	}
	if !told {
		t.Fatal("the student was not texted the supervisor's reason")
	}
	if st := e.status(); st.Stage != workflows.StageApplying || st.Found.Status != workflows.FoundDeclined {
		t.Fatalf("after the decline: %s %+v", st.Stage, st.Found)
	}
}

// On a phone-sized screen the student fills the found-internship form,
// makes a mistake (60 hours a week), sees it beside the field with
// everything they typed still there, fixes it and sends it.
func TestBrowser_FoundInternshipFormOnAPhone(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	e.toApplying()
	form := e.mint("student", e.f.Student, "report_found_placement", "", nil, false)
	f := foundForm()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(form), chromedp.WaitVisible(chromedp.ID("employer_name"))}
	for _, field := range []string{"employer_name", "title", "duties", "supervisor_name", "supervisor_phone", "address", "city",
		"state", "postal_code", "pay_rate", "schedule"} {
		steps = append(steps, chromedp.SendKeys(chromedp.ID(field), f.Get(field)))
	}
	steps = append(steps, chromedp.SendKeys(chromedp.ID("hours_per_week"), "60"),
		chromedp.SetValue(chromedp.ID("start_date"), f.Get("start_date")),
		chromedp.SetValue(chromedp.ID("end_date"), f.Get("end_date")),
		chromedp.Click(chromedp.CSS(`input[name=pay_type][value=hourly]`)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.field-error`)))
	run(t, ctx, "fill the form with a mistake", steps...)
	if msg := text(t, ctx, ".invalid .field-error"); msg != "Give the hours a week, at most 40." {
		t.Fatalf("the mistake reads %q", msg)
	}
	value := func(id string) string {
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("read %s: %v", id, err)
		}
		return v
	}
	employer, duties, phone := value("employer_name"), value("duties"), value("supervisor_phone")
	if employer != "Sunrise Bakery" || !strings.Contains(duties, "keep the kitchen clean") || phone != "(510) 555-0101" {
		t.Fatalf("after the mistake the form holds %q, %q, %q", employer, duties, phone)
	}
	screenshot(t, ctx, "found-internship-error.png")
	run(t, ctx, "fix and send", chromedp.Clear(chromedp.ID("hours_per_week")), chromedp.SendKeys(chromedp.ID("hours_per_week"), "15"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.done`)))
	eventually(t, "the report to reach the journey", func() bool {
		st := e.status()
		return st.Found != nil && st.Found.Details.HoursPerWeek == 15 && st.Found.Details.EmployerName == "Sunrise Bakery"
	})
}
