package contact

import (
	"errors"
	"testing"
)

func TestNormalizeEmail_TrimsAndLowerCases(t *testing.T) {
	cases := map[string]string{
		" Ana.Lopez@Example.ORG ":    "ana.lopez@example.org",
		"parent+school@mail.co.us":   "parent+school@mail.co.us",
		"O'Brien@family.example.com": "o'brien@family.example.com",
	}
	for raw, want := range cases {
		if got, err := NormalizeEmail(raw); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestNormalizeEmail_RefusesWhatCannotBeMailed(t *testing.T) {
	cases := map[string]string{
		"display name":    "Ana Lopez <ana@example.org>",
		"no at":           "ana.example.org",
		"no domain dot":   "ana@localhost",
		"empty domain":    "ana@",
		"empty local":     "@example.org",
		"two ats":         "ana@@example.org",
		"space inside":    "ana lopez@example.org",
		"trailing dot":    "ana@example.org.",
		"double dot":      "ana@example..org",
		"ip literal":      "ana@[10.0.0.1]",
		"one-letter tld":  "ana@example.o",
		"empty":           " ",
		"comma separated": "a@example.org, b@example.org",
	}
	for name, raw := range cases {
		if got, err := NormalizeEmail(raw); !errors.Is(err, ErrBadEmail) {
			t.Errorf("%s: NormalizeEmail(%q) = %q, %v; want ErrBadEmail", name, raw, got, err)
		}
	}
}
