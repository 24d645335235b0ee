package permit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
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
	text := testenv.PDFText(pdf)
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
	if text := testenv.PDFText(signed); !strings.Contains(text, "el 1 de junio de 2027") {
		t.Error("the signed bilingual permit does not say in Spanish when it was approved")
	}
	f.Spanish = false
	english, _ := render(f, nil)
	if text := testenv.PDFText(english); strings.Contains(text, "Fecha de nacimiento") || !strings.Contains(text, "July 2, 2010") {
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

// Names in any script print as written, on the unsigned permit and on the
// signed one (signature block and audit page): Vietnamese and Polish in
// DejaVu, Chinese in the CJK fallback, a mixed name in both.
func TestRender_NamesInAnyScript_PrintAsWritten(t *testing.T) {
	for _, name := range []string{"Nguyễn Thị Ánh", "Łukasz Żółć", "王小明", "Ming 王小明 Wang"} {
		t.Run(name, func(t *testing.T) {
			f := Fields{StudentName: name, School: "Fixture High", Employer: "Valley Clinic", ProgramYear: 2027, Version: 1}
			unsigned, err := render(f, nil)
			if err != nil {
				t.Fatal(err)
			}
			// A mixed name is one text operator per font: read as one line.
			if text := strings.ReplaceAll(testenv.PDFText(unsigned), "\n", ""); !strings.Contains(text, name) {
				t.Errorf("the unsigned permit does not print %q:\n%s", name, text)
			}
			if strings.ContainsRune(name, '王') && !bytes.Contains(bytes.ToLower(unsigned), []byte("/basefont /utf8droidsansfallback")) {
				t.Error("the Chinese characters are not drawn in the CJK fallback font")
			}
			at := time.Date(2027, 6, 1, 17, 0, 0, 0, time.UTC)
			signed, err := render(f, &Audit{DecidedBy: name, DecidedAt: at, Signatures: []Signature{
				{Role: "student", TypedName: name, NameOnRecord: name, SignedAt: at, ConsentAt: at}}})
			if err != nil {
				t.Fatal(err)
			}
			text := strings.ReplaceAll(testenv.PDFText(signed), "\n", "")
			for _, want := range []string{name, "/s/ " + name, fmt.Sprintf("typed name %q", name), "Approved by the permit issuer " + name} {
				if !strings.Contains(text, want) {
					t.Errorf("the signed permit does not print %q:\n%s", want, text)
				}
			}
		})
	}
}

// A permit version prepared before the embedded fonts (core fonts) still
// verifies: drawn the old way it reproduces the hash its signers saw, so
// their signing page keeps showing its fields.
func TestRenderLegacy_ReproducesPermitsDrawnBeforeTheEmbeddedFonts(t *testing.T) {
	dob := time.Date(2010, 7, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		spanish bool
		sha     string // the permit as drawn before the embedded fonts
	}{
		{false, "1063f9fea5929bc8b303b97c38c2c100fd34df313239e64723d8744328b34c20"},
		{true, "d80076acd44fe35984a2c01e98a79df7775a4d4a9be5dfc7de8b81f7eb11bb8f"},
	} {
		f := Fields{StudentName: "Maya López", DateOfBirth: &dob, School: "Fixture High", Employer: "Valley Clinic",
			PayType: "hourly", PayCents: 1750, HoursPerWeek: 10, ProgramYear: 2027, Version: 1, Spanish: tc.spanish}
		b, err := renderLegacy(f)
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != tc.sha {
			t.Errorf("spanish=%v: the legacy drawing no longer reproduces an old permit's hash", tc.spanish)
		}
	}
}
