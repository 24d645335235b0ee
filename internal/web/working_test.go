package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// toTrainings places the student with an employer-paid posting and signs
// and approves the permit through the service.
func (e *env) toTrainings() {
	e.t.Helper()
	if _, err := e.Pool.Exec(context.Background(), `UPDATE postings SET funding_source = 'employer_paid' WHERE id = $1`, e.f.Posting); err != nil {
		e.t.Fatal(err)
	}
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID
	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "offer"})
	e.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student(e.f), ApplicationID: app})
	e.waitStage("work_permit")
	eventually(e.t, "the permit", func() bool { return e.status().Permit != nil })
	sha := e.status().Permit.DocumentSHA256
	for _, s := range []struct {
		role string
		by   workflows.Actor
	}{{"student", student(e.f)}, {"guardian", workflows.Actor{Kind: "guardian", Ref: guardianID(e)}}, {"employer", supervisor(e)}} {
		e.update(workflows.UpdateSignPermit, workflows.SignInput{By: s.by, Role: s.role, TypedName: "Signer", DocumentSHA256: sha,
			Consent: true, ConsentAt: time.Now(), IP: "192.0.2.1", UserAgent: "service"})
	}
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Approve: true})
	e.waitStage("trainings")
}

// From the trainings to the end on people's pages: a certificate, a week
// of hours sent back for a correction and approved, the reflection and the
// employer's one-click feedback.
func TestTrainingTimesheetApprovalReflectionFeedback(t *testing.T) {
	e := newEnv(t, `{"required_hours": 8}`)
	e.toTrainings()

	training := e.linkFor(studentPhone, "record_training")
	get(t, training).has(t, "Record your training", "HIPAA basics", `type="date"`)
	today := time.Now().Format(time.DateOnly)
	postFiles(t, training, map[string]string{"date_hipaa": today}, nil).has(t, "Choose your certificate file.")
	postFiles(t, training, map[string]string{"date_hipaa": today}, map[string]file{"cert_hipaa": {"cert.txt", []byte("plain text")}}).
		has(t, "We can&#39;t use that kind of file.")
	postFiles(t, training, map[string]string{}, map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).has(t, "Give the date you completed it.")
	postFiles(t, training, map[string]string{"date_hipaa": today}, map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).
		has(t, "Done — your training is recorded")
	if n := e.count(`SELECT count(*) FROM training_completions tc JOIN documents d ON d.id = tc.document_id
		WHERE tc.journey_id = $1 AND tc.training_code = 'hipaa' AND d.kind = 'certificate'`, e.journey); n != 1 {
		t.Fatalf("training completions: %d", n)
	}

	e.waitStage("working")
	var week string
	eventually(t, "the first week", func() bool {
		w := e.status().Weeks
		return len(w) > 0 && func() bool { week = w[0].Week; return true }()
	})
	monday, _ := time.Parse(time.DateOnly, week)
	day := func(i int) string { return "h_" + monday.AddDate(0, 0, i).Format(time.DateOnly) }
	// The week's own text comes at the end of the week; the link is the same kind.
	sheet := e.mint("student", e.f.Student, "submit_timesheet", week, nil, false)
	get(t, sheet).has(t, "Your hours", "Week of "+monday.Format("January 2, 2006"), "Mon "+monday.Format("2"))
	post(t, sheet, url.Values{day(0): {"25"}}).has(t, "Enter hours as a number from 0 to 24")
	post(t, sheet, url.Values{}).has(t, "Enter the hours you worked.")
	// Hours for days that have not happened are refused beside each day,
	// all at once (next week's sheet: every day is still to come).
	next := monday.AddDate(0, 0, 7)
	later := e.mint("student", e.f.Student, "submit_timesheet", next.Format(time.DateOnly), nil, false)
	nextDay := func(i int) string { return "h_" + next.AddDate(0, 0, i).Format(time.DateOnly) }
	early := post(t, later, url.Values{nextDay(0): {"4"}, nextDay(2): {"3"}})
	if early.status != 422 || strings.Count(early.body, "This day hasn&#39;t happened yet.") != 2 {
		t.Fatalf("hours for days to come (%d):\n%s", early.status, early.body)
	}
	// The first week began today or before: its first day has happened.
	post(t, sheet, url.Values{day(0): {"8,5"}}).has(t, "Done — your hours went to your supervisor")
	post(t, sheet, url.Values{day(0): {"7"}}).has(t, "This week is with your supervisor for approval.")

	approve := e.mint("supervisor", e.f.Supervisor, "review_timesheet", week, nil, false)
	list := get(t, approve)
	list.has(t, "Timesheets to approve", "Maya L.", "Week of "+monday.Format("January 2, 2006"), "8.5 hours")
	key := e.journey + "|" + week
	post(t, approve, url.Values{"week": {key}, "decision": {"correct"}}).has(t, "Write what the student should correct.")
	post(t, approve, url.Values{"decision": {"approve"}}).has(t, "Tick at least one week.")
	post(t, approve, url.Values{"week": {key}, "decision": {"correct"}, "note": {"Monday was 8 hours"}}).has(t, "sent back to the student")
	get(t, sheet).has(t, "Your supervisor asked for a correction:", "Monday was 8 hours", `value="8.5"`)
	post(t, sheet, url.Values{day(0): {"8"}}).has(t, "Done")
	get(t, approve).has(t, "8 hours")
	post(t, approve, url.Values{"week": {key}, "decision": {"approve"}}).has(t, "Done — 1 week(s) approved.")
	get(t, approve).has(t, "No timesheets are waiting for you.")
	if n := e.count(`SELECT count(*) FROM timesheets WHERE journey_id = $1 AND status = 'approved' AND hours_total = 8 AND reviewer_ref = $2`,
		e.journey, e.f.Supervisor); n != 1 {
		t.Fatalf("approved timesheets: %d", n)
	}

	e.waitStage("completing")
	reflection := e.linkFor(studentPhone, "submit_reflection")
	get(t, reflection).has(t, "Would you recommend this placement to a friend?", `name="recommend"`, "Only school staff read this, never the employer.")
	// Every problem at once, by its field, and nothing typed is lost.
	r := post(t, reflection, url.Values{"body": {"Fun."}, "comment": {"Busy mornings"}})
	if r.status != 422 {
		t.Fatalf("a reflection without the score: %d", r.status)
	}
	r.has(t, "Write a few sentences about what you learned.",
		"Choose from 1 to 5 how much you would recommend this placement to a friend.", ">Busy mornings</textarea>")
	body := "I learned to greet patients and to keep their records private."
	// The same error in Spanish.
	post(t, reflection+"?lang=es", url.Values{"body": {body}}).has(t, "¿Le recomendarías esta pasantía a un amigo?",
		"Elige de 1 a 5 cuánto le recomendarías esta pasantía a un amigo.", "Solo lo lee el personal de la escuela, nunca el empleador.")
	post(t, reflection, url.Values{"body": {body}, "recommend": {"4"}, "comment": {"Busy mornings, kind team."}}).
		has(t, "Done — your coordinator can see your reflection.")
	if n := e.count(`SELECT count(*) FROM reflections WHERE journey_id = $1 AND recommend = 4 AND comment = 'Busy mornings, kind team.'`, e.journey); n != 1 {
		t.Fatalf("reflection rows with the score: %d", n)
	}

	feedback := e.mint("supervisor", e.f.Supervisor, "give_feedback", "", nil, true)
	get(t, feedback).has(t, "How did Maya do?", "Communication", "Professionalism", `type="radio"`)
	r = post(t, feedback, url.Values{"r_communication": {"5"}})
	if r.status != 422 || countOf(r.body, "Choose a rating from 1 to 5.") != 4 {
		t.Fatalf("feedback with one rating: %d, %d errors", r.status, countOf(r.body, "Choose a rating from 1 to 5."))
	}
	post(t, feedback, url.Values{"r_communication": {"5"}, "r_reliability": {"4"}, "r_teamwork": {"5"}, "r_initiative": {"3"},
		"r_professionalism": {"5"}, "comment": {"Great with patients"}}).has(t, "Done — thank you!")
	if n := e.count(`SELECT count(*) FROM employer_feedback WHERE journey_id = $1 AND (ratings->>'initiative')::int = 3 AND supervisor_id = $2`,
		e.journey, e.f.Supervisor); n != 1 {
		t.Fatalf("feedback rows: %d", n)
	}
	e.waitStage("completed")
	// The completion text carries the certificate, which opens after the
	// journey closed.
	page := get(t, e.linkFor(studentPhone, "certificate"))
	page.has(t, "Certificate of completion", "Maya Lopez", "Clinic assistant", "Valley Clinic", "Hours worked", "8",
		"Verification code", "Download your certificate (PDF)")
	// The page's button downloads the PDF the journey issued as it
	// completed, with the code the page shows.
	code := regexp.MustCompile(`id="code">([^<]+)<`).FindStringSubmatch(page.body)
	href := regexp.MustCompile(`id="pdf" href="([^"]+)"`).FindStringSubmatch(page.body)
	if code == nil || href == nil {
		t.Fatalf("the certificate page has no code or no PDF link:\n%s", page.body)
	}
	pdf := get(t, e.URL+href[1])
	if pdf.status != 200 || pdf.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the certificate PDF: %d %s", pdf.status, pdf.header.Get("Content-Type"))
	}
	text := testenv.PDFText([]byte(pdf.body))
	for _, want := range []string{"Certificate of Completion", "Maya Lopez", "completed 8 hours", "as Clinic assistant at Valley Clinic",
		"Verification code: " + code[1], "Communication", "5 of 5", "Initiative", "3 of 5"} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate PDF does not say %q:\n%s", want, text)
		}
	}
	if n := e.count(`SELECT count(*) FROM certificates c JOIN documents d ON d.id = c.document_id
		WHERE c.journey_id = $1 AND c.code = $2 AND d.kind = 'certificate'`, e.journey, code[1]); n != 1 {
		t.Errorf("certificates issued with the page's code: %d", n)
	}
}

func countOf(s, sub string) int {
	n := 0
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			n++
		}
	}
	return n
}

// The project form marks both missing answers at once: no work attached
// or described, and no hours (the journey's own check stops at the first).
func TestDeliverablePage_EveryProblemAtOnce(t *testing.T) {
	e := newEnv(t, `{}`)
	link := e.mint("student", e.f.Student, "submit_deliverable", "", nil, false)
	r := postFiles(t, link, map[string]string{"note": " ", "hours": "0"}, nil)
	if r.status != 422 {
		t.Fatalf("an empty project form: %d", r.status)
	}
	r.has(t, "Attach your work or describe it.", "Enter the hours you spent (more than 0, at most 40)")
	if review := get(t, e.mint("supervisor", e.f.Supervisor, "review_deliverable", "", nil, false)); review.status != 200 {
		t.Fatalf("the employer's review page: %d\n%s", review.status, review.body)
	}
}
