package contact

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizePhone_AcceptsHowPeopleTypeUSNumbers(t *testing.T) {
	for _, raw := range []string{
		"(555) 555-0101", "555.555.0101", "+1 555 555 0101", "1-555-555-0101",
		"5555550101", " 555-555-0101 ", "+15555550101", "555/555-0101",
	} {
		got, err := NormalizePhone(raw, "US")
		if err != nil || got != "+15555550101" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want +15555550101", raw, got, err)
		}
	}
}

func TestNormalizePhone_KeepsOtherCountriesInE164(t *testing.T) {
	got, err := NormalizePhone("+52 55 1234 5678", "US")
	if err != nil || got != "+525512345678" {
		t.Fatalf("Mexican number = %q, %v; want +525512345678", got, err)
	}
}

func TestNormalizePhone_RefusesNumbersThatCannotBeTexted(t *testing.T) {
	cases := map[string]string{
		"too short":              "555-0101",
		"too long":               "555-555-01011",
		"eleven digits, not 1":   "25555550101",
		"letters":                "1-800-FLOWERS",
		"extension":              "555-555-0101 x12",
		"area code starts 0":     "055-555-0101",
		"area code starts 1":     "155-555-0101",
		"exchange starts 0":      "555-055-0101",
		"exchange starts 1":      "555-155-0101",
		"N11 area code":          "911-555-0101",
		"empty":                  "  ",
		"plus in the middle":     "555+555-0101",
		"international too long": "+4412345678901234",
		"+1 then too short":      "+1 555 0101",
	}
	for name, raw := range cases {
		if got, err := NormalizePhone(raw, "US"); !errors.Is(err, ErrBadPhone) {
			t.Errorf("%s: NormalizePhone(%q) = %q, %v; want ErrBadPhone", name, raw, got, err)
		}
	}
}

func TestNormalizePhone_UnsupportedRegionIsAnError(t *testing.T) {
	if _, err := NormalizePhone("020 7946 0018", "GB"); !errors.Is(err, ErrBadPhone) {
		t.Fatalf("GB region: err = %v, want ErrBadPhone", err)
	}
}

func TestNormalizePhone_ErrorsNeverRepeatTheNumber(t *testing.T) {
	_, err := NormalizePhone("555-0199", "US")
	if err == nil || strings.Contains(err.Error(), "0199") {
		t.Fatalf("error %q must not contain the number", err)
	}
}
