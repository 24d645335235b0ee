package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/workflows"
)

// docx is a minimal Word file: a zip with word/document.xml.
func docx(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte("<x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The student uploads a resume and a cover letter: a file that is too big
// or not a document is refused in plain words; a PDF and a Word file are
// stored with their hashes and named to the journey.
func TestBadgePage_SizeAndTypeChecked_ThenStored(t *testing.T) {
	e := newEnv(t, `{}`)
	survey := e.linkFor(studentPhone, "survey")
	post(t, survey, surveyForm("Health Science and Medical Technology")).has(t, "Done")
	link := e.linkFor(studentPhone, "upload_badge")
	get(t, link).has(t, "Your resume and cover letter", `enctype="multipart/form-data"`)

	big := append(append([]byte{}, pdfBytes...), bytes.Repeat([]byte("x"), 5<<20)...)
	r := postFiles(t, link, nil, map[string]file{"resume": {"resume.pdf", big}, "cover_letter": {"letter.exe", []byte("MZ\x90\x00 not a document")}})
	if r.status != 422 {
		t.Fatalf("bad uploads: %d", r.status)
	}
	r.has(t, "That file is too big. Files can be up to 5 MB.", "We can&#39;t use that kind of file. Upload a PDF, Word (.docx), PNG or JPEG file.")
	postFiles(t, link, nil, map[string]file{"resume": {"resume.pdf", pdfBytes}}).has(t, "Choose your cover letter file.")
	if n := e.count(`SELECT count(*) FROM documents WHERE journey_id = $1`, e.journey); n != 0 {
		t.Fatalf("%d documents stored from refused uploads", n)
	}

	letter := docx(t)
	r = postFiles(t, link, nil, map[string]file{"resume": {`C:\Users\maya\My Resume (final).pdf`, pdfBytes}, "cover_letter": {"letter.docx", letter}})
	r.has(t, "Done — your coordinator can see your resume and cover letter")
	for kind, body := range map[string][]byte{"resume": pdfBytes, "cover_letter": letter} {
		sum := sha256.Sum256(body)
		var name, ct string
		err := e.Pool.QueryRow(context.Background(), `SELECT filename, content_type FROM documents WHERE journey_id = $1 AND kind = $2 AND sha256 = $3`,
			e.journey, kind, sum[:]).Scan(&name, &ct)
		if err != nil {
			t.Fatalf("%s not stored with its hash: %v", kind, err)
		}
		if strings.ContainsAny(name, `\/:()`) || ct == "" {
			t.Errorf("%s stored as %q (%s)", kind, name, ct)
		}
	}
	if n := e.count(`SELECT count(*) FROM journey_events WHERE journey_id = $1 AND kind IN ('uploaded_resume','uploaded_cover_letter')`, e.journey); n != 2 {
		t.Errorf("upload events: %d", n)
	}
	get(t, link).has(t, "This link was already used")
}

// The student applies to a posting from the list; the employer opens the
// application (first name, school, grade, pathway, resume) and makes an
// offer; the student accepts it from the text that follows.
func TestApplyDecideOffer_ThroughTheirPages(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	link := e.linkFor(studentPhone, "apply")
	list := get(t, link)
	list.has(t, "Apply to internships", "Clinic assistant", "Valley Clinic", "$18.00 per hour", "Greet patients")
	post(t, link, url.Values{}).has(t, "Tick at least one internship to apply to.")
	post(t, link, url.Values{"posting_id": {e.f.Posting}}).has(t, "Done — you applied to 1.")
	app := e.status().Applications
	if len(app) != 1 || app[0].PostingID != e.f.Posting {
		t.Fatalf("applications after the page: %+v", app)
	}

	// The employer's decision link (its first reminder is due on day 5).
	decide := e.mint("supervisor", e.f.Supervisor, "decide_application", app[0].ID, nil, false)
	page := get(t, decide)
	page.has(t, "Maya", "Fixture High", "11", "Health Science and Medical Technology", "Make an offer", "Download resume")
	if strings.Contains(page.body, "Lopez") || strings.Contains(page.body, "5555550142") {
		t.Error("the employer's page shows the student's last name or phone")
	}
	resume := get(t, decide+"/file/resume")
	if resume.status != 200 || !strings.HasPrefix(resume.body, "%PDF") || !strings.Contains(resume.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("resume download: %d %q", resume.status, resume.header.Get("Content-Disposition"))
	}
	post(t, decide, url.Values{"status": {"hired!"}}).has(t, "Choose what to do with this application.")
	decided := post(t, decide, url.Values{"status": {"offer"}, "note": {"Start in June"}})
	decided.has(t, "Saved: Offer made.", "school internship coordinator can see it")
	if strings.Contains(decided.body, "the coordinator can see it") {
		t.Error("the employer is told of a coordinator without saying whose")
	}
	post(t, decide, url.Values{"status": {"interview"}}).has(t, "An application that is offer cannot move to interview.")

	offer := e.linkFor(studentPhone, "accept_offer")
	get(t, offer).has(t, "Your internship offer", "Clinic assistant", "Accept this offer",
		"Main clinic, 200 Oak Ave, Fresno, CA", "Decline this offer")
	post(t, offer, url.Values{}).has(t, "Done — you accepted the offer.")
	if n := e.count(`SELECT count(*) FROM placements WHERE journey_id = $1 AND posting_id = $2`, e.journey, e.f.Posting); n != 1 {
		t.Fatalf("placement rows: %d", n)
	}
	if st := e.status(); st.Applications[0].Status != "accepted" {
		t.Fatalf("application after accepting: %+v", st.Applications[0])
	}
	_ = workflows.UpdateApply
}

// The coordinator returns the documents with a comment: the new upload
// page shows the comment and the files on record; the student replaces
// only the one asked about, and the other stays as it was.
func TestBadgePage_Returned_ShowsCommentAndKeepsTheOtherFile(t *testing.T) {
	e := newEnv(t, `{}`)
	post(t, e.linkFor(studentPhone, "survey"), surveyForm("Health Sciences")).has(t, "Done")
	first := e.linkFor(studentPhone, "upload_badge")
	postFiles(t, first, nil, map[string]file{"resume": {"maya-resume.pdf", pdfBytes}, "cover_letter": {"letter.docx", docx(t)}}).
		has(t, "Done — your coordinator can see your resume and cover letter")
	var resumeID string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM documents WHERE journey_id = $1 AND kind = 'resume'`, e.journey).Scan(&resumeID); err != nil {
		t.Fatal(err)
	}
	e.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord(e.f), Comment: "Name the clinic in your cover letter."})

	again := e.linkAfter(studentPhone, "upload_badge", first)
	get(t, again).has(t, "Your coordinator returned your documents:", "Name the clinic in your cover letter.",
		"On record: maya-resume.pdf. Leave empty to keep it.", "On record: letter.docx. Leave empty to keep it.")
	postFiles(t, again, nil, nil).has(t, "Choose the file to replace")
	postFiles(t, again, nil, map[string]file{"cover_letter": {"letter-v2.pdf", append([]byte("%PDF-1.4 v2"), pdfBytes...)}}).
		has(t, "Done — your coordinator can see your resume and cover letter")
	eventually(t, "the documents back with the coordinator", func() bool { return e.status().WaitingOn == workflows.PartyCoordinator })
	var kept string
	if err := e.Pool.QueryRow(context.Background(), `SELECT detail->>'document_id' FROM journey_events WHERE journey_id = $1
		AND kind = 'uploaded_resume' ORDER BY seq DESC LIMIT 1`, e.journey).Scan(&kept); err != nil || kept != resumeID {
		t.Fatalf("the resume on record was not kept: %q (want %s), %v", kept, resumeID, err)
	}
}

// The student can turn an offer down from the offer page; the application
// shows as declined and the student is not texted "not selected".
func TestOfferPage_StudentDeclines(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID
	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "offer"})
	offer := e.linkFor(studentPhone, "accept_offer")
	post(t, offer, url.Values{"decision": {"decline"}}).has(t, "Done — you declined the offer.")
	eventually(t, "the declined application", func() bool { return e.status().Applications[0].Status == "declined" })
	e.Drain()
	for _, m := range e.Twilio.Messages() {
		if m.To == studentPhone && strings.Contains(m.Body, "not selected") {
			t.Fatalf("the student who declined was texted: %q", m.Body)
		}
	}
}
