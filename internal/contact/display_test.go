package contact

import "testing"

func TestDisplayPhone_NorthAmericanNumbersReadAsPeopleWriteThem(t *testing.T) {
	for in, want := range map[string]string{"+15555550100": "(555) 555-0100", "+447700900123": "+447700900123", "": ""} {
		if got := DisplayPhone(in); got != want {
			t.Errorf("DisplayPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
