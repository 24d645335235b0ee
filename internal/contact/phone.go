package contact

import (
	"errors"
	"fmt"
	"strings"
)

// ErrBadPhone is wrapped by every NormalizePhone error.
var ErrBadPhone = errors.New("bad phone")

// NormalizePhone returns raw as an E.164 number ("+15555550101"). Numbers
// without a country code are read in defaultRegion; only the North American
// Numbering Plan regions ("US", "CA", or "" meaning US) are supported, which
// is where every district we serve is. Punctuation people type — spaces,
// dots, dashes, parentheses — is ignored; letters (vanity numbers,
// extensions) are refused because a text message cannot reach them.
func NormalizePhone(raw, defaultRegion string) (string, error) {
	switch defaultRegion {
	case "", "US", "CA":
	default:
		return "", fmt.Errorf("%w: region %q is not supported", ErrBadPhone, defaultRegion)
	}
	plus, digits, err := phoneDigits(raw)
	if err != nil {
		return "", err
	}
	switch {
	case plus && strings.HasPrefix(digits, "1"):
		return nanp(digits[1:])
	case plus:
		// Another country: E.164 allows up to 15 digits; we cannot check more
		// without its numbering plan.
		if len(digits) < 8 || len(digits) > 15 {
			return "", fmt.Errorf("%w: international number must have 8 to 15 digits", ErrBadPhone)
		}
		return "+" + digits, nil
	case len(digits) == 11 && digits[0] == '1':
		return nanp(digits[1:])
	default:
		return nanp(digits)
	}
}

// phoneDigits strips punctuation and reports whether the number started
// with "+".
func phoneDigits(raw string) (plus bool, digits string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return false, "", fmt.Errorf("%w: empty", ErrBadPhone)
	}
	if strings.HasPrefix(s, "+") {
		plus, s = true, s[1:]
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune(" .-()/\u00a0", r):
		default:
			return false, "", fmt.Errorf("%w: only digits and punctuation are allowed", ErrBadPhone)
		}
	}
	return plus, b.String(), nil
}

// nanp checks a 10-digit North American number: area code and exchange
// cannot start with 0 or 1, and N11 codes (411, 911) are services, not areas.
func nanp(d string) (string, error) {
	switch {
	case len(d) < 10:
		return "", fmt.Errorf("%w: too short", ErrBadPhone)
	case len(d) > 10:
		return "", fmt.Errorf("%w: too long", ErrBadPhone)
	case d[0] < '2':
		return "", fmt.Errorf("%w: area code cannot start with 0 or 1", ErrBadPhone)
	case d[1] == '1' && d[2] == '1':
		return "", fmt.Errorf("%w: N11 is a service code, not an area code", ErrBadPhone)
	case d[3] < '2':
		return "", fmt.Errorf("%w: exchange cannot start with 0 or 1", ErrBadPhone)
	}
	return "+1" + d, nil
}
