package permit

import (
	"crypto/sha256"
	"reflect"
	"testing"
)

// A signer's page asks whether the fields on screen are the PDF they
// sign on opening, confirming and submitting. The permit is drawn for
// the first ask only; fields edited since are drawn and checked afresh,
// so the answer follows the record.
func TestReproduces_DrawsOnceUntilTheFieldsChange(t *testing.T) {
	f := Fields{StudentName: "Maya Lopez", School: "Fixture High", Employer: "Valley Clinic", ProgramYear: 2027, Version: 1}
	pdf, err := render(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	before := drawings.Load()
	for i := range 3 {
		if same, err := reproduces(f, sum[:]); err != nil || !same {
			t.Fatalf("ask %d: the fields the PDF was drawn from do not reproduce it (%v)", i+1, err)
		}
	}
	if n := drawings.Load() - before; n != 1 {
		t.Errorf("three asks about the same fields drew the permit %d times, want 1", n)
	}
	f.StudentName = "Maya López" // the record was corrected since the PDF was made
	if same, _ := reproduces(f, sum[:]); same {
		t.Error("edited fields still said to reproduce the PDF drawn before the edit")
	}
	other := sha256.Sum256([]byte("another document"))
	f.StudentName = "Maya Lopez"
	if same, _ := reproduces(f, other[:]); same {
		t.Error("the fields said to reproduce a document they did not draw")
	}
}

// A permit version keeps the hash of its fields' JSON, and reproduces
// remembers answers by it: a field JSON leaves out (unexported) could
// change the drawing without changing the key.
func TestFields_EveryFieldIsInTheKey(t *testing.T) {
	var check func(reflect.Type)
	check = func(ty reflect.Type) {
		for i := range ty.NumField() {
			sf := ty.Field(i)
			if !sf.IsExported() || sf.Tag.Get("json") == "-" {
				t.Errorf("%s.%s is left out of the JSON that keys the drawn-permit answers", ty.Name(), sf.Name)
			}
			if sf.Type.Kind() == reflect.Struct && sf.Type.PkgPath() == ty.PkgPath() {
				check(sf.Type)
			}
		}
	}
	check(reflect.TypeFor[Fields]())
}

// BenchmarkReproduces is what checking a signer's page against its PDF
// costs the API: drawn (the first ask about these fields) and remembered.
func BenchmarkReproduces(b *testing.B) {
	f := Fields{StudentName: "Ana Ruiz", School: "Fixture High", Employer: "Valley Clinic", Supervisor: "Dr. Lee",
		JobTitle: "Clinic assistant", PayType: "hourly", PayCents: 1750, HoursPerWeek: 10, ProgramYear: 2027, Version: 1, Spanish: true}
	pdf, err := render(f, nil)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(pdf)
	b.Run("drawn", func(b *testing.B) {
		for range b.N {
			checked = &answers{max: checked.max} // forget f
			if same, _ := reproduces(f, sum[:]); !same {
				b.Fatal("does not reproduce")
			}
		}
	})
	b.Run("remembered", func(b *testing.B) {
		for range b.N {
			if same, _ := reproduces(f, sum[:]); !same {
				b.Fatal("does not reproduce")
			}
		}
	})
}
