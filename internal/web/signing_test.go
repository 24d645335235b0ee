package web_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func supervisor(e *env) workflows.Actor {
	return workflows.Actor{Kind: "supervisor", Ref: e.f.Supervisor}
}

// toMOUGate places the student (district-funded: the MOU gate is next).
func (e *env) toMOUGate() {
	e.t.Helper()
	e.toApplying()
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID
	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "offer"})
	e.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student(e.f), ApplicationID: app})
	e.waitStage("mou_gate")
}

func (e *env) approveMOU() {
	e.t.Helper()
	in := workflows.MOUApproveInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Approver}, Approve: true, ImplementationDate: time.Now().Format(time.DateOnly)}
	if err := e.Journeys.UpdateWorkflow(context.Background(), workflows.MOUWorkflowID(e.f.Employer, time.Now().Year()+1),
		workflows.UpdateApproveMOU, "", in); err != nil {
		e.t.Fatalf("approve MOU: %v", err)
	}
}

// signVia consents and signs on a signing link as a person would.
func signVia(t *testing.T, link, name string) {
	t.Helper()
	post(t, link, url.Values{"step": {"consent"}, "agree": {"yes"}}).has(t, "Step 2 of 2")
	post(t, link, url.Values{"step": {"sign"}, "typed_name": {name}}).has(t, "Done — your signature is recorded")
}

func postWithHeader(t *testing.T, u string, form url.Values, h map[string]string) response {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range h {
		req.Header.Set(k, v)
	}
	return do(t, req)
}

// The employer signs the MOU, then the three permit signers sign on their
// own links: consent first (recorded by the server), then a typed name.
// Each signature is bound to the hash of the PDF the signer could open,
// with the server's consent time, the connection's address (a forged
// X-Forwarded-For is ignored), the browser and the link.
func TestSigning_MOUAndPermit_EvidenceBoundToTheDocument(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toMOUGate()

	mou := e.linkFor(employerEmail, "sign_mou")
	get(t, mou).has(t, "Sign the internship agreement (MOU)", "MEMORANDUM OF UNDERSTANDING", "Step 1 of 2")
	signVia(t, mou, "Pat Lee")
	if n := e.count(`SELECT count(*) FROM signatures g JOIN mous m ON m.document_id = g.document_id
		WHERE m.employer_id = $1 AND g.typed_name = 'Pat Lee' AND g.signer_role = 'employer' AND g.link_id IS NOT NULL`, e.f.Employer); n != 1 {
		t.Fatalf("MOU signature rows: %d", n)
	}
	e.approveMOU()
	e.waitStage("work_permit")

	link := e.linkFor(studentPhone, "sign_permit")
	eventually(t, "the permit", func() bool { return e.status().Permit != nil })
	sha := e.status().Permit.DocumentSHA256
	page := get(t, link)
	page.has(t, "Sign the work permit", "Step 1 of 2", "You are signing as: Student", "Maya Lopez", "Fixture High",
		"1 Main St, Fresno, CA", "Valley Clinic", "$18.00 per hour", sha, "Signing electronically", "paper copy")

	doc := get(t, link+"/document")
	sum := sha256.Sum256([]byte(doc.body))
	if doc.status != 200 || hex.EncodeToString(sum[:]) != sha || doc.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the document a signer opens (%d, %s) does not hash to the permit's %s", doc.status, doc.header.Get("Content-Type"), sha)
	}

	post(t, link, url.Values{"step": {"sign"}, "typed_name": {"Maya Lopez"}}).has(t, "First agree to sign electronically.")
	post(t, link, url.Values{"step": {"consent"}}).has(t, "Tick the box to agree")
	if n := e.count(`SELECT count(*) FROM signatures WHERE signer_role = 'student'`); n != 0 {
		t.Fatalf("a signature without consent: %d rows", n)
	}
	post(t, link, url.Values{"step": {"consent"}, "agree": {"yes"}}).has(t, "Step 2 of 2", "You agreed to sign electronically on")
	post(t, link, url.Values{"step": {"sign"}, "typed_name": {" M "}}).has(t, "Type your full name to sign.")
	postWithHeader(t, link, url.Values{"step": {"sign"}, "typed_name": {"Maya  Lopez"}}, map[string]string{"X-Forwarded-For": "203.0.113.9"}).
		has(t, "Done — your signature is recorded")

	linkID, used, _ := e.linkState(link)
	var docSHA []byte
	var typed, ip, ua, sigLink string
	var consentAt, signedAt, recordedConsent time.Time
	err := e.Pool.QueryRow(context.Background(), `SELECT g.document_sha256, g.typed_name, g.ip, g.user_agent, g.link_id::text, g.consent_at, g.signed_at, c.consented_at
		FROM signatures g JOIN esign_consents c ON c.link_id = g.link_id
		WHERE g.signer_role = 'student' AND g.signer_ref = $1`, e.f.Student).Scan(&docSHA, &typed, &ip, &ua, &sigLink, &consentAt, &signedAt, &recordedConsent)
	if err != nil {
		t.Fatalf("student's signature with its consent: %v", err)
	}
	switch {
	case hex.EncodeToString(docSHA) != sha:
		t.Errorf("signature bound to %x, the document is %s", docSHA, sha)
	case typed != "Maya Lopez":
		t.Errorf("typed name %q", typed)
	case ip != "127.0.0.1":
		t.Errorf("signature IP %q: the peer, not a forwarded header, counts without trusted proxies", ip)
	case ua != "pages-test/1.0 (phone)" || sigLink != linkID:
		t.Errorf("evidence: user agent %q, link %s (want %s)", ua, sigLink, linkID)
	case !consentAt.Equal(recordedConsent) || consentAt.After(signedAt):
		t.Errorf("consent at %v (recorded %v), signed at %v", consentAt, recordedConsent, signedAt)
	case !used:
		t.Error("the signing link is not spent")
	}
	if n := e.count(`SELECT count(*) FROM esign_consents WHERE link_id = $1 AND length(disclosure_sha256) = 64 AND language = 'en'
		AND ip = '127.0.0.1' AND document_sha256 = decode($2, 'hex')`, linkID, sha); n != 1 {
		t.Errorf("consent record: %d rows", n)
	}

	signVia(t, e.linkFor(guardianPhone, "sign_permit"), "Rosa Lopez")
	supervisorLink := e.linkFor(supervisorEmail, "sign_permit")
	post(t, supervisorLink, url.Values{"step": {"consent"}, "agree": {"yes"}})
	post(t, supervisorLink, url.Values{"step": {"sign"}, "typed_name": {"Dr. Kim"}}).
		has(t, "Done — your signature is recorded and the student&#39;s school internship coordinator can see it.")
	eventually(t, "three signatures", func() bool { return len(e.status().Permit.Signed) == 3 })
	eventually(t, "the journey to wait on the permit issuer", func() bool { return e.status().WaitingOn == workflows.PartyIssuer })
	if n := e.count(`SELECT count(DISTINCT link_id) FROM signatures WHERE document_sha256 = decode($1, 'hex') AND ip <> '' AND user_agent <> ''`, sha); n != 3 {
		t.Errorf("permit signatures with evidence: %d, want 3", n)
	}
	get(t, link).has(t, "This link was already used")
}

// After the issuer rejects the permit a new version is made: a link bound
// to the old version no longer signs ("the document changed") and offers
// a new link; the new links sign version 2, and once approved every
// signer downloads the signed PDF from their spent link.
// A signer reads on screen exactly what the PDF says: the fields are
// shown while the record still matches what the permit was drawn from.
// Once the record is edited, the page shows no fields and says to read
// the document itself.
func TestSigning_RecordEditedAfterThePermitWasDrawn_PageSaysReadThePDF(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	eventually(t, "the permit", func() bool { return e.status().Permit != nil })
	link := e.linkFor(studentPhone, "sign_permit")
	note := "The school&#39;s records changed after this document was prepared"
	page := get(t, link)
	page.has(t, "Fixture High", "Valley Clinic")
	if strings.Contains(page.body, note) {
		t.Fatal("the page says the records changed before anything changed")
	}
	if _, err := e.Pool.Exec(context.Background(), `UPDATE schools SET name = 'Fixture High School'
		WHERE id = (SELECT school_id FROM students WHERE id = $1)`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	page = get(t, link)
	page.has(t, note)
	if strings.Contains(page.body, "Fixture High School") {
		t.Error("the page shows the edited record, which the PDF to be signed does not say")
	}
}

func TestSigning_DocumentChanged_OldLinksStopCounting(t *testing.T) {
	e := newEnv(t, `{}`)
	v1 := e.toPermitSignedByAll()
	v1sum, _ := hex.DecodeString(v1)
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Reason: "Add the suite number"})
	eventually(t, "the permit awaiting correction", func() bool { return e.status().Permit.AwaitingCorrection })
	// The coordinator finds the permit right as it is: a new version to sign.
	e.update(workflows.UpdateCorrectPermit, workflows.CorrectPermitInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Coordinator}})
	eventually(t, "permit version 2", func() bool { p := e.status().Permit; return p != nil && p.Version == 2 })

	old := e.mint("guardian", guardianID(e), "sign_permit", "guardian:v1", v1sum, true)
	r := get(t, old)
	if r.status != http.StatusConflict {
		t.Fatalf("an old version's link: %d", r.status)
	}
	r.has(t, "This document changed", "signatures on the old version no longer count", "Send me a new link")

	v2 := e.status().Permit.DocumentSHA256
	v2sum, _ := hex.DecodeString(v2)
	links := []string{e.linkFor(studentPhone, "sign_permit", "student:v2"), e.linkFor(guardianPhone, "sign_permit", "guardian:v2"),
		// The supervisor's request joins tomorrow's digest email (one a day).
		e.mint("supervisor", e.f.Supervisor, "sign_permit", "employer:v2", v2sum, true)}
	for _, l := range links {
		get(t, l).has(t, v2, "Step 1 of 2", "Add the suite number", "Nothing on the permit had to change")
	}
	for i, name := range []string{"Maya Lopez", "Rosa Lopez", "Dr. Kim"} {
		signVia(t, links[i], name)
	}
	eventually(t, "three signatures on v2", func() bool { return len(e.status().Permit.Signed) == 3 })
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Approve: true})
	var signedID string
	var signedSum []byte
	eventually(t, "the signed PDF", func() bool {
		return e.Pool.QueryRow(context.Background(), `SELECT d.id, d.sha256 FROM work_permits w JOIN documents d ON d.id = w.signed_pdf_id
			WHERE w.journey_id = $1 AND w.version = 2`, e.journey).Scan(&signedID, &signedSum) == nil
	})
	for _, l := range links {
		get(t, l).has(t, "This link was already used", "Download the signed permit (PDF)")
		pdf := get(t, l+"/file/signed")
		got := sha256.Sum256([]byte(pdf.body))
		if pdf.status != 200 || !bytes.Equal(got[:], signedSum) {
			t.Fatalf("signed permit download: %d", pdf.status)
		}
	}
	if n := e.count(`SELECT count(*) FROM signatures WHERE document_sha256 = decode($1, 'hex')`, v2); n != 3 {
		t.Errorf("v2 signatures: %d", n)
	}
}

// toPermitSignedByAll gets the journey through the MOU and has the three
// signers sign permit version 1 from their links; it returns its hash.
func (e *env) toPermitSignedByAll() string {
	t := e.t
	t.Helper()
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	eventually(t, "the permit", func() bool { return e.status().Permit != nil })
	v1 := e.status().Permit.DocumentSHA256
	signVia(t, e.linkFor(studentPhone, "sign_permit"), "Maya Lopez")
	signVia(t, e.linkFor(guardianPhone, "sign_permit"), "Rosa Lopez")
	signVia(t, e.linkFor(supervisorEmail, "sign_permit"), "Dr. Kim")
	eventually(t, "three signatures", func() bool { return len(e.status().Permit.Signed) == 3 })
	return v1
}

// correctAsEmployer opens the employer's correction link from the
// rejection email, tries a bad value, then corrects the hours.
func (e *env) correctAsEmployer() {
	t := e.t
	t.Helper()
	fix := e.linkFor(supervisorEmail, "correct_permit", "employer:v2")
	page := get(t, fix)
	page.has(t, "Correct the work permit", "Hours are wrong", `name="hours_per_week" value="10"`, `name="pay" value="18.00"`)
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="(\w+)" value="([^"]*)"`).FindAllStringSubmatch(page.body, -1) {
		form.Set(m[1], m[2])
	}
	form.Set("hours_per_week", "lots")
	post(t, fix, form).has(t, "Hours per week: must be a number of hours from 1 to 60.")
	form.Set("hours_per_week", "12")
	post(t, fix, form).has(t, "Thank you — the corrected permit goes out to sign.")
}

// A rejected permit: the employer corrects its hours from the link in the
// rejection email, and every signer of version 2 reads why version 1 was
// rejected and what was corrected (before → now).
func TestSigning_PermitCorrectedByEmployer_SignersSeeReasonAndChanges(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toPermitSignedByAll()
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Reason: "Hours are wrong"})
	e.correctAsEmployer()
	eventually(t, "permit version 2", func() bool { p := e.status().Permit; return p != nil && p.Version == 2 })
	v2sum, _ := hex.DecodeString(e.status().Permit.DocumentSHA256)
	links := []string{e.linkFor(studentPhone, "sign_permit", "student:v2"), e.linkFor(guardianPhone, "sign_permit", "guardian:v2"),
		e.mint("supervisor", e.f.Supervisor, "sign_permit", "employer:v2", v2sum, true)}
	for _, l := range links {
		get(t, l).has(t, "The school did not approve the previous version:", "Hours are wrong",
			"What was corrected (before → now):", "Hours per week: <s>10</s> → <strong>12</strong>", "<dd>12</dd>")
	}
	// In Spanish, as a Spanish-reading parent sees it.
	get(t, links[1]+"?lang=es").has(t, "La escuela no aprobó la versión anterior:", "Qué se corrigió (antes → ahora):",
		"Horas por semana: <s>10</s> → <strong>12</strong>")
}

func guardianID(e *env) string {
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id FROM guardians WHERE student_id = $1`, e.f.Student).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// A typed name is compared with the signer's name on record the way a
// person would (case, accents, spacing and middle names do not matter). A
// different name is not silently accepted: the page asks the signer to
// confirm, and the permit issuer's page shows every typed name beside the
// name on record with the mismatch marked ("Mickey Mouse" was approved
// unnoticed before).
func TestSigning_TypedNameNotOnRecord_SignerConfirmsAndIssuerSeesBoth(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	if _, err := e.Pool.Exec(context.Background(), `UPDATE guardians SET name = 'María Elena López' WHERE student_id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}

	link := e.linkFor(studentPhone, "sign_permit")
	post(t, link, url.Values{"step": {"consent"}, "agree": {"yes"}}).has(t, "Step 2 of 2")
	asked := post(t, link, url.Values{"step": {"sign"}, "typed_name": {"Mickey  Mouse"}})
	asked.has(t, "The name you typed, Mickey Mouse, is not the name we have, Maya Lopez. Sign anyway?", "Yes, sign as Mickey Mouse")
	if asked.status != http.StatusUnprocessableEntity || e.count(`SELECT count(*) FROM signatures WHERE signer_role = 'student'`) != 0 {
		t.Fatalf("a name not on record was accepted without asking (%d)", asked.status)
	}
	post(t, link, url.Values{"step": {"sign"}, "typed_name": {"Mickey Mouse"}, "confirm_name": {"Mickey Mouse"}}).
		has(t, "Done — your signature is recorded")

	guardian := e.linkFor(guardianPhone, "sign_permit")
	post(t, guardian+"?lang=es", url.Values{"step": {"consent"}, "agree": {"yes"}})
	post(t, guardian+"?lang=es", url.Values{"step": {"sign"}, "typed_name": {"Rosa Pérez"}}).
		has(t, "El nombre que escribiste, Rosa Pérez, no es el nombre que tenemos, María Elena López. ¿Firmar de todos modos?")
	signVia(t, guardian, "maria  LOPEZ") // accents, case, spacing, middle name
	signVia(t, e.linkFor(supervisorEmail, "sign_permit"), "Dr. Kim")
	eventually(t, "three signatures", func() bool { return len(e.status().Permit.Signed) == 3 })

	issuer := stafftest.SignIn(t, e.Stack, "park@district.example.org")
	page := issuer.Get("/staff/students/" + e.journey)
	for _, row := range []string{
		`<td>Mickey Mouse</td><td>Maya Lopez</td>\s*<td><strong>Name does not match the record</strong>`,
		`<td>maria LOPEZ</td><td>María Elena López</td>\s*<td>Matches</td>`,
		`<td>Dr. Kim</td><td>Dr. Kim</td>\s*<td>Matches</td>`,
	} {
		if !regexp.MustCompile(row).MatchString(page.Body) {
			t.Fatalf("the issuer's page lacks the row %s:\n%s", row, page.Body)
		}
	}
	// The signed permit's audit page says it too.
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Approve: true})
	var signed []byte
	eventually(t, "the signed PDF", func() bool {
		return e.Pool.QueryRow(context.Background(), `SELECT d.bytes FROM work_permits w JOIN documents d ON d.id = w.signed_pdf_id
			WHERE w.journey_id = $1`, e.journey).Scan(&signed) == nil
	})
	if text := testenv.PDFText(signed); !strings.Contains(text, "NOT the name on record") || !strings.Contains(text, "Maya Lopez") {
		t.Fatalf("the signed permit's audit page does not flag the typed name:\n%.3000s", text)
	}
}

// A Spanish-speaking parent reads the permit in Spanish: the date of
// birth and the pay as Spanish writes them (not "July 2, 2010", "$18.00
// per hour"), and the time they agreed to sign in their school's time
// zone, not UTC.
func TestSigning_SpanishFamily_DatesPayAndTimesTheirOwn(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE guardians SET language = 'es' WHERE student_id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(context.Background(), `UPDATE schools SET timezone = 'America/Chicago' WHERE id = $1`, e.f.School); err != nil {
		t.Fatal(err)
	}
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	var dob time.Time
	if err := e.Pool.QueryRow(context.Background(), `SELECT date_of_birth FROM students WHERE id = $1`, e.f.Student).Scan(&dob); err != nil {
		t.Fatal(err)
	}
	months := []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	link := e.linkFor(guardianPhone, "sign_permit")
	page := get(t, link)
	page.has(t, "Firma el permiso de trabajo", "Fecha de nacimiento", fmt.Sprintf("%d de %s de %d", dob.Day(), months[dob.Month()-1], dob.Year()),
		"$18.00 por hora", "Domicilio")
	if strings.Contains(page.body, dob.Format("January")) || strings.Contains(page.body, "per hour") {
		t.Fatalf("English on a Spanish page:\n%s", page.body)
	}
	agreed := post(t, link, url.Values{"step": {"consent"}, "agree": {"yes"}})
	agreed.has(t, "Aceptaste firmar electrónicamente el", " a las ")
	if !regexp.MustCompile(`\((CST|CDT)\)`).MatchString(agreed.body) || strings.Contains(agreed.body, "UTC") {
		t.Fatalf("the consent time is not in the school's zone:\n%s", agreed.body)
	}
}

// An imported student has no home address, which a work permit needs:
// the parent's signing page asks for it (every missing part marked at
// once), it is saved to the student record, and the signed permit prints
// it instead of "—".
func TestSigning_NoHomeAddress_ParentGivesItAndThePermitPrintsIt(t *testing.T) {
	e := newEnv(t, `{}`)
	if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET address_line1 = NULL, city = NULL, state = NULL, postal_code = NULL
		WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	e.toMOUGate()
	signVia(t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")

	guardian := e.linkFor(guardianPhone, "sign_permit")
	post(t, guardian, url.Values{"step": {"consent"}, "agree": {"yes"}}).has(t, "Step 2 of 2", "Home address", "Street address", "ZIP code")
	r := post(t, guardian, url.Values{"step": {"sign"}, "typed_name": {"Rosa Lopez"}, "state": {"California"}})
	if r.status != 422 {
		t.Fatalf("signing without the address: %d", r.status)
	}
	r.has(t, "Enter the street address", "Enter the city.", "Enter the state as 2 letters", "Enter the 5-digit ZIP code.")
	post(t, guardian, url.Values{"step": {"sign"}, "typed_name": {"Rosa Lopez"}, "address_line1": {"45 Elm St Apt 3"},
		"city": {"Fresno"}, "state": {"ca"}, "postal_code": {"93721"}}).has(t, "Done — your signature is recorded")
	if n := e.count(`SELECT count(*) FROM students WHERE id = $1 AND address_line1 = '45 Elm St Apt 3' AND state = 'CA' AND postal_code = '93721'`, e.f.Student); n != 1 {
		t.Fatal("the address is not on the student record")
	}

	student := e.linkFor(studentPhone, "sign_permit")
	post(t, student, url.Values{"step": {"consent"}, "agree": {"yes"}})
	if page := get(t, student); strings.Contains(page.body, "Street address") {
		t.Fatal("the address is asked again once it is on record")
	}
	signVia(t, student, "Maya Lopez")
	signVia(t, e.linkFor(supervisorEmail, "sign_permit"), "Dr. Kim")
	eventually(t, "three signatures", func() bool { return len(e.status().Permit.Signed) == 3 })
	e.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: e.f.Issuer}, Approve: true})
	var signed []byte
	eventually(t, "the signed PDF", func() bool {
		return e.Pool.QueryRow(context.Background(), `SELECT d.bytes FROM work_permits w JOIN documents d ON d.id = w.signed_pdf_id
			WHERE w.journey_id = $1`, e.journey).Scan(&signed) == nil
	})
	if text := testenv.PDFText(signed); !strings.Contains(text, "45 Elm St Apt 3, Fresno, CA, 93721") {
		t.Fatalf("the signed permit does not print the home address:\n%.2000s", text)
	}
}
