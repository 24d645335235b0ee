package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/testenv"
)

// A journey that completed before certificates were issued at completion
// gets its certificate the first time the student opens the link, in the
// student's language, dated the day the journey closed; the same code
// every time after. A revoked certificate is not offered; a withdrawn
// journey's link shows no certificate.
func TestCertificateLink_OldCompletedJourney_IssuedOnFirstOpenInSpanish(t *testing.T) {
	e := newEnv(t, `{}`)
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `UPDATE students SET language = 'es' WHERE id = $1`, e.f.Student); err != nil {
		t.Fatal(err)
	}
	e.waitStage("survey")
	if _, err := e.Pool.Exec(ctx, `UPDATE journeys SET status = 'completed', closed_at = '2027-08-20T20:00:00Z' WHERE id = $1`, e.journey); err != nil {
		t.Fatal(err)
	}
	link := e.mint("student", e.f.Student, "certificate", "", nil, false)
	page := get(t, link)
	page.has(t, "Certificado de finalización", "Maya Lopez", "Horas trabajadas", "20 de agosto de 2027", "Código de verificación",
		"Descarga tu certificado (PDF)")
	code := regexp.MustCompile(`id="code">([^<]+)<`).FindStringSubmatch(page.body)
	if code == nil {
		t.Fatalf("no code on the page:\n%s", page.body)
	}
	pdf := get(t, link+"/file/certificate")
	text := testenv.PDFText([]byte(pdf.body))
	for _, want := range []string{"Certificado de Finalización", "Maya Lopez", "Finalizado el 20 de agosto de 2027", "Código de verificación: " + code[1]} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF (%d) does not say %q:\n%s", pdf.status, want, text)
		}
	}
	get(t, link).has(t, code[1])
	if n := e.count(`SELECT count(*) FROM certificates WHERE journey_id = $1`, e.journey); n != 1 {
		t.Fatalf("%d certificates after opening the link three times", n)
	}

	// A revoked certificate says so and no longer downloads.
	if _, err := e.Pool.Exec(ctx, `UPDATE certificates SET revoked_at = now(), revoked_reason = 'Hours entered twice' WHERE journey_id = $1`, e.journey); err != nil {
		t.Fatal(err)
	}
	revoked := get(t, link)
	revoked.has(t, "El distrito escolar anuló este certificado.")
	if strings.Contains(revoked.body, "/file/certificate") {
		t.Error("a revoked certificate still offers its PDF")
	}
	if r := get(t, link+"/file/certificate"); r.status != 404 {
		t.Errorf("a revoked certificate's PDF: %d", r.status)
	}

	if _, err := e.Pool.Exec(ctx, `UPDATE journeys SET status = 'withdrawn' WHERE id = $1`, e.journey); err != nil {
		t.Fatal(err)
	}
	if r := get(t, link); r.status != 410 || strings.Contains(r.body, code[1]) {
		t.Errorf("a withdrawn journey's certificate link: %d\n%s", r.status, r.body)
	}
	if r := get(t, link+"/file/certificate"); r.status != 404 {
		t.Errorf("a withdrawn journey's certificate PDF: %d", r.status)
	}
}
