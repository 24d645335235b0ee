package messaging

import (
	"time"

	"github.com/internflow/internflow/internal/locale"
)

// localDate writes a date param sent as 2006-01-02 the way the reader's
// language does ("June 16, 2027", "16 de junio de 2027"), through the one
// home for people-facing formats. Anything else is left as sent, so
// callers that already wrote a date keep working.
func localDate(iso string, lang *language) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return locale.L{Lang: lang.Code}.Date(d)
}
