package web

import (
	"github.com/internflow/internflow/internal/hours"
)

// hourAlert is the hour rules for minors a week's hours break, worded for
// the reader: shown to the student on their timesheet and to the
// supervisor before approving.
type hourAlert struct {
	Title string
	Lines []string
	Note  string
}

// newHourAlert words breaches in the page's language (nil: none).
// withheldKey is the catalog text saying what happens to the hours over
// the limits, for this reader.
func newHourAlert(l Lang, breaches []hours.Breach, withheld float64, withheldKey string) *hourAlert {
	if len(breaches) == 0 {
		return nil
	}
	a := &hourAlert{Title: l.T("hours.title"), Lines: hours.ExplainAll(breaches, l.Code)}
	if withheld > 0 {
		a.Note = l.Tf(withheldKey, l.F().Hours(withheld))
	}
	return a
}
