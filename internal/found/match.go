package found

import (
	"strings"
	"unicode"
)

// employerSuffixes are the words a company's name is written with or
// without ("Valley Clinic, Inc." is "Valley Clinic").
var employerSuffixes = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "ltd": true, "co": true, "corp": true, "corporation": true,
	"company": true, "the": true, "pc": true, "lp": true, "llp": true,
}

// NormalEmployer is an employer's name reduced to what identifies it:
// lower case, letters and digits, "&" as "and", without "the", "Inc.",
// "LLC" and the like.
func NormalEmployer(name string) string {
	name = strings.ReplaceAll(strings.ToLower(name), "&", " and ")
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var kept []string
	for _, w := range words {
		if !employerSuffixes[w] {
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " ")
}

// SameEmployer reports whether two names name the same employer.
func SameEmployer(a, b string) bool {
	na, nb := NormalEmployer(a), NormalEmployer(b)
	return na != "" && na == nb
}

// SameEmail compares addresses as mail servers do in practice.
func SameEmail(a, b string) bool {
	a, b = strings.ToLower(strings.TrimSpace(a)), strings.ToLower(strings.TrimSpace(b))
	return a != "" && a == b
}
