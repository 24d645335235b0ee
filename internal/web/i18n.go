package web

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/workflows"
)

// Lang is the language a page is shown in ("en" or "es"), with the
// person's time zone for the times it shows.
type Lang struct {
	Code string
	Zone *time.Location // nil: UTC (a link without a person)
}

// F formats dates, times, money and hours for this person (one home for
// those formats: internal/locale).
func (l Lang) F() locale.L { return locale.L{Lang: l.Code, Zone: l.Zone} }

// catalogs hold every text the pages show, by language and key.
var catalogs = map[string]map[string]string{"en": english, "es": spanish}

// T is the text for key in this language (English if missing there, the
// key itself if missing everywhere, which a test forbids).
func (l Lang) T(key string) string {
	if s, ok := catalogs[l.Code][key]; ok {
		return s
	}
	if s, ok := english[key]; ok {
		return s
	}
	return key
}

// Tf formats the text for key with args.
func (l Lang) Tf(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// refusal is the journey's refusal as a sentence in the page's language
// (its code's entry in the catalogue, workflows/errors.go).
func (l Lang) refusal(ie *workflows.InputError) string { return sentence(ie.In(l.Code)) }

// refusalOf is the sentence for a refusal the page finds itself, in the
// journey's words.
func (l Lang) refusalOf(code workflows.Code, args ...any) string {
	return l.refusal(workflows.NewInputError(code, "", args...))
}

// sentence capitalises the first letter and ends with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}
