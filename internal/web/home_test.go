package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// textIn sends the app a text from phone as Twilio would, and returns the
// form (to send the very same text again).
func (e *env) textIn(from, body string, form ...url.Values) url.Values {
	e.t.Helper()
	f := e.Twilio.InboundForm(from, body)
	if len(form) > 0 {
		f = form[0]
	}
	resp, err := e.Twilio.PostSigned(context.Background(), e.URL+messaging.PathTwilioInbound, "", f)
	if err != nil {
		e.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("inbound text %q: %d", body, resp.StatusCode)
	}
	return f
}

// checklist reads the page's stages as "state:label".
func checklist(t *testing.T, ctx context.Context) []string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.checklist li')).map(
		li => li.classList[1].replace('state-', '') + ':' + li.querySelector('.label').textContent)`))
	if err != nil {
		t.Fatalf("read the checklist: %v", err)
	}
	return got
}

// A student texts MY INTERNSHIP and opens the link on a phone: the
// checklist shows the survey and the badge done and applying now, the
// "do it now" button opens the apply page, and as the employer invites
// them to interview, offers and they accept, their page shows the
// employer's interview note, then the placement with transit directions,
// the supervisor's first name and the pay. The page reads the same in
// Spanish.
func TestBrowser_StudentHome_ShowsWhereTheyStandAndOpensWhatIsAskedNow(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	e.toApplying()
	e.textIn(studentPhone, "My Internship")
	home := e.linkFor(studentPhone, "student_home")

	run(t, ctx, "open the page", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.ID("checklist")))
	stages := checklist(t, ctx)
	want := []string{"done:Interest survey", "done:Resume and cover letter (Intern Ready badge)", "now:Apply and accept an offer"}
	if len(stages) < len(want)+1 || strings.Join(stages[:3], "|") != strings.Join(want, "|") {
		t.Fatalf("checklist %q, want it to start %q and go on", stages, want)
	}
	for _, s := range stages[3:] {
		if !strings.HasPrefix(s, "later:") {
			t.Errorf("after the stage the student is at: %q, want later", s)
		}
	}
	if h := text(t, ctx, "h1"); h != "Hi Maya" {
		t.Errorf("greeting %q", h)
	}
	if task := text(t, ctx, "#now a.task"); task != "Find internships and apply" {
		t.Fatalf("asked now: %q", task)
	}

	run(t, ctx, "do it now", chromedp.Click(chromedp.CSS("#now a.task")),
		chromedp.WaitVisible(chromedp.CSS(`input[name=posting_id]`)))
	if h := text(t, ctx, "h1"); !strings.Contains(text(t, ctx, ".posting h2"), "Clinic assistant") {
		t.Fatalf("the button opened %q, not the apply page with the posting", h)
	}
	run(t, ctx, "apply", chromedp.Click(chromedp.CSS(`input[name=posting_id]`)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".done")))

	app := e.status().Applications[0].ID
	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "interview",
		Note: "Thursday 3:30 at the front desk; ask for Dr. Kim."})
	run(t, ctx, "back to the page", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.ID("applications")))
	if a := text(t, ctx, "#applications .application"); !strings.Contains(a, "Clinic assistant · Valley Clinic") ||
		!strings.Contains(a, "Interview") || !strings.Contains(a, "Thursday 3:30 at the front desk; ask for Dr. Kim.") {
		t.Fatalf("the application reads %q", a)
	}

	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "offer"})
	eventually(t, "the offer to answer on the page", func() bool {
		return strings.Contains(get(t, home).body, "Answer your offer: Clinic assistant")
	})
	e.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student(e.f), ApplicationID: app})
	e.waitStage("mou_gate")
	run(t, ctx, "the placement", chromedp.Navigate(home), chromedp.WaitVisible(chromedp.ID("placement")))
	pl := text(t, ctx, "#placement")
	for _, w := range []string{"Clinic assistant · Valley Clinic", "Main clinic, 200 Oak Ave, Fresno, CA", "Dr. Kim", "$18.00 per hour", "10 hours a week"} {
		if !strings.Contains(pl, w) {
			t.Errorf("placement %q does not say %q", pl, w)
		}
	}
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('directions').href`))
	if err != nil || !strings.Contains(dir, "travelmode=transit") || !strings.Contains(dir, "200+Oak+Ave") {
		t.Errorf("directions link %q (%v)", dir, err)
	}
	if a := text(t, ctx, "#applications .application"); strings.Contains(a, "front desk") {
		t.Errorf("the interview note is still shown once the offer is taken: %q", a)
	}
	stages = checklist(t, ctx)
	if !contains(stages, "done:Apply and accept an offer") || !contains(stages, "now:Your employer's agreement with the district") {
		t.Errorf("placed, the checklist reads %q", stages)
	}
	if h := text(t, ctx, "#trainings"); !strings.Contains(h, "HIPAA basics") || !strings.Contains(h, "Still needed") {
		t.Errorf("trainings %q", h)
	}
	screenshot(t, ctx, "student-home.png")

	run(t, ctx, "en español", chromedp.Navigate(home+"?lang=es"), chromedp.WaitVisible(chromedp.ID("checklist")))
	if h := text(t, ctx, "#checklist h2"); h != "Tus pasos" {
		t.Errorf("Spanish checklist heading %q", h)
	}
	if pl := text(t, ctx, "#placement"); !strings.Contains(pl, "$18.00 por hora") {
		t.Errorf("Spanish placement %q", pl)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A parent of two children in the program texts LINK and gets one page
// per child. On a phone, the page of the child whose permit waits on them
// asks for their signature and its button opens the signing page; the
// other child's page asks nothing and never names the first child, nor
// the first the second. Once staff turn the parent's links off, the page
// says so.
func TestBrowser_GuardianHome_OneChildPerLink_SignFromThePage(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	sibling := e.enrollSibling("Leo")
	e.waitStage("survey")
	e.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student(e.f), Pathway: "Health Sciences", Transport: "transit", ContactConsent: true})
	e.toPermitAfterSurvey()

	e.textIn(guardianPhone, "link")
	var pages []string
	eventually(t, "a page link per child", func() bool {
		pages = e.guardianHomes()
		return len(pages) == 2
	})
	mine, other := pages[0], pages[1]
	if !strings.Contains(get(t, mine).body, "Maya") {
		mine, other = other, mine
	}
	minePage, otherPage := get(t, mine), get(t, other)
	minePage.has(t, "What Maya&#39;s internship needs from you", "Sign your student&#39;s work permit", "Coach Rivera")
	otherPage.has(t, "What Leo&#39;s internship needs from you", "Nothing is waiting for you right now")
	if strings.Contains(minePage.body, "Leo") || strings.Contains(otherPage.body, "Maya") {
		t.Fatal("a parent's page shows another child")
	}
	if id, _, _ := e.linkState(other); e.count(`SELECT count(*) FROM action_links WHERE id = $1 AND journey_id = $2`, id, sibling) != 1 {
		t.Fatal("the second page is not the second child's journey")
	}

	run(t, ctx, "open the page", chromedp.Navigate(mine), chromedp.WaitVisible(chromedp.CSS("#now a.task")))
	screenshot(t, ctx, "parent-home.png")
	run(t, ctx, "sign from the page", chromedp.Click(chromedp.CSS("#now a.task")),
		chromedp.WaitVisible(chromedp.CSS(`input[name=agree]`)))
	run(t, ctx, "consent and sign", chromedp.Click(chromedp.CSS(`input[name=agree]`)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("typed_name")),
		chromedp.SendKeys(chromedp.ID("typed_name"), "Rosa Lopez"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".done")))
	eventually(t, "the parent's signature", func() bool {
		return contains(e.status().Permit.Signed, "guardian")
	})
	if b := text(t, ctx, "a#home"); b != "See everything on your page" {
		t.Fatalf("after signing, the page offers %q", b)
	}
	run(t, ctx, "back to the page from the signing's confirmation", chromedp.Click(chromedp.ID("home")),
		chromedp.WaitVisible(chromedp.ID("signed")))
	if h := text(t, ctx, "p.lead + p"); !strings.Contains(h, "Maya") {
		t.Fatalf("the confirmation's page button opened %q", h)
	}
	if s := text(t, ctx, "#signed"); !strings.Contains(s, "Work permit (version 1)") {
		t.Errorf("what they signed: %q", s)
	}
	if s := text(t, ctx, "#now"); !strings.Contains(s, "Nothing is waiting for you right now") {
		t.Errorf("after signing, asked now: %q", s)
	}

	if _, err := links.RevokeParty(context.Background(), e.Pool, e.journey, "guardian"); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "a turned-off page", chromedp.Navigate(mine), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := text(t, ctx, "h1"); h != "This link was turned off" {
		t.Fatalf("a revoked page says %q", h)
	}
}

// enrollSibling enrols a second student of the fixture's school, whose
// parent is the same person with the same phone (one guardian row per
// child), and returns the journey id.
func (e *env) enrollSibling(first string) string {
	e.t.Helper()
	ctx := context.Background()
	dob := time.Now().AddDate(-15, -1, 0)
	id, err := e.Store.CreateStudent(ctx, store.Student{DistrictID: e.f.District, SchoolID: e.f.School, FirstName: first,
		LastName: "Lopez", DateOfBirth: &dob, Grade: 10, Phone: "+15555550199", Language: "en"})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `INSERT INTO guardians (student_id, position, name, phone) VALUES ($1, 1, 'Rosa Lopez', $2)`,
		id, guardianPhone); err != nil {
		e.t.Fatal(err)
	}
	j, err := e.Journeys.Enroll(ctx, id, e.f.Program)
	if err != nil {
		e.t.Fatal(err)
	}
	return j.Journey.ID
}

// guardianHomes are the parent's page links texted to the parent.
func (e *env) guardianHomes() []string {
	e.t.Helper()
	var out []string
	received := e.received(guardianPhone)
	rows, err := e.Pool.Query(context.Background(), `SELECT id FROM action_links WHERE action = 'guardian_home'`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			e.t.Fatal(err)
		}
		if tok, _ := e.Links.Token(id); received[tok] {
			out = append(out, e.URL+"/l/"+tok)
		}
	}
	return out
}

// MY INTERNSHIP texted twice by Twilio (a redelivery) sends one link, in
// the student's language; an expired page offers a new link, which is
// texted once however often the old page asks.
func TestStudentHome_KeywordOnceInTheirLanguage_ExpiredPageRenewsOnce(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	e.waitStage("survey")
	form := e.textIn(studentPhone, "Mi pasantía")
	e.textIn(studentPhone, "", form)
	home := e.linkFor(studentPhone, "student_home")
	if n := e.count(`SELECT count(*) FROM messages WHERE template = 'home_link'`); n != 1 {
		t.Fatalf("%d page links for one text", n)
	}
	var body string
	for _, m := range e.Twilio.Messages() {
		if strings.Contains(m.Body, strings.TrimPrefix(home, e.URL)) {
			body = m.Body
		}
	}
	if !strings.Contains(body, "tu pagina de pasantia") && !strings.Contains(body, "tu página de pasantía") {
		t.Errorf("the text is not in Spanish: %q", body)
	}
	get(t, home).has(t, "Hola, Maya", "Responde la encuesta de intereses")

	if _, err := e.Pool.Exec(context.Background(), `UPDATE action_links SET expires_at = now() - interval '1 minute' WHERE action = 'student_home'`); err != nil {
		t.Fatal(err)
	}
	expired := get(t, home)
	if expired.status != http.StatusGone {
		t.Fatalf("an expired page: %d", expired.status)
	}
	expired.has(t, "new-link")
	post(t, home+"/new-link", url.Values{}).has(t, "Enlace nuevo enviado")
	if again := post(t, home+"/new-link", url.Values{}); again.status >= 500 {
		t.Fatalf("asking again: %d", again.status)
	}
	fresh := e.linkAfter(studentPhone, "student_home", home)
	get(t, fresh).has(t, "Tus pasos")
	if n := e.count(`SELECT count(*) FROM messages WHERE template = 'home_link'`); n != 2 {
		t.Fatalf("%d page links after asking twice from the expired page, want 2 (the first and one new)", n)
	}
}

// The student's first text carries their page besides the survey: the
// survey link still opens the survey, the page link opens the page, and
// once the survey is in, the page still works (it serves no one step).
func TestStudentHome_FirstTextCarriesThePage(t *testing.T) {
	e := newEnv(t, `{}`)
	surveyLink := e.linkFor(studentPhone, "survey")
	home := e.linkFor(studentPhone, "student_home")
	var first string
	for _, m := range e.Twilio.Messages() {
		if m.To == studentPhone && strings.Contains(m.Body, strings.TrimPrefix(surveyLink, e.URL)) {
			first = m.Body
		}
	}
	if !strings.Contains(first, "Your page: "+home) || messaging.SMSSegments(first) > 2 {
		t.Fatalf("the first text %q does not carry the page %s in two segments", first, home)
	}
	get(t, surveyLink).has(t, `name="pathway"`)
	// The survey's ladder escalates to the coordinator: the page says by when.
	get(t, home).has(t, "Answer the interest survey", "Asked on ", " · due by ")
	e.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student(e.f), Pathway: "Health Sciences", Transport: "transit", ContactConsent: true})
	e.waitStage("intern_ready")
	page := get(t, home)
	if page.status != http.StatusOK {
		t.Fatalf("after the survey the page answers %d", page.status)
	}
	page.has(t, "Upload your resume and cover letter")
}

// Through the rest of the journey the student's page keeps up: the signed
// permit to download once approved, the training still needed, then the
// week's hours awaiting approval and approved out of those required, and
// at the end the certificate, every document downloading as a PDF.
func TestStudentHome_HoursWeekByWeekAndDocuments(t *testing.T) {
	e := newEnv(t, `{"required_hours": 8}`)
	home := e.linkFor(studentPhone, "student_home")
	e.toTrainings()
	page := get(t, home)
	page.has(t, "HIPAA basics", "Still needed", "Record a training you finished", "Signed work permit (PDF)")
	if !strings.Contains(page.body, `state-done"><span class="mark" aria-hidden="true"></span><span class="label">Work permit signatures`) {
		t.Errorf("the permit is not done on the checklist:\n%s", page.body)
	}
	e.pdfAt(home + "/file/signed")

	e.update(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student(e.f), Code: "hipaa",
		DocumentID: apptest.Document(t, e.Store, e.journey, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	e.waitStage("working")
	var week string
	eventually(t, "the first week", func() bool {
		w := e.status().Weeks
		return len(w) > 0 && func() bool { week = w[0].Week; return true }()
	})
	monday, _ := time.Parse(time.DateOnly, week)
	sheet := e.mint("student", e.f.Student, "submit_timesheet", week, nil, false)
	post(t, sheet, url.Values{"h_" + week: {"8"}}).has(t, "Done")
	weekOf := "Week of " + monday.Format("January 2, 2006")
	eventually(t, "the week awaiting approval on the page", func() bool {
		return strings.Contains(get(t, home).body, weekOf+": 8 hours · Waiting for your supervisor&#39;s approval")
	})
	approve := e.mint("supervisor", e.f.Supervisor, "review_timesheet", week, nil, false)
	post(t, approve, url.Values{"week": {e.journey + "|" + week}, "decision": {"approve"}}).has(t, "approved")
	eventually(t, "the hours approved on the page", func() bool {
		b := get(t, home).body
		return strings.Contains(b, "8 of 8 hours approved") && strings.Contains(b, weekOf+": 8 hours · Approved")
	})
	get(t, home).has(t, "Done on ", "Write your reflection")

	e.waitStage("completing")
	post(t, e.linkFor(studentPhone, "submit_reflection"), url.Values{"body": {"I learned to greet patients and keep records private."}, "recommend": {"4"}}).has(t, "Done")
	feedback := e.mint("supervisor", e.f.Supervisor, "give_feedback", "", nil, true)
	post(t, feedback, url.Values{"r_communication": {"5"}, "r_reliability": {"4"}, "r_teamwork": {"5"}, "r_initiative": {"3"},
		"r_professionalism": {"5"}}).has(t, "Done")
	e.waitStage("completed")
	done := get(t, home)
	done.has(t, "You completed your internship", "Certificate of completion (PDF)", "8 of 8 hours approved")
	if strings.Contains(done.body, `state-now`) || strings.Contains(done.body, `state-later`) {
		t.Errorf("a completed journey still has steps to do:\n%s", done.body)
	}
	e.pdfAt(home + "/file/certificate")
}

// pdfAt downloads a document and checks it is a PDF.
func (e *env) pdfAt(u string) {
	e.t.Helper()
	var r response
	eventually(e.t, "a PDF at "+u, func() bool {
		r = get(e.t, u)
		return r.status == http.StatusOK
	})
	if r.header.Get("Content-Type") != "application/pdf" {
		e.t.Fatalf("%s: %s", u, r.header.Get("Content-Type"))
	}
}

// Trainings open before hiring show on the student's page with a way to
// record them there and then: the page's link opens the training page,
// the certificate sent from it counts, and the page then shows it done
// with nothing more to send.
func TestStudentHome_TrainingsBeforeHiring_RecordedFromThePage(t *testing.T) {
	e := newEnv(t, `{"trainings": ["hipaa"]}`)
	home := e.linkFor(studentPhone, "student_home")
	e.toApplying()
	page := get(t, home)
	page.has(t, "HIPAA basics", "Still needed", "Send your certificate")
	m := regexp.MustCompile(`<a href="([^"]+)" class="record">`).FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no link to send the certificate:\n%s", page.body)
	}
	record := html.UnescapeString(m[1])
	get(t, record).has(t, "You can do these trainings now, before you are hired.")
	today := time.Now().Format(time.DateOnly)
	postFiles(t, record, map[string]string{"date_hipaa": today}, map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).
		has(t, "your training is recorded")
	eventually(t, "the training shown done", func() bool {
		p := get(t, home)
		return !strings.Contains(p.body, "Send your certificate") && !strings.Contains(p.body, "Still needed")
	})
}
