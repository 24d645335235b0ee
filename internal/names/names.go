// Package names compares a typed signature with the signer's name on
// record, the way a person reading both would: case, accents, spacing,
// punctuation and middle names do not matter; a different first or last
// name does.
package names

import (
	"context"
	"strings"
	"unicode"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// Match reports whether typed is one of the names on record, ignoring
// case, accents, extra spaces, punctuation and middle names ("maria  lopez"
// matches "María Elena López"). A Spanish double surname may be shortened
// to the first surname ("Ana García" matches "Ana María García Ruiz").
// An empty record matches nothing.
func Match(typed string, onRecord ...string) bool {
	t := words(typed)
	if len(t) < 2 {
		return false
	}
	for _, name := range onRecord {
		r := words(name)
		if len(r) >= 2 && (sameEnds(t, r) || sameEnds(r, t)) {
			return true
		}
	}
	return false
}

// sameEnds: a and b share the first name, and a's other words appear in
// b in order, a's last being b's last name (or its first surname).
func sameEnds(a, b []string) bool {
	if a[0] != b[0] || !inOrder(a[1:], b[1:]) {
		return false
	}
	last := a[len(a)-1]
	return last == b[len(b)-1] || (len(b) >= 3 && last == b[len(b)-2])
}

// inOrder reports whether every word of a appears in b, in order.
func inOrder(a, b []string) bool {
	i := 0
	for _, w := range b {
		if i < len(a) && a[i] == w {
			i++
		}
	}
	return i == len(a)
}

// words folds a name to lower-case unaccented words; hyphens and
// apostrophes split or join as people type them inconsistently
// ("García-Ruiz" = "Garcia Ruiz", "O'Neil" = "ONeil").
func words(s string) []string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '\'' || r == '’' || r == '.':
			// dropped: "O'Neil" = "ONeil", "Jr." = "Jr"
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(fold(r))
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Fields(b.String())
}

// FoldAccents lower-cases s and removes the accents from its Latin
// letters ("SÍ" → "si", "Peña" → "pena"), keeping everything else.
func FoldAccents(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		b.WriteString(fold(r))
	}
	return b.String()
}

// fold removes the accent from a Latin letter.
func fold(r rune) string {
	if f, ok := accents[r]; ok {
		return f
	}
	return string(r)
}

var accents = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'ł': "l", 'đ': "d"}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "d": "ď", "e": "èéêëēĕėęě", "g": "ĝğġģ", "h": "ĥ",
		"i": "ìíîïĩīĭįı", "j": "ĵ", "k": "ķ", "l": "ĺļľ", "n": "ñńņňŉ", "o": "òóôõöōŏő",
		"r": "ŕŗř", "s": "śŝşš", "t": "ţť", "u": "ùúûüũūŭůűų", "w": "ŵ", "y": "ýÿŷ", "z": "źżž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// Querier is what OnRecord reads with (a pool or a transaction).
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Record is a person's name as the district has it.
type Record struct {
	Name      string // legal name as printed on documents
	Preferred string // a student's preferred first name with the last name, if any
}

// Names are the names a signature may match.
func (r Record) Names() []string { return []string{r.Name, r.Preferred} }

// OnRecord reads the name on record of a signer: ref is the id of a
// student, guardian, supervisor or employer (its contact). An unknown ref
// or an employer without a contact name gives an empty Record.
func OnRecord(ctx context.Context, db Querier, ref string) (Record, error) {
	r, err := store.NameOnRecord(ctx, db, ref)
	return Record(r), err
}
