package permit

import (
	"bytes"
	"testing"
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
