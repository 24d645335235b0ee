package contact

import (
	"errors"
	"testing"
)

func TestNormalizeTimezone_AcceptsIANANamesAndEmpty(t *testing.T) {
	cases := map[string]string{
		"America/Chicago": "America/Chicago", " America/Los_Angeles ": "America/Los_Angeles",
		"Pacific/Honolulu": "Pacific/Honolulu", "UTC": "UTC", "": "",
	}
	for raw, want := range cases {
		if got, err := NormalizeTimezone(raw); err != nil || got != want {
			t.Errorf("NormalizeTimezone(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
}

func TestNormalizeTimezone_RefusesUnknownZones(t *testing.T) {
	for _, raw := range []string{"Mars/Olympus_Mons", "PST-ish", "Local", "local", "../../etc/passwd"} {
		// Twice: the second answer comes from the cache and must agree.
		for range 2 {
			if got, err := NormalizeTimezone(raw); !errors.Is(err, ErrBadTimezone) {
				t.Errorf("NormalizeTimezone(%q) = %q, %v; want ErrBadTimezone", raw, got, err)
			}
		}
	}
}
