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

// TestTraining_BeforePlacement_StudentRecordsCertificate: the program
// requires HIPAA of every intern. The moment Maya is Intern Ready she is
// texted, in her language, that she may do her trainings before she is
// hired; from that text's link she uploads her certificate while still
// applying, and the page says it counts and will not be asked for again.
func TestTraining_BeforePlacement_StudentRecordsCertificate(t *testing.T) {
	for _, lang := range []struct {
		code, text, intro, done string
	}{
		{"en", "you can do your internship trainings now, before you are hired",
			"You can do these trainings now, before you are hired.", "Done — your training is recorded. It counts for your internship"},
		{"es", "ya puedes hacer las capacitaciones de tu pasantia, antes de que te contraten", // texts fold accents to GSM-7
			"Puedes hacer estas capacitaciones ya, antes de que te contraten.", "Listo — tu capacitación quedó registrada. Cuenta para tu pasantía"},
	} {
		t.Run(lang.code, func(t *testing.T) {
			e := newEnv(t, `{"trainings": ["hipaa"]}`)
			if _, err := e.Pool.Exec(context.Background(), `UPDATE students SET language = $2 WHERE id = $1`, e.f.Student, lang.code); err != nil {
				t.Fatal(err)
			}
			e.toApplying()
			training := e.linkFor(studentPhone, "record_training")
			var told bool
			for _, m := range e.Twilio.Messages() {
				told = told || (m.To == studentPhone && strings.Contains(m.Body, lang.text) && strings.Contains(m.Body, training))
			}
			if !told {
				for _, m := range e.Twilio.Messages() {
					t.Logf("%s: %s", m.To, m.Body)
				}
				t.Fatalf("no text saying %q with the trainings link", lang.text)
			}

			get(t, training).has(t, lang.intro, "HIPAA basics", `type="date"`)
			today := time.Now().Format(time.DateOnly)
			postFiles(t, training, map[string]string{"date_hipaa": today}, map[string]file{"cert_hipaa": {"cert.pdf", pdfBytes}}).
				has(t, lang.done)

			st := e.status()
			if st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsDone, []string{"hipaa"}) || len(st.TrainingsAvailable) != 0 {
				t.Errorf("after the upload: stage %s, done %v, available %v; want hipaa done while applying", st.Stage, st.TrainingsDone, st.TrainingsAvailable)
			}
			if n := e.count(`SELECT count(*) FROM training_completions tc JOIN documents d ON d.id = tc.document_id
				WHERE tc.journey_id = $1 AND tc.training_code = 'hipaa' AND d.kind = 'certificate'`, e.journey); n != 1 {
				t.Fatalf("training completions with the certificate: %d, want 1", n)
			}
			// Nothing left to record: the same link says so.
			get(t, training).has(t, map[string]string{"en": "No trainings are waiting for you.", "es": "No tienes capacitaciones pendientes."}[lang.code])
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
	run(t, ctx, "record the certificate", chromedp.SetUploadFiles(chromedp.ID("cert_hipaa"), []string{cert}),
		chromedp.SetValue(chromedp.ID("date_hipaa"), time.Now().Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.done`)))
	if done := text(t, ctx, ".done p"); !strings.Contains(done, "It counts for your internship") {
		t.Fatalf("after the upload the page says %q", done)
	}
	if st := e.status(); st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsDone, []string{"hipaa"}) {
		t.Errorf("after the upload: stage %s, done %v", st.Stage, st.TrainingsDone)
	}
}
