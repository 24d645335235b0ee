package permit

import (
	"bytes"
	"testing"
	"time"
)

// A corrected value is checked and stored in one form (a date as a date,
// pay in cents); what is wrong is said in English and Spanish.
func TestCheckCorrection_NormalisesOrSaysWhatIsWrong(t *testing.T) {
	for _, c := range []struct{ field, in, want, problemES string }{
		{"hours_per_week", " 15 ", "15", ""},
		{"hours_per_week", "0", "", "debe ser un número de horas del 1 al 60"},
		{"pay", "$18.5", "1850", ""},
		{"pay", "lots", "", "debe ser un monto en dólares, como 18.50"},
		{"date_of_birth", "2009-03-04", "2009-03-04", ""},
		{"date_of_birth", "31/02/2009", "", "debe ser una fecha como 2009-04-21"},
		{"grade", "13", "", "debe ser un grado del 6 al 12"},
		{"schedule", "  Mon-Thu   9-1 ", "Mon-Thu 9-1", ""},
		{"supervisor", "", "", "no puede quedar en blanco"},
		{"employer", "Other Co", "", "no se puede corregir"},
	} {
		got, err := CheckCorrection(c.field, c.in)
		var es string
		if p, ok := err.(Problem); ok {
			es = p.In("es")
		}
		if got != c.want || es != c.problemES {
			t.Errorf("%s %q = %q, %q; want %q, %q", c.field, c.in, got, es, c.want, c.problemES)
		}
	}
}

// Signers are told what changed as the permit prints it, in their
// language; a correction changes the document (a new hash to sign).
func TestCorrection_ChangesTheDocumentAndListsWhatChanged(t *testing.T) {
	dob := time.Date(2010, 5, 1, 0, 0, 0, 0, time.UTC)
	before := Fields{StudentName: "Maya Lopez", DateOfBirth: &dob, Employer: "Valley Clinic", HoursPerWeek: 25, PayType: "hourly", PayCents: 1800, ProgramYear: 2027, Version: 1}
	after := before
	after.Version = 2
	for _, v := range []struct{ field, value string }{{"hours_per_week", "15"}, {"date_of_birth", "2009-03-04"}} {
		c, _ := FindCorrectable(v.field)
		c.apply(&after, v.value)
	}
	if got, want := ChangesText(diff(before, after, "en"), "en"), "Date of birth: now March 4, 2009 (was May 1, 2010)\nHours per week: now 15 (was 25)"; got != want {
		t.Errorf("English changes = %q, want %q", got, want)
	}
	if got, want := ChangesText(diff(before, after, "es"), "es"), "Fecha de nacimiento: ahora 4 de marzo de 2009 (antes 1 de mayo de 2010)\nHoras por semana: ahora 15 (antes 25)"; got != want {
		t.Errorf("Spanish changes = %q, want %q", got, want)
	}
	a, _ := render(before, nil)
	b, _ := render(after, nil)
	if bytes.Equal(a, b) {
		t.Error("a corrected permit rendered the same bytes as the one before")
	}
}
