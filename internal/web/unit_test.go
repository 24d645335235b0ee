package web

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/workflows"
)

// Uploads are judged by their bytes, not their names.
func TestSniff_AcceptsDocumentsAndImagesOnly(t *testing.T) {
	var docx, plainZip bytes.Buffer
	for buf, name := range map[*bytes.Buffer]string{&docx: "word/document.xml", &plainZip: "notes.txt"} {
		zw := zip.NewWriter(buf)
		w, _ := zw.Create(name)
		_, _ = w.Write([]byte("x"))
		_ = zw.Close()
	}
	cases := map[string]struct {
		body []byte
		want string
	}{
		"pdf": {[]byte("%PDF-1.7 ..."), typePDF}, "png": {[]byte("\x89PNG\r\n\x1a\n...."), typePNG},
		"jpeg": {[]byte("\xff\xd8\xff\xe0..."), typeJPEG}, "docx": {docx.Bytes(), typeDOCX},
		"zip without Word": {plainZip.Bytes(), ""}, "exe": {[]byte("MZ\x90\x00"), ""},
		"html named .pdf": {[]byte("<html><script>"), ""}, "empty": {nil, ""},
	}
	for name, c := range cases {
		if got := sniff(c.body); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
	if got := cleanFilename(`..\..\évil"name<>.exe`, typePDF); strings.ContainsAny(got, `\/"<>`) || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("cleaned filename %q", got)
	}
}

// The same form on the same link is the same update (a double tap is one
// effect); anything different is another.
func TestUpdateID_SameSubmissionSameID(t *testing.T) {
	c := &call{link: links.Link{ID: "5a7b0f0e-0000-4000-8000-000000000001"}}
	other := &call{link: links.Link{ID: "5a7b0f0e-0000-4000-8000-000000000002"}}
	a, b := updateID(c, "survey", "Health"), updateID(c, "survey", "Health")
	if a != b {
		t.Fatal("one submission, two ids")
	}
	for _, d := range []string{updateID(c, "survey", "Healt", "h"), updateID(c, "survey", "Arts"), updateID(other, "survey", "Health")} {
		if d == a {
			t.Errorf("different submissions share id %s", d)
		}
	}
}

// Every text exists in both languages, and every key a page uses exists.
func TestCatalogs_CompleteInBothLanguages(t *testing.T) {
	for k := range english {
		if _, ok := spanish[k]; !ok {
			t.Errorf("no Spanish for %q", k)
		}
	}
	for k := range spanish {
		if _, ok := english[k]; !ok {
			t.Errorf("Spanish %q has no English", k)
		}
	}
	re := regexp.MustCompile(`\.Tf? "([^"]+)"`)
	_ = fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := templateFiles.ReadFile(path)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if _, ok := english[m[1]]; !ok {
				t.Errorf("%s uses %q, which has no text", path, m[1])
			}
		}
		return nil
	})
	for _, name := range []string{"survey", "badge", "apply", "decide", "offer", "sign", "training", "timesheet", "approvals", "deliverable", "review", "reflection", "feedback"} {
		if _, ok := english[name+".title"]; !ok {
			t.Errorf("page %s has no title", name)
		}
	}
}

// The journey's validation messages read as sentences, in Spanish too.
func TestInputMessage_PlainSentencesInBothLanguages(t *testing.T) {
	en, es := Lang{Code: "en"}, Lang{Code: "es"}
	if got := en.refusalOf(workflows.SurveyPathwayRequired); got != "Choose a career pathway." {
		t.Errorf("en: %q", got)
	}
	for msg, want := range map[*workflows.InputError]string{
		workflows.NewInputError(workflows.SurveyPathwayRequired, ""):                        "Elige un área profesional.",
		workflows.NewInputError(workflows.ApplyTooManyOpen, "", 3):                          "Tienes 3 solicitudes abiertas; espera respuestas antes de postularte a más.",
		workflows.NewInputError(workflows.SignDocumentChanged, "document_sha256", "permit"): "El documento cambió desde que se envió este enlace; usa el enlace más reciente.",
		{Message: "something new from the workflow"}:                                        "Something new from the workflow.",
	} {
		if got := es.refusal(msg); got != want {
			t.Errorf("es %q: %q, want %q", msg.Message, got, want)
		}
	}
	if d := (Lang{Code: "es"}).disclosureSHA(); d == en.disclosureSHA() || len(d) != 64 {
		t.Errorf("disclosure hashes: es %s, en %s", d, en.disclosureSHA())
	}
}

// An imported name may keep its quote marks: the supervisor still reads
// "Maya L.", never a quote for an initial (`"."`).
func TestShortName_QuotesAreNotAnInitial(t *testing.T) {
	for _, c := range []struct{ first, last, want string }{
		{"Maya", "Lopez", "Maya L."},
		{`"Maya"`, `"Lopez"`, "Maya L."},
		{"'Ana", "'o'neil", "Ana O."},
		{"Kai", `"`, "Kai"},
	} {
		if got := shortName(c.first, c.last); got != c.want {
			t.Errorf("shortName(%q, %q) = %q, want %q", c.first, c.last, got, c.want)
		}
	}
}
