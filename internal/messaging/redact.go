package messaging

import "strings"

// Redact shortens a phone number or email address so a log line can say
// which contact was meant without revealing it: "+15555550101" becomes
// "+1555***0101" and "emma@example.org" becomes "e***@example.org".
func Redact(address string) string {
	if address == "" {
		return ""
	}
	if at := strings.LastIndexByte(address, '@'); at >= 0 {
		local, domain := address[:at], address[at:]
		if local == "" {
			return "***" + domain
		}
		return local[:1] + "***" + domain
	}
	if len(address) <= 8 {
		return "***"
	}
	return address[:5] + "***" + address[len(address)-4:]
}
