package testenv

import (
	"os"
	"strings"
)

// LoadAverage is the machine's 1-, 5- and 15-minute load averages
// (/proc/loadavg), printed beside a benchmark's figures: on a shared
// machine a figure means little without the load it was measured at.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}
