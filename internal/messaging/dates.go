package messaging

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/hours"
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

// hourBreaches words a week's hour-rule breaches (the JSON a timesheet
// week sends as "breaches") in the reader's language, one per line.
func hourBreaches(raw string, lang *language) string {
	var bs []hours.Breach
	if err := json.Unmarshal([]byte(raw), &bs); err != nil {
		return ""
	}
	return strings.Join(hours.ExplainAll(bs, lang.Code), "\n")
}

// hoursAmount is "21 hours" / "21 horas" from a param.
func hoursAmount(raw string, lang *language) string {
	h, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return raw
	}
	return locale.L{Lang: lang.Code}.Hours(h)
}
