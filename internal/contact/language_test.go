package contact

import "testing"

func TestNormalizeLanguage_MapsRosterSpellingsToTemplateLanguages(t *testing.T) {
	cases := map[string]string{
		"es": "es", "ES": "es", "Spanish": "es", "spa": "es", "es-MX": "es", "es_US": "es",
		"Español": "es", "espanol": "es",
		"en": "en", "English": "en", "eng": "en", "en-US": "en",
		"": "en", "Vietnamese": "en", "vi": "en", "klingon": "en",
	}
	for raw, want := range cases {
		if got := NormalizeLanguage(raw); got != want {
			t.Errorf("NormalizeLanguage(%q) = %q, want %q", raw, got, want)
		}
	}
}
