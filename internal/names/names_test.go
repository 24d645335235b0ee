package names

import "testing"

func TestMatch(t *testing.T) {
	cases := []struct {
		typed, record string
		want          bool
	}{
		{"maria  lopez", "María Elena López", true},
		{"MARÍA ELENA LÓPEZ", "Maria Lopez", true},
		{"Maya Lopez", "Maya Lopez", true},
		{"Ana Garcia", "Ana María García Ruiz", true},
		{"Ana Garcia-Ruiz", "Ana García Ruiz", true},
		{"Dr. Kim", "Dr. Kim", true},
		{"Shay O'Neil", "Shay ONeil", true},
		{"Mickey Mouse", "Maya Lopez", false},
		{"Maya", "Maya Lopez", false},
		{"Lopez Maya", "Maya Lopez", false},
		{"Rosa Lopez", "Maya Lopez", false},
		{"Maya Lopez", "", false},
	}
	for _, c := range cases {
		if got := Match(c.typed, c.record); got != c.want {
			t.Errorf("Match(%q, %q) = %v, want %v", c.typed, c.record, got, c.want)
		}
	}
}

func TestMatch_PreferredName(t *testing.T) {
	r := Record{Name: "Guadalupe Torres", Preferred: "Lupe Torres"}
	if !Match("lupe torres", r.Names()...) || Match("Lupe", r.Names()...) {
		t.Error("a student's preferred name with the last name is their name too")
	}
}
