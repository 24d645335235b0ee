package pathways

import "testing"

// TestCanonical_SurveyAndPostingsMeetOnOneName would have caught the
// survey's "Health Sciences" never matching postings tagged "Health
// Science and Medical Technology".
func TestCanonical_SurveyAndPostingsMeetOnOneName(t *testing.T) {
	for in, want := range map[string]string{
		"Health Sciences":                                  "Health Science and Medical Technology",
		"health science and medical technology":            "Health Science and Medical Technology",
		"Arts, Media and Entertainment":                    "Arts, Media, and Entertainment",
		"Marketing, Sales and Services":                    "Marketing, Sales, and Service",
		"Education, Child Development and Family Services": "Education, Child Development, and Family Services",
		"  Transportation ":                                "Transportation",
		"Not sure yet":                                     "Not sure yet",
		"Basket weaving":                                   "",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
	}
	if len(Sectors) != 15 {
		t.Errorf("%d sectors, want California's 15", len(Sectors))
	}
	for _, p := range Sectors {
		if Canonical(p.Name) != p.Name {
			t.Errorf("%q is not its own canonical name", p.Name)
		}
	}
}
