package contact

import "strings"

// Languages internflow has message templates for; the first is the default.
var Languages = []string{"en", "es"}

// spanish lists the ways rosters spell Spanish: ISO 639-1/2 codes, English
// and Spanish names.
var spanish = map[string]bool{"es": true, "spa": true, "spanish": true, "español": true, "espanol": true, "castellano": true}

// NormalizeLanguage maps a roster's language value ("Spanish", "spa",
// "es-MX") to a template language code. Anything unknown becomes "en":
// a message in English beats no message.
func NormalizeLanguage(raw string) string {
	s := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.IndexAny(s, "-_"); i > 0 {
		s = s[:i]
	}
	if spanish[s] {
		return "es"
	}
	return "en"
}
