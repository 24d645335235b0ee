package web_test

import (
	"fmt"
	"testing"
	"time"
)

// stored is what the journey's documents hold: how many and how many bytes.
func (e *env) stored() string {
	e.t.Helper()
	return fmt.Sprintf("%d documents, %d bytes",
		e.count(`SELECT count(*) FROM documents WHERE journey_id = $1`, e.journey),
		e.count(`SELECT COALESCE(sum(length(bytes)), 0)::int FROM documents WHERE journey_id = $1`, e.journey))
}

// pdfNo is a distinct small PDF (distinct bytes are never deduplicated).
func pdfNo(i int) []byte { return append([]byte(fmt.Sprintf("%%PDF-1.4 copy %d\n", i)), pdfBytes...) }

// A link whose step is over (a second upload link, after the documents
// went in through the first; a project link before the project) answers
// 422 in plain words and stores nothing, however often it is used.
func TestUploadPages_StepOver_Refused422_NothingStored(t *testing.T) {
	e := newEnv(t, `{}`)
	post(t, e.linkFor(studentPhone, "survey"), surveyForm("Health Science and Medical Technology")).has(t, "Done")
	first := e.linkFor(studentPhone, "upload_badge")
	old := e.mint("student", e.f.Student, "upload_badge", "", nil, true)
	postFiles(t, first, nil, map[string]file{"resume": {"resume.pdf", pdfBytes}, "cover_letter": {"letter.docx", docx(t)}}).
		has(t, "Done — your coordinator can see your resume and cover letter")
	before := e.stored()

	for i := 0; i < 4; i++ {
		r := postFiles(t, old, nil, map[string]file{"resume": {"r.pdf", pdfNo(2 * i)}, "cover_letter": {"c.pdf", pdfNo(2*i + 1)}})
		if r.status != 422 {
			t.Fatalf("upload %d through the old link: %d", i, r.status)
		}
		r.has(t, "This step is closed, so your file was not saved.")
	}
	project := e.mint("student", e.f.Student, "submit_deliverable", "", nil, false)
	r := postFiles(t, project+"?lang=es", map[string]string{"hours": "3"}, map[string]file{"file": {"work.pdf", pdfNo(99)}})
	if r.status != 422 {
		t.Fatalf("a project before its step: %d", r.status)
	}
	r.has(t, "Este paso está cerrado, así que tu archivo no se guardó.")
	if after := e.stored(); after != before {
		t.Fatalf("refused uploads left files behind: %s before, %s after", before, after)
	}
}

// An upload the journey refuses after it was stored (a completion date in
// the future: only the journey checks it) is deleted in the same request;
// the same certificate with a good date then lands as before.
func TestTrainingPage_RefusedByJourney_FileDeleted_AcceptedOneLands(t *testing.T) {
	e := newEnv(t, `{}`)
	e.toTrainings()
	training := e.linkFor(studentPhone, "record_training")
	before := e.stored()
	future := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	r := postFiles(t, training, map[string]string{"date_hipaa": future}, map[string]file{"cert_hipaa": {"cert.pdf", pdfNo(1)}})
	if r.status != 422 {
		t.Fatalf("a future completion date: %d", r.status)
	}
	r.has(t, "The completion date is in the future.")
	if after := e.stored(); after != before {
		t.Fatalf("the refused certificate stayed: %s before, %s after", before, after)
	}
	postFiles(t, training, map[string]string{"date_hipaa": time.Now().Format(time.DateOnly)}, map[string]file{"cert_hipaa": {"cert.pdf", pdfNo(1)}}).
		has(t, "Done — your training is recorded")
	if n := e.count(`SELECT count(*) FROM training_completions tc JOIN documents d ON d.id = tc.document_id
		WHERE tc.journey_id = $1 AND tc.training_code = 'hipaa'`, e.journey); n != 1 {
		t.Fatalf("training completions with their certificate: %d", n)
	}
}

// One link stores at most 10 files and 30 MB: the next upload is refused
// on the page in the person's language and stores nothing; a link with
// room still takes the documents.
func TestUploadPages_LinkQuota_RefusesNextUpload_EnglishAndSpanish(t *testing.T) {
	e := newEnv(t, `{}`)
	post(t, e.linkFor(studentPhone, "survey"), surveyForm("Health Science and Medical Technology")).has(t, "Done")
	full := e.mint("student", e.f.Student, "upload_badge", "", nil, true)
	heavy := e.mint("student", e.f.Student, "upload_badge", "", nil, true)
	// What earlier uploads through each link left: ten files on one, 30 MB
	// less a few bytes on the other.
	fill := func(link string, files, size int) {
		id, _, _ := e.linkState(link)
		for i := 0; i < files; i++ {
			e.count(`WITH d AS (INSERT INTO documents (journey_id, kind, content_type, size_bytes, sha256, bytes, link_id)
				VALUES ($1, 'other', 'application/pdf', $2, sha256(gen_random_uuid()::text::bytea), '\x00', $3) RETURNING 1)
				SELECT count(*)::int FROM d`, e.journey, size, id)
		}
	}
	fill(full, 10, 1)
	fill(heavy, 1, 30<<20-10)
	before := e.stored()

	files := map[string]file{"resume": {"resume.pdf", pdfNo(1)}, "cover_letter": {"letter.pdf", pdfNo(2)}}
	for _, c := range []struct{ link, lang, want string }{
		{full, "en", "This link has taken all the files it can (10 files or 30 MB), so your file was not saved."},
		{full, "es", "Este enlace ya recibió todos los archivos que puede (10 archivos o 30 MB), así que tu archivo no se guardó."},
		{heavy, "en", "This link has taken all the files it can (10 files or 30 MB)"},
	} {
		r := postFiles(t, c.link+"?lang="+c.lang, nil, files)
		if r.status != 422 {
			t.Fatalf("%s upload through a full link: %d", c.lang, r.status)
		}
		r.has(t, c.want)
	}
	if after := e.stored(); after != before {
		t.Fatalf("a full link stored more: %s before, %s after", before, after)
	}
	postFiles(t, e.linkFor(studentPhone, "upload_badge"), nil, files).has(t, "Done — your coordinator can see your resume and cover letter")
	if n := e.count(`SELECT count(*) FROM documents WHERE journey_id = $1 AND kind IN ('resume','cover_letter') AND link_id IS NOT NULL`, e.journey); n != 2 {
		t.Fatalf("accepted documents stored with their link: %d", n)
	}
}
