package certificate_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/certificate"
	"github.com/internflow/internflow/internal/testenv"
)

// A certificate prints the student's name as written, in any script (a
// mixed name too), in both languages, and the same certificate is the
// same bytes.
func TestRender_NamesInAnyScript_PrintAsWritten(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for _, name := range []string{"Nguyễn Thị Ánh", "Łukasz Żółć", "王小明", "Ming 王小明 Wang"} {
			c := certificate.Certificate{Code: "K7QX-2M9D", Facts: certificate.Facts{Language: lang, StudentName: name,
				School: "Fixture High", Program: "Internships", ProgramYear: 2027, Employer: "Valley Clinic", Title: "Clinic assistant",
				Hours: 96.5, Completed: time.Date(2027, 8, 20, 0, 0, 0, 0, time.UTC), Ratings: map[string]int{"communication": 4}}}
			pdf, err := certificate.Render(c)
			if err != nil {
				t.Fatal(err)
			}
			// A mixed name is one text operator per font: read as one line.
			if text := strings.ReplaceAll(testenv.PDFText(pdf), "\n", ""); !strings.Contains(text, name) || !strings.Contains(text, "K7QX-2M9D") {
				t.Errorf("the %s certificate does not print %q:\n%s", lang, name, testenv.PDFText(pdf))
			}
			if again, _ := certificate.Render(c); !bytes.Equal(pdf, again) {
				t.Errorf("the same %s certificate for %q rendered twice differs", lang, name)
			}
		}
	}
}
