package hours

import (
	"fmt"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/locale"
)

// Explain says, in the reader's language ("en" or "es"), which rule a
// breach breaks and why: the day, what was worked, the limit, for whom and
// when it applies, and whose law it is.
func Explain(b Breach, lang string) string {
	l := locale.L{Lang: lang}
	es := lang == "es"
	ages := fmt.Sprintf("ages %d-%d", b.MinAge, b.MaxAge)
	if es {
		ages = fmt.Sprintf("jóvenes de %d a %d años", b.MinAge, b.MaxAge)
	}
	law := lawNames(b.Laws, es)
	day := ""
	if d, err := time.Parse(time.DateOnly, b.Date); err == nil {
		day = l.DayOfWeek(d)
	}
	when := words(b.When, es)
	if b.Kind == "day" && b.When == "before_non_school_day" {
		when = words("school_day_before_non_school_day", es)
	}
	switch b.Kind {
	case "day":
		if es {
			return fmt.Sprintf("%s: %s trabajadas; el límite para %s %s es de %s (%s).", upper(day), l.Hours(b.Worked), ages, when, l.Hours(b.Limit), law)
		}
		return fmt.Sprintf("%s: %s worked; the limit for %s %s is %s (%s).", day, l.Hours(b.Worked), ages, when, l.Hours(b.Limit), law)
	case "week":
		if es {
			return fmt.Sprintf("Esta semana: %s trabajadas; el límite para %s %s es de %s (%s).", l.Hours(b.Worked), ages, when, l.Hours(b.Limit), law)
		}
		return fmt.Sprintf("This week: %s worked; the limit for %s %s is %s (%s).", l.Hours(b.Worked), ages, when, l.Hours(b.Limit), law)
	case "end":
		if when != "" {
			when = " " + when
		}
		if es {
			return fmt.Sprintf("%s: terminó de trabajar a las %s; los %s no pueden trabajar después de las %s%s (%s).",
				upper(day), Clock(b.End, lang), ages, Clock(b.LatestEnd, lang), when, law)
		}
		return fmt.Sprintf("%s: work ended at %s; %s may not work after %s%s (%s).", day, Clock(b.End, lang), ages, Clock(b.LatestEnd, lang), when, law)
	}
	return ""
}

// ExplainAll is every breach, one per line.
func ExplainAll(bs []Breach, lang string) []string {
	out := make([]string, 0, len(bs))
	for _, b := range bs {
		out = append(out, Explain(b, lang))
	}
	return out
}

var whenWords = map[string][2]string{
	"school_day":            {"on a school day", "en un día de clases"},
	"non_school_day":        {"on a day without school", "en un día sin clases"},
	"before_non_school_day": {"before a day without school", "antes de un día sin clases"},
	"before_school_day":     {"before a school day", "antes de un día de clases"},
	"school_day_before_non_school_day": {"on a school day before a day without school",
		"en un día de clases antes de un día sin clases"},
	"school_week":     {"in a school week", "en una semana de clases"},
	"non_school_week": {"in a week without school", "en una semana sin clases"},
	"summer":          {"from June 1 to Labor Day", "del 1 de junio al Día del Trabajo"},
}

func words(code string, es bool) string {
	w, ok := whenWords[code]
	if !ok {
		return ""
	}
	if es {
		return w[1]
	}
	return w[0]
}

// lawNames is "federal and California law" / "ley federal y de California".
func lawNames(laws []string, es bool) string {
	var names []string
	for _, c := range laws {
		switch {
		case c == "US" && es:
			names = append(names, "federal")
		case c == "US":
			names = append(names, "federal")
		case es:
			names = append(names, "de "+stateName(c))
		default:
			names = append(names, stateName(c))
		}
	}
	if es {
		return "ley " + strings.Join(names, " y ")
	}
	return strings.Join(names, " and ") + " law"
}

func stateName(code string) string {
	if code == "CA" {
		return "California"
	}
	return code
}

// Clock is a clock time "22:30" as the reader writes it: "10:30 PM" or
// "22:30"; anything else is left as it is.
func Clock(hhmm, lang string) string {
	m, ok := Minutes(hhmm)
	if !ok {
		return hhmm
	}
	return locale.L{Lang: lang}.Clock(time.Date(2000, 1, 1, (m/60)%24, m%60, 0, 0, time.UTC))
}

func upper(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
