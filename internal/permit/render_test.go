package permit

import (
	"bytes"
	"compress/zlib"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRender_SameFieldsSameBytes(t *testing.T) {
	f := Fields{StudentName: "Maya Lopez", School: "Fixture High", Employer: "Valley Clinic", ProgramYear: 2027, Version: 1}
	first, err := render(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, _ := render(f, nil)
		if !bytes.Equal(first, again) {
			t.Fatal("rendering the same permit fields twice gave different bytes (and a different hash)")
		}
	}
}

// pdfText is the page content of a rendered PDF (its streams inflated),
// enough to see what the form says.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	var out strings.Builder
	for _, m := range regexp.MustCompile(`(?s)stream\n(.*?)endstream`).FindAllSubmatch(pdf, -1) {
		zr, err := zlib.NewReader(bytes.NewReader(m[1]))
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(zr)
		out.Write(b)
	}
	return out.String()
}

// A Spanish-speaking family gets a bilingual permit: each label with its
// Spanish beneath, the date and pay also as Spanish writes them. An
// English family's permit stays English only.
func TestRender_SpanishFamily_BilingualPermit(t *testing.T) {
	dob := time.Date(2010, 7, 2, 0, 0, 0, 0, time.UTC)
	f := Fields{StudentName: "Ana Ruiz", DateOfBirth: &dob, School: "Fixture High", Employer: "Valley Clinic",
		PayType: "hourly", PayCents: 1750, HoursPerWeek: 10, ProgramYear: 2027, Version: 1, Spanish: true}
	pdf, err := render(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Date of birth", "Fecha de nacimiento", "July 2, 2010", "2 de julio de 2010",
		"$17.50 per hour", "$17.50 por hora", "Home address", "Domicilio"} {
		if !strings.Contains(text, want) {
			t.Errorf("the bilingual permit does not say %q", want)
		}
	}
	signed, err := render(f, &Audit{DecidedBy: "Ms. Park", DecidedAt: time.Date(2027, 6, 1, 17, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, signed); !strings.Contains(text, "el 1 de junio de 2027") {
		t.Error("the signed bilingual permit does not say in Spanish when it was approved")
	}
	f.Spanish = false
	english, _ := render(f, nil)
	if text := pdfText(t, english); strings.Contains(text, "Fecha de nacimiento") || !strings.Contains(text, "July 2, 2010") {
		t.Error("an English family's permit is not English only")
	}
}

// A remote worksite is "Remote" once on the permit (not "Remote, remote");
// an address is printed in full.
func TestRows_Worksite(t *testing.T) {
	remote := Fields{Worksite: worksite{Name: "Remote", Remote: true}}
	onsite := Fields{Worksite: worksite{Name: "Main clinic", Line1: "200 Oak Ave", City: "Fresno", State: "CA", Zip: "93721"}}
	if got := remote.Rows("en")[6][1]; got != "Remote" {
		t.Errorf("remote worksite: %q", got)
	}
	if got := onsite.Rows("en")[6][1]; got != "Main clinic, 200 Oak Ave, Fresno, CA 93721" {
		t.Errorf("worksite: %q", got)
	}
}
