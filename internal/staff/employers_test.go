package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/workflows"
)

const (
	harborEmail  = "jobs@harbor-library.example.org"
	studentPhone = "+15555550142" // the fixture's student, Maya
)

// The employer side end to end, as people do it: district ops create an
// employer, a supervisor, a district-funded posting (refused publication
// until a worksite exists) and draft the MOU; the student applies from
// the text they got; the employer answers from the applicants link
// emailed by staff (the student is texted at each change); the student
// accepts; the journey waits at the MOU gate until the approver approves
// the MOU the employer signed, then moves on.
func TestEmployerPages_PostingToPlacement(t *testing.T) {
	e := newEnv(t)
	ops := e.signIn(t, approverOps)

	employer := e.createEmployer(t, ops)
	if to := redirectTo(t, ops.Action("/staff/employers/"+employer+"/supervisors/new", url.Values{
		"name": {"Sam Ortiz"}, "email": {"sam@harbor-library.example.org"}, "language": {"es"}})); to != "/staff/employers/"+employer {
		t.Fatalf("after saving the supervisor: %s", to)
	}
	var supervisor string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM supervisors WHERE employer_id = $1 AND language = 'es'`, employer).
		Scan(&supervisor); err != nil {
		t.Fatal(err)
	}
	posting := e.createPosting(t, ops, employer)
	for path, want := range map[string]string{
		"/staff/employers/new": "New employer", "/staff/employers/" + employer + "/edit": `value="Ana Ruiz"`,
		"/staff/employers/" + employer + "/supervisors/" + supervisor: `value="Sam Ortiz"`, "/staff/employers/" + employer + "/worksites/new": "New worksite",
		"/staff/postings/" + posting: `value="18.50"`, "/staff/employers/" + employer + "/postings/new": "New posting",
	} {
		if r := ops.Get(path); r.Status != 200 || !strings.Contains(r.Body, want) {
			t.Errorf("GET %s: %d, without %q", path, r.Status, want)
		}
	}

	// Publishing without a worksite is refused, next to the worksite field.
	r := ops.Action("/staff/postings/"+posting+"/publish", nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("publish without a worksite: %d", r.Status)
	}
	has(t, r, "A posting needs a worksite address or the remote flag before it can be published.")
	if st := e.postingStatus(t, posting); st != "draft" {
		t.Fatalf("posting is %s after the refused publish", st)
	}
	worksite := e.addWorksite(t, ops, employer)
	form := postingForm()
	form.Set("worksite_id", worksite)
	if r := ops.Action("/staff/postings/"+posting, form); r.Status != http.StatusSeeOther {
		t.Fatalf("choosing the worksite: %d\n%s", r.Status, r.Body)
	}
	has(t, follow(t, ops, ops.Action("/staff/postings/"+posting+"/publish", nil)), "Published: students can apply now.")

	has(t, follow(t, ops, ops.Action("/staff/employers/"+employer+"/mou", url.Values{"year": {yearOf(e)}})), "MOU for "+yearOf(e)+" drafted")
	eventually(t, "the MOU drafted on the employer page", func() bool {
		return strings.Contains(ops.Get("/staff/employers/"+employer).Body, "Drafted: waiting for the employer")
	})

	// The student applies from the link in their text.
	e.toApplying(t, ops)
	apply := e.linkTo(t, studentPhone, "apply")
	page := stafftest.Anonymous(t, e.Stack).Get(apply)
	has(t, page, "Library tech helper", "Harbor Library", "$18.50 per hour", "You will need", "a TB test, a background check, HIPAA basics")
	has(t, stafftest.Anonymous(t, e.Stack).PostForm(apply, url.Values{"posting_id": {posting}}), "Done — you applied to 1.")

	// Staff email the employer their applicants link; the employer moves
	// the application to interview, then offer (a double tap is one change).
	page = follow(t, ops, ops.Action("/staff/employers/"+employer+"/applicants-link", url.Values{"action_id": {"0123456789abcdef01234567"}}))
	has(t, page, "The applicants link is on its way")
	employerBrowser := stafftest.Anonymous(t, e.Stack)
	applicants := e.linkTo(t, harborEmail, "employer_applicants")
	page = employerBrowser.Get(applicants)
	has(t, page, "Your applicants", "Maya", "Fixture High", "Library tech helper", "Submitted", "applied today", "Download resume")
	if strings.Contains(page.Body, "Lopez") || strings.Contains(page.Body, "5555550142") {
		t.Error("the employer's page shows the student's last name or phone")
	}
	app := stafftest.Field(page.Body, "application")
	if resume := employerBrowser.Get(applicants + "/file/resume?application=" + app); resume.Status != 200 || !strings.HasPrefix(resume.Body, "%PDF") {
		t.Fatalf("resume download: %d", resume.Status)
	}
	for range 2 {
		has(t, employerBrowser.PostForm(applicants, url.Values{"application": {app}, "status": {"interview"}}), "Saved: Maya — Interview.")
	}
	e.waitTexts(t, 1)
	has(t, employerBrowser.PostForm(applicants, url.Values{"application": {app}, "status": {"offer"}}), "Saved: Maya — Offer made.")
	texts := e.waitTexts(t, 2)
	if !strings.Contains(texts[0], "invited to interview") || !strings.Contains(texts[1], "offer made") {
		t.Fatalf("texts to the student: %q", texts)
	}
	has(t, employerBrowser.Get(applicants), "Offer made")

	// The student accepts; district-funded wages wait for the MOU.
	offer := e.linkTo(t, studentPhone, "accept_offer")
	has(t, stafftest.Anonymous(t, e.Stack).PostForm(offer, url.Values{}), "Done — you accepted the offer.")
	if n := e.count(t, `SELECT count(*) FROM placements WHERE journey_id = $1 AND posting_id = $2 AND employer_id = $3`,
		e.journeyA, posting, employer); n != 1 {
		t.Fatalf("placement rows: %d", n)
	}
	e.waitStage(t, ops, "Employer MOU")

	signMOU(t, e, e.linkTo(t, harborEmail, "sign_mou"))
	e.approveMOU(t, ops, employer)
	e.waitStage(t, ops, "Work permit")
	eventually(t, "the MOU active on the employer list", func() bool {
		return strings.Contains(ops.Get("/staff/employers?year="+yearOf(e)).Body, "<td data-label=\"MOU\">Active</td>")
	})
	has(t, ops.Get("/staff/employers?year="+yearOf(e)), `<td data-label="Open postings">1</td>`, `<td data-label="Placed interns">1</td>`)
	for _, action := range []string{"employer_created", "supervisor_created", "worksite_created", "posting_created", "posting_updated",
		"posting_published", "mou_draft_requested", "applicants_link_sent", "mou_approved"} {
		if e.auditCount(t, approverOps, action, "") == 0 {
			t.Errorf("no %s in the audit log", action)
		}
	}
}

// createEmployer fills the new-employer form: first with an email that
// cannot be mailed (the form comes back with the error by the field and
// what was typed), then correctly; contacts are stored normalised.
func (e *env) createEmployer(t *testing.T, ops *stafftest.Client) string {
	t.Helper()
	form := url.Values{"name": {"Harbor Library"}, "contact_name": {"Ana Ruiz"}, "contact_email": {"jobs at harbor"},
		"contact_phone": {"(559) 555-0199"}}
	r := ops.Action("/staff/employers", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("employer with a bad email: %d", r.Status)
	}
	has(t, r, "That is not an email address we can send to.", `value="Harbor Library"`)
	form.Set("contact_email", " Jobs@Harbor-Library.example.org ")
	id := strings.TrimPrefix(redirectTo(t, ops.Action("/staff/employers", form)), "/staff/employers/")
	var email, phone string
	if err := e.Pool.QueryRow(context.Background(), `SELECT contact_email, contact_phone FROM employers WHERE id = $1`, id).
		Scan(&email, &phone); err != nil || email != harborEmail || phone != "+15595550199" {
		t.Fatalf("stored contact: %q %q %v", email, phone, err)
	}
	return id
}

func postingForm() url.Values {
	return url.Values{"title": {"Library tech helper"}, "description": {"Help people use the computers and the library's apps."},
		"pathway": {"Information and Communication Technologies"}, "hours_per_week": {"12"}, "schedule": {"Mon-Thu 1-4 pm"},
		"pay_type": {"hourly"}, "pay": {"$18.50"}, "funding_source": {"district_cte"}, "spot_type": {"competitive"}, "spots": {"2"},
		"requirements": {"tb_test", "background_check"}, "required_trainings": {"hipaa"},
		"deadline": {time.Now().AddDate(0, 2, 0).Format(time.DateOnly)}}
}

// createPosting saves a draft posting (pay typed in dollars, stored in
// cents) and returns its id.
func (e *env) createPosting(t *testing.T, ops *stafftest.Client, employer string) string {
	t.Helper()
	bad := postingForm()
	bad.Set("pay", "eighteen")
	r := ops.Action("/staff/employers/"+employer+"/postings", bad)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Give the pay in dollars") {
		t.Fatalf("posting with pay in words: %d", r.Status)
	}
	id := strings.TrimPrefix(redirectTo(t, ops.Action("/staff/employers/"+employer+"/postings", postingForm())), "/staff/postings/")
	var cents int
	var reqs, trainings []string
	if err := e.Pool.QueryRow(context.Background(), `SELECT pay_cents, requirements, required_trainings FROM postings WHERE id = $1`, id).
		Scan(&cents, &reqs, &trainings); err != nil || cents != 1850 || len(reqs) != 2 || len(trainings) != 1 {
		t.Fatalf("stored posting: %d %v %v %v", cents, reqs, trainings, err)
	}
	return id
}

// addWorksite is refused without an address (not remote), then saved.
func (e *env) addWorksite(t *testing.T, ops *stafftest.Client, employer string) string {
	t.Helper()
	form := url.Values{"name": {"Central branch"}, "city": {"Fresno"}, "safety_notes": {"Closed-toe shoes in the stacks."}}
	r := ops.Action("/staff/employers/"+employer+"/worksites/new", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("worksite without an address: %d", r.Status)
	}
	has(t, r, "Give the street address, or mark the worksite remote.")
	form.Set("address_line1", "2420 Mariposa St")
	redirectTo(t, ops.Action("/staff/employers/"+employer+"/worksites/new", form))
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM worksites WHERE employer_id = $1`, employer).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// toApplying takes journey A through the survey and the badge (their
// pages are tested in internal/web).
func (e *env) toApplying(t *testing.T, c *stafftest.Client) {
	t.Helper()
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	e.up(t, workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Information and Communication Technologies",
		Transport: "transit", ContactConsent: true})
	e.waitStage(t, c, "Intern Ready")
	for _, kind := range []string{"resume", "cover_letter"} {
		e.up(t, workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: kind,
			DocumentID: apptest.Document(t, e.Store, e.journeyA, kind)})
	}
	e.up(t, workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Coordinator}, Approve: true})
	e.waitStage(t, c, "Applying")
}

// signMOU signs as the employer on the link their email carried.
func signMOU(t *testing.T, e *env, link string) {
	t.Helper()
	b := stafftest.Anonymous(t, e.Stack)
	consent := b.PostForm(link, url.Values{"step": {"consent"}, "agree": {"yes"}})
	if consent.Status == http.StatusSeeOther { // the page shows step 2 after the redirect
		consent = b.Get(consent.Header.Get("Location"))
	}
	has(t, consent, "Step 2 of 2")
	has(t, b.PostForm(link, url.Values{"step": {"sign"}, "typed_name": {"Ana Ruiz"}}), "Done — your signature is recorded")
}

// approveMOU approves the employer's signed MOU on the approvals page.
func (e *env) approveMOU(t *testing.T, approver *stafftest.Client, employer string) {
	t.Helper()
	var mou string
	eventually(t, "the signed MOU on the approvals page", func() bool {
		_ = e.Pool.QueryRow(context.Background(), `SELECT id FROM mous WHERE employer_id = $1 AND status = 'employer_signed'`, employer).Scan(&mou)
		return mou != "" && strings.Contains(approver.Get("/staff/mous").Body, "/staff/mous/"+mou+"/decide")
	})
	r := approver.Action("/staff/mous/"+mou+"/decide", url.Values{"decision": {"approve"},
		"implementation_date": {time.Now().Format(time.DateOnly)}})
	has(t, follow(t, approver, r), "MOU for Harbor Library approved")
}

func yearOf(e *env) string { return time.Now().AddDate(1, 0, 0).Format("2006") }

// waitTexts waits for n texts to the student about the posting, checks no
// more came, and returns them, oldest first.
func (e *env) waitTexts(t *testing.T, n int) []string {
	t.Helper()
	eventually(t, "texts about the posting", func() bool {
		e.Drain()
		return len(e.textsAbout("Library tech helper")) >= n
	})
	time.Sleep(300 * time.Millisecond) // a second copy would have come by now
	e.Drain()
	got := e.textsAbout("Library tech helper")
	if len(got) != n {
		t.Fatalf("%d texts about the posting, want %d: %q", len(got), n, got)
	}
	return got
}

func (e *env) textsAbout(what string) []string {
	var out []string
	for _, m := range e.Twilio.Messages() {
		if m.To == studentPhone && strings.Contains(m.Body, what) {
			out = append(out, m.Body)
		}
	}
	return out
}

// linkTo waits for a link of the action to reach a phone or an address
// and returns the newest one.
func (e *env) linkTo(t *testing.T, to, action string) string {
	t.Helper()
	var found string
	eventually(t, "a "+action+" link to "+to, func() bool {
		found = ""
		received := e.received(to)
		rows, err := e.Pool.Query(context.Background(), `SELECT id FROM action_links WHERE action = $1 ORDER BY created_at DESC`, action)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() && found == "" {
			var id string
			_ = rows.Scan(&id)
			if tok, _ := e.Links.Token(id); received[tok] {
				found = e.URL + "/l/" + tok
			}
		}
		return found != ""
	})
	return found
}

var tokenRe = regexp.MustCompile(`/l/([A-Za-z0-9_-]+)`)

// received drains the outbox and returns the link tokens sent to someone.
func (e *env) received(to string) map[string]bool {
	e.Drain()
	out := map[string]bool{}
	add := func(body string) {
		for _, m := range tokenRe.FindAllStringSubmatch(body, -1) {
			out[m[1]] = true
		}
	}
	for _, m := range e.SendGrid.Messages() {
		if m.To == to {
			add(m.Text)
		}
	}
	for _, m := range e.Twilio.Messages() {
		if m.To == to {
			add(m.Body)
		}
	}
	return out
}

func (e *env) postingStatus(t *testing.T, id string) string {
	t.Helper()
	var s string
	if err := e.Pool.QueryRow(context.Background(), `SELECT status FROM postings WHERE id = $1`, id).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// redirectTo is where a form's redirect goes (the save must have worked).
func redirectTo(t *testing.T, r stafftest.Response) string {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("form: %d, want a redirect\n%s", r.Status, r.Body)
	}
	return strings.SplitN(r.Header.Get("Location"), "#", 2)[0]
}

// follow opens the page a form redirected to (with its flash message).
func follow(t *testing.T, c *stafftest.Client, r stafftest.Response) stafftest.Response {
	t.Helper()
	return c.Get(redirectTo(t, r))
}
