// Package locale formats dates, times, money and numbers the way a person
// reads them in their language ("2 de julio de 2010", "$17.50 por hora")
// and their time zone. It is the one home for these formats: the link
// pages, the PDFs and the message templates use it, so a Spanish-speaking
// family never meets "July 2, 2010" or a time in UTC.
package locale

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// L formats for one person: their language ("en" or "es"; anything else
// is English) and their time zone (nil is UTC).
type L struct {
	Lang string
	Zone *time.Location
}

// New is L for a language and an IANA zone name ("" or an unknown name:
// UTC, so a bad record never breaks a page).
func New(lang, zone string) L {
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		loc = time.UTC
	}
	return L{Lang: lang, Zone: loc}
}

func (l L) es() bool { return l.Lang == "es" }

// Location is the person's time zone (UTC when unknown).
func (l L) Location() *time.Location { return l.zone() }

func (l L) zone() *time.Location {
	if l.Zone == nil {
		return time.UTC
	}
	return l.Zone
}

var (
	monthsES   = []string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	weekdaysES = []string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
)

// Date is a calendar date as written in a letter: "July 2, 2010" or
// "2 de julio de 2010". A date has no time zone (a birthday, a week
// start): its year, month and day are printed as they are.
func (l L) Date(d time.Time) string {
	if l.es() {
		return fmt.Sprintf("%d de %s de %d", d.Day(), monthsES[d.Month()-1], d.Year())
	}
	return d.Format("January 2, 2006")
}

// ShortDate is a date without the year, with its weekday: "Mon, Jul 2" or
// "lun 2 de julio".
func (l L) ShortDate(d time.Time) string {
	if l.es() {
		return fmt.Sprintf("%s %d de %s", string([]rune(weekdaysES[d.Weekday()])[:3]), d.Day(), monthsES[d.Month()-1])
	}
	return d.Format("Mon, Jan 2")
}

// Weekday is the day's name: "Monday" or "lunes".
func (l L) Weekday(d time.Time) string {
	if l.es() {
		return weekdaysES[d.Weekday()]
	}
	return d.Weekday().String()
}

// DayOfWeek is a day of a week as a timesheet names it: "Monday, June 2"
// or "lunes 2 de junio".
func (l L) DayOfWeek(d time.Time) string {
	if l.es() {
		return fmt.Sprintf("%s %d de %s", weekdaysES[d.Weekday()], d.Day(), monthsES[d.Month()-1])
	}
	return d.Format("Monday, January 2")
}

// Day is the calendar date of an instant in the person's zone.
func (l L) Day(t time.Time) string { return l.Date(t.In(l.zone())) }

// Clock is an instant's time of day in the person's zone: "3:04 PM" or
// "15:04" (Spanish uses the 24-hour clock, which reads unambiguously).
func (l L) Clock(t time.Time) string {
	if l.es() {
		return t.In(l.zone()).Format("15:04")
	}
	return t.In(l.zone()).Format("3:04 PM")
}

// When is an instant as date, time and zone: "July 2, 2010 at 3:04 PM PDT"
// or "2 de julio de 2010 a las 15:04 (PDT)".
func (l L) When(t time.Time) string {
	t = t.In(l.zone())
	abbr := t.Format("MST")
	if l.es() {
		return fmt.Sprintf("%s a las %s (%s)", l.Date(t), l.Clock(t), abbr)
	}
	return fmt.Sprintf("%s at %s %s", l.Date(t), l.Clock(t), abbr)
}

// Number is a number with thousands grouped and at most two decimals,
// without trailing zeros: "1,234.5". US Spanish (and Mexico's) write
// numbers the same way, so both languages use it.
func (l L) Number(f float64) string {
	s := strconv.FormatFloat(math.Round(f*100)/100, 'f', -1, 64)
	return group(s)
}

// Money is a dollar amount from cents: "$1,017.50".
func (l L) Money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s$%s.%02d", sign, group(strconv.FormatInt(cents/100, 10)), cents%100)
}

// Pay is a posting's pay: "$17.50 per hour" / "$17.50 por hora",
// "$500.00 stipend" / "estipendio de $500.00", "Unpaid" / "Sin pago".
// kind is the posting's pay_type (hourly, stipend, unpaid).
func (l L) Pay(kind string, cents int64) string {
	switch {
	case kind == "hourly" && cents > 0:
		return l.pick(l.Money(cents)+" per hour", l.Money(cents)+" por hora")
	case kind == "stipend" && cents > 0:
		return l.pick(l.Money(cents)+" stipend", "estipendio de "+l.Money(cents))
	}
	return l.pick("Unpaid", "Sin pago")
}

// Hours is an amount of hours: "1 hour", "7.5 hours" / "1 hora", "7.5 horas".
func (l L) Hours(h float64) string {
	n := l.Number(h)
	if n == "1" {
		return l.pick("1 hour", "1 hora")
	}
	return n + l.pick(" hours", " horas")
}

func (l L) pick(en, es string) string {
	if l.es() {
		return es
	}
	return en
}

// group puts thousands separators in the integer part of a number.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

// Worksite is where the work happens, in full: "Main clinic, 200 Oak Ave,
// Fresno, CA 93721"; a remote worksite is "Remote" (or "A distancia")
// once, with its name only if the name says more ("Help desk (remote)").
func (l L) Worksite(name, line1, city, state, zip string, remote bool) string {
	if remote {
		word := l.pick("Remote", "A distancia")
		if name == "" || strings.Contains(strings.ToLower(name), "remote") || strings.EqualFold(name, word) {
			return word
		}
		return name + " (" + strings.ToLower(word) + ")"
	}
	stateZip := strings.TrimSpace(state + " " + zip)
	var parts []string
	for _, p := range []string{name, line1, city, stateZip} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
