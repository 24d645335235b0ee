package messaging

import (
	"fmt"
	"time"
)

// localDate writes a date param sent as 2006-01-02 the way the reader's
// language does ("June 16, 2027", "16 de junio de 2027"). Anything else is
// left as sent, so callers that already wrote a date keep working.
func localDate(iso string, lang *language) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil || lang.Date == nil {
		return iso
	}
	return lang.Date(d)
}

func englishDate(d time.Time) string { return d.Format("January 2, 2006") }

var spanishMonths = [...]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "octubre", "noviembre", "diciembre"}

func spanishDate(d time.Time) string {
	return fmt.Sprintf("%d de %s de %d", d.Day(), spanishMonths[d.Month()-1], d.Year())
}
