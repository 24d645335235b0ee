package contact

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// ErrBadEmail is wrapped by every NormalizeEmail error.
var ErrBadEmail = errors.New("bad email")

// NormalizeEmail returns raw trimmed and lower-cased, if it is a bare
// deliverable address. Display names ("Ana <ana@x.org>") are refused rather
// than stripped: a roster column holding one is usually a column mix-up.
func NormalizeEmail(raw string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrBadEmail)
	}
	if len(s) > 254 {
		return "", fmt.Errorf("%w: longer than 254 characters", ErrBadEmail)
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Name != "" || addr.Address != s {
		return "", fmt.Errorf("%w: not a plain address", ErrBadEmail)
	}
	at := strings.LastIndexByte(s, '@')
	if err := checkDomain(s[at+1:]); err != nil {
		return "", err
	}
	return s, nil
}

// checkDomain wants a dotted host name: "localhost" or "[10.0.0.1]" parse
// as addresses but no provider delivers to them for us.
func checkDomain(d string) error {
	if !strings.Contains(d, ".") || strings.HasPrefix(d, "[") {
		return fmt.Errorf("%w: domain needs a dot", ErrBadEmail)
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return fmt.Errorf("%w: malformed domain", ErrBadEmail)
		}
	}
	if tld := d[strings.LastIndexByte(d, '.')+1:]; len(tld) < 2 {
		return fmt.Errorf("%w: malformed domain", ErrBadEmail)
	}
	return nil
}
