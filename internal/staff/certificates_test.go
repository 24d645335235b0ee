package staff_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/store"
)

// said gives journey A the student's reflection and Dr. Kim's feedback,
// as the journey records them.
func (e *env) said(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `INSERT INTO reflections (journey_id, body, submitted_at) VALUES ($1, $2, now())`, e.journeyA,
		"I learned to greet patients.\nAnd to keep <their> records private."); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `INSERT INTO employer_feedback (journey_id, ratings, comment, supervisor_id, submitted_at) VALUES ($1,
		'{"communication": 5, "reliability": 4, "teamwork": 5, "initiative": 2, "professionalism": 5}', 'Great with patients', $2, now())`,
		e.journeyA, e.f.Supervisor); err != nil {
		t.Fatal(err)
	}
}

// Students and employers are told their coordinator can see what they
// wrote: the student page shows the reflection and every rating with the
// comment, and no one outside the student's school sees it.
func TestStudentPage_ShowsTheReflectionAndTheEmployersRatings(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	if strings.Contains(coach.Get("/staff/students/"+e.journeyA).Body, `id="said"`) {
		t.Fatal("the page shows a 'what they said' section before anyone said anything")
	}
	e.said(t)
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, "What the student and the employer said", "The student's reflection",
		`<blockquote id="reflection">I learned to greet patients.`+"\n"+`And to keep &lt;their&gt; records private.</blockquote>`,
		"The employer's feedback", "Dr. Kim,",
		`<tr><th scope="row">Communication</th><td>5 of 5</td></tr>`, `<tr><th scope="row">Reliability</th><td>4 of 5</td></tr>`,
		`<tr><th scope="row">Initiative</th><td>2 of 5</td></tr>`, `<tr><th scope="row">Professionalism</th><td>5 of 5</td></tr>`,
		`<blockquote id="feedback-comment">Great with patients</blockquote>`)
	if r := e.signIn(t, coachB).Get("/staff/students/" + e.journeyA); r.Status != 404 || strings.Contains(r.Body, "Great with patients") {
		t.Fatalf("another school's coordinator: %d", r.Status)
	}
	if r := e.signIn(t, otherOps).Get("/staff/students/" + e.journeyA); r.Status != 404 {
		t.Fatalf("another district's ops: %d", r.Status)
	}
}

// otherDistrictCertificate issues a certificate to a student of the
// other district (the one otherOps works for).
func (e *env) otherDistrictCertificate(t *testing.T) certificate.Certificate {
	t.Helper()
	ctx := context.Background()
	var district string
	if err := e.Pool.QueryRow(ctx, `SELECT district_id::text FROM staff WHERE email = $1`, otherOps).Scan(&district); err != nil {
		t.Fatal(err)
	}
	must := func(id string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	school := must(e.Store.CreateSchool(ctx, store.School{DistrictID: district, Name: "Elsewhere High"}))
	program := must(e.Store.CreateProgram(ctx, store.Program{DistrictID: district, Name: "Elsewhere Internships", Kind: "micro", ProgramYear: 2027}))
	student := must(e.Store.CreateStudent(ctx, store.Student{DistrictID: district, SchoolID: school, FirstName: "Olga", LastName: "Other"}))
	j, err := e.Store.CreateJourney(ctx, student, program)
	if err != nil {
		t.Fatal(err)
	}
	c, err := (&certificate.Issuer{Store: e.Store}).Issue(ctx, j.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Staff verify a certificate by its code: what it certifies and whether it
// stands. Within the district only; a bad code is told next to the field;
// district ops revoke with a reason, which verification then shows.
func TestVerifyCertificate_ByCode_WithinTheDistrict(t *testing.T) {
	e := newEnv(t)
	e.said(t)
	ctx := context.Background()
	for _, q := range []string{`UPDATE journey_view SET hours_approved = 96.5 WHERE journey_id = $1 AND $2 <> ''`,
		`INSERT INTO placements (journey_id, posting_id, employer_id, funding_source, hours_required, title)
			SELECT $1, p.id, p.employer_id, 'employer_paid', 90, 'Clinic assistant' FROM postings p WHERE p.id = $2`} {
		if _, err := e.Pool.Exec(ctx, q, e.journeyA, e.f.Posting); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	ours, err := (&certificate.Issuer{Store: e.Store}).Issue(ctx, e.journeyA, time.Date(2027, 8, 20, 20, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	theirs := e.otherDistrictCertificate(t)

	coach := e.signIn(t, coachA)
	has(t, coach.Get("/staff"), `href="/staff/certificates"`)
	typed := strings.ToLower(strings.ReplaceAll(ours.Code, "-", " "))
	page := coach.Get("/staff/certificates?" + url.Values{"code": {typed}}.Encode())
	if page.Status != 200 {
		t.Fatalf("verifying our code: %d\n%s", page.Status, page.Body)
	}
	has(t, page, `<span class="tag">Valid</span> Certificate `+ours.Code, `<a href="/staff/students/`+e.journeyA+`">Maya Lopez</a>`,
		`<dd id="hours">96.5</dd>`, `<dd id="employer">Valley Clinic (Clinic assistant)</dd>`, `Aug 20, 2027</dd>`,
		`<tr><th scope="row">Initiative</th><td>2 of 5</td></tr>`)
	if strings.Contains(page.Body, "Revoke this certificate") {
		t.Error("a coordinator is offered to revoke a certificate")
	}
	// Another school's coordinator of the district can verify it, without
	// a way into the student's page.
	other := e.signIn(t, coachB).Get("/staff/certificates?code=" + ours.Code)
	has(t, other, "Valid", "Maya Lopez")
	if strings.Contains(other.Body, "/staff/students/"+e.journeyA) {
		t.Error("another school's coordinator gets a link to the student's page")
	}
	// Another district's code, an unknown code: not found. A malformed one: the field says why.
	for _, code := range []string{theirs.Code, certificate.NewCode()} {
		r := coach.Get("/staff/certificates?code=" + code)
		if r.Status != 404 || strings.Contains(r.Body, "Olga") {
			t.Errorf("verifying %s: %d", code, r.Status)
		}
		has(t, r, "No certificate of your district has the code "+code)
	}
	bad := coach.Get("/staff/certificates?code=12-34")
	if bad.Status != 422 {
		t.Errorf("a malformed code: %d", bad.Status)
	}
	has(t, bad, `<span class="field-error" role="alert">A certificate code has 12 letters and digits`)
	if r := e.signIn(t, otherOps).Get("/staff/certificates?code=" + ours.Code); r.Status != 404 || strings.Contains(r.Body, "Maya") {
		t.Errorf("another district's ops verified our certificate: %d", r.Status)
	}

	// Revoking: district roles only, with a reason.
	if r := coach.Action("/staff/certificates/revoke", url.Values{"code": {ours.Code}, "reason": {"x"}}); r.Status != 403 {
		t.Errorf("a coordinator revoking: %d", r.Status)
	}
	if r := e.signIn(t, otherOps).Action("/staff/certificates/revoke", url.Values{"code": {ours.Code}, "reason": {"x"}}); r.Status != 404 {
		t.Errorf("another district's admin revoking: %d", r.Status)
	}
	admin := e.signIn(t, adminEmail)
	noReason := admin.Action("/staff/certificates/revoke", url.Values{"code": {ours.Code}})
	if noReason.Status != 422 {
		t.Errorf("revoking without a reason: %d", noReason.Status)
	}
	has(t, noReason, "Say why the certificate is revoked")
	revoked := admin.Action("/staff/certificates/revoke", url.Values{"code": {ours.Code}, "reason": {"Hours were entered twice"}})
	if revoked.Status != 303 {
		t.Fatalf("revoking: %d\n%s", revoked.Status, revoked.Body)
	}
	has(t, admin.Get(revoked.Header.Get("Location")), "Certificate "+ours.Code+" is revoked.", `<span class="tag warn">Revoked</span>`,
		"Hours were entered twice")
	has(t, coach.Get("/staff/students/"+e.journeyA), `id="certificate"`, "<code>"+ours.Code+"</code>", "Revoked", "Certificate PDF",
		`<a href="/staff/students/`+e.journeyA+`/documents/`+ours.DocumentID+`">Certificate of completion</a>`)
	if pdf := coach.Get("/staff/students/" + e.journeyA + "/documents/" + ours.DocumentID); pdf.Status != 200 ||
		!strings.HasPrefix(pdf.Body, "%PDF") {
		t.Errorf("the certificate PDF from the student page: %d", pdf.Status)
	}
	if n := e.auditCount(t, adminEmail, "certificate_revoked", e.journeyA); n != 1 {
		t.Errorf("revocations audited: %d", n)
	}
}
