package web_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/workflows"
)

// TestTraining_BeforePlacement_StudentRecordsCertificates: the program
// requires HIPAA and workplace safety of every intern. The moment Maya is
// Intern Ready she is texted, in her language, that she may do her
// trainings before she is hired. From that text's link she uploads one
// certificate while still applying (the page says it counts and the other
// is recorded the same way), then the other from the same link; nothing
// is left to record.
func TestTraining_BeforePlacement_StudentRecordsCertificates(t *testing.T) {
	for _, lang := range []struct {
		code, text, intro, doneMore, done, nothing string
	}{
		{"en", "you can do your internship trainings now, before you are hired",
			"You can do these trainings now, before you are hired.",
			"Done — recorded, and it counts for your internship. Record your other trainings the same way",
			"Done — your training is recorded. It counts for your internship", "No trainings are waiting for you."},
		{"es", "ya puedes hacer las capacitaciones de tu pasantia, antes de que te contraten", // texts fold accents to GSM-7
			"Puedes hacer estas capacitaciones ya, antes de que te contraten.",
			"Listo — quedó registrada y cuenta para tu pasantía. Registra tus otras capacitaciones de la misma forma",
			"Listo — tu capacitación quedó registrada. Cuenta para tu pasantía", "No tienes capacitaciones pendientes."},
	} {
		t.Run(lang.code, func(t *testing.T) {
			e := newEnv(t, `{"trainings": ["hipaa", "workplace_safety"]}`)
			ctx := context.Background()
			if err := e.Store.CreateTraining(ctx, "workplace_safety", "Workplace safety for young workers"); err != nil {
				t.Fatal(err)
			}
			if _, err := e.Pool.Exec(ctx, `UPDATE students SET language = $2 WHERE id = $1`, e.f.Student, lang.code); err != nil {
				t.Fatal(err)
			}
			e.toApplying()
			training := e.linkFor(studentPhone, "record_training")
			var told bool
			for _, m := range e.Twilio.Messages() {
				told = told || (m.To == studentPhone && strings.Contains(m.Body, lang.text) && strings.Contains(m.Body, training))
			}
			if !told {
				t.Fatalf("no text saying %q with the trainings link", lang.text)
			}

			get(t, training).has(t, lang.intro, "HIPAA basics", "Workplace safety for young workers", `type="date"`)
			today := time.Now().Format(time.DateOnly)
			postFiles(t, training, map[string]string{"date_hipaa": today}, map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).
				has(t, lang.doneMore)
			if page := get(t, training); strings.Contains(page.body, "HIPAA basics") || !strings.Contains(page.body, "Workplace safety for young workers") {
				t.Fatalf("after HIPAA the page should offer workplace safety only:\n%s", page.body)
			}
			st := e.status()
			if st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsDone, []string{"hipaa"}) ||
				!slices.Equal(st.TrainingsAvailable, []string{"workplace_safety"}) {
				t.Errorf("after one upload: stage %s, done %v, available %v; want hipaa done while applying", st.Stage, st.TrainingsDone, st.TrainingsAvailable)
			}

			postFiles(t, training, map[string]string{"date_workplace_safety": today},
				map[string]file{"cert_workplace_safety": {"safety.pdf", pdfBytes}}).has(t, lang.done)
			if n := e.count(`SELECT count(*) FROM training_completions tc JOIN documents d ON d.id = tc.document_id
				WHERE tc.journey_id = $1 AND d.kind = 'certificate'`, e.journey); n != 2 {
				t.Fatalf("training completions with their certificates: %d, want 2", n)
			}
			get(t, training).has(t, lang.nothing)
		})
	}
}

// On a phone, Maya opens the "trainings are open" link while still
// applying, picks her certificate and the date, and sees it recorded; the
// page fits the screen.
func TestBrowser_TrainingBeforePlacementOnAPhone(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{"trainings": ["hipaa"]}`)
	e.toApplying()
	cert := filepath.Join(t.TempDir(), "hipaa-certificate.pdf")
	if err := os.WriteFile(cert, pdfBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "open the trainings link", chromedp.Navigate(e.linkFor(studentPhone, "record_training")),
		chromedp.WaitVisible(chromedp.ID("cert_hipaa")))
	overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if intro := text(t, ctx, ".lead"); !strings.Contains(intro, "before you are hired") {
		t.Fatalf("the trainings page says %q, want that she may do them before she is hired", intro)
	}
	if overflow {
		t.Error("the trainings page is wider than the phone's screen")
	}
	// Today as the student's phone knows it: the date field's max, in the
	// school's zone (UTC's today is tomorrow there in the evening).
	today, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("date_hipaa").max`))
	if err != nil || today == "" {
		t.Fatalf("the date field's max: %q (%v)", today, err)
	}
	run(t, ctx, "record the certificate", chromedp.SetUploadFiles(chromedp.ID("cert_hipaa"), []string{cert}),
		chromedp.SetValue(chromedp.ID("date_hipaa"), today),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.done`)))
	if done := text(t, ctx, ".done p"); !strings.Contains(done, "It counts for your internship") {
		t.Fatalf("after the upload the page says %q", done)
	}
	if st := e.status(); st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsDone, []string{"hipaa"}) {
		t.Errorf("after the upload: stage %s, done %v", st.Stage, st.TrainingsDone)
	}
}
