package contact

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	// Embedded so time zones validate the same in distroless images, which
	// ship no zoneinfo.
	_ "time/tzdata"
)

// ErrBadTimezone is wrapped by every NormalizeTimezone error.
var ErrBadTimezone = errors.New("unknown time zone")

// knownZones caches LoadLocation, which reads and parses a file per call; a
// 50,000-row roster names a handful of zones.
var knownZones sync.Map // name → bool (valid)

// NormalizeTimezone checks that raw names an IANA time zone
// ("America/Chicago") and returns it trimmed; "" stays "" (the district's
// zone applies). "Local" is refused: it means the server's zone.
func NormalizeTimezone(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", nil
	}
	if strings.EqualFold(s, "local") {
		return "", fmt.Errorf("%w: name a zone, not Local", ErrBadTimezone)
	}
	valid, ok := knownZones.Load(s)
	if !ok {
		_, err := time.LoadLocation(s)
		valid = err == nil
		knownZones.Store(s, valid)
	}
	if !valid.(bool) {
		return "", ErrBadTimezone
	}
	return s, nil
}
