package permit

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/store"
)

// A rejected permit is corrected before its next version is drawn: staff
// may correct any field below, the employer only its own. A correction
// is stored per journey and per version it first applies to
// (permit_corrections), so every earlier version still renders exactly as
// it was signed.

// Correctable is one field of the permit that can be corrected.
type Correctable struct {
	Field string // the form's name and permit_corrections.field
	row   int    // its line on the form (labels)
	// Employer: the employer may correct it through its link (its own
	// placement's details); staff may correct every field.
	Employer bool
	check    func(string) (string, error) // normalises a value or returns a Problem
	apply    func(*Fields, string)
}

// Correctables are the permit's correctable fields, in print order.
var Correctables = []Correctable{
	{Field: "date_of_birth", row: 1, check: checkDate, apply: func(f *Fields, v string) {
		d, _ := time.Parse(time.DateOnly, v)
		f.DateOfBirth = &d
	}},
	{Field: "grade", row: 3, check: checkGrade, apply: func(f *Fields, v string) { f.Grade = v }},
	{Field: "student_address", row: 4, check: checkText, apply: func(f *Fields, v string) { f.StudentAddress = v }},
	{Field: "supervisor", row: 7, Employer: true, check: checkText, apply: func(f *Fields, v string) { f.Supervisor = v }},
	{Field: "job_title", row: 8, Employer: true, check: checkText, apply: func(f *Fields, v string) { f.JobTitle = v }},
	{Field: "hours_per_week", row: 9, Employer: true, check: checkHours, apply: func(f *Fields, v string) {
		f.HoursPerWeek, _ = strconv.ParseFloat(v, 64)
	}},
	{Field: "schedule", row: 10, Employer: true, check: checkText, apply: func(f *Fields, v string) { f.Schedule = v }},
	{Field: "pay", row: 11, Employer: true, check: checkPay, apply: func(f *Fields, v string) {
		f.PayCents, _ = strconv.ParseInt(v, 10, 64)
	}},
}

// FindCorrectable returns the correctable field named field.
func FindCorrectable(field string) (Correctable, bool) {
	i := slices.IndexFunc(Correctables, func(c Correctable) bool { return c.Field == field })
	if i < 0 {
		return Correctable{}, false
	}
	return Correctables[i], true
}

// Label is the field's label on the form, in lang ("es" or English).
func (c Correctable) Label(lang string) string {
	if lang == "es" {
		return labels[c.row][1]
	}
	return labels[c.row][0]
}

// Problem is what is wrong with a corrected value, in English and
// Spanish (the pages show it in the person's language).
type Problem struct{ EN, ES string }

func (p Problem) Error() string { return p.EN }

// In is the problem in lang.
func (p Problem) In(lang string) string {
	if lang == "es" {
		return p.ES
	}
	return p.EN
}

// CheckCorrection validates one corrected value and returns it as stored
// (a date as 2006-01-02, pay in cents). The error says what is wrong in
// words a person can act on; the caller names the field.
func CheckCorrection(field, value string) (string, error) {
	c, ok := FindCorrectable(field)
	if !ok {
		return "", Problem{"cannot be corrected", "no se puede corregir"}
	}
	return c.check(strings.TrimSpace(value))
}

// Value is a field's current value as the correction form shows it (the
// same format CheckCorrection takes).
func (f Fields) Value(field string) string {
	switch field {
	case "date_of_birth":
		if f.DateOfBirth == nil {
			return ""
		}
		return f.DateOfBirth.Format(time.DateOnly)
	case "grade":
		return f.Grade
	case "student_address":
		return f.StudentAddress
	case "supervisor":
		return f.Supervisor
	case "job_title":
		return f.JobTitle
	case "hours_per_week":
		if f.HoursPerWeek == 0 {
			return ""
		}
		return strconv.FormatFloat(f.HoursPerWeek, 'f', -1, 64)
	case "schedule":
		return f.Schedule
	case "pay":
		if f.PayCents == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f", float64(f.PayCents)/100)
	}
	return ""
}

func checkText(v string) (string, error) {
	v = strings.Join(strings.Fields(v), " ")
	switch {
	case v == "":
		return "", Problem{"cannot be empty", "no puede quedar en blanco"}
	case len(v) > 200:
		return "", Problem{"must be at most 200 characters", "debe tener como máximo 200 caracteres"}
	}
	return v, nil
}

func checkDate(v string) (string, error) {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil || d.Year() < 1950 {
		return "", Problem{"must be a date like 2009-04-21", "debe ser una fecha como 2009-04-21"}
	}
	return d.Format(time.DateOnly), nil
}

func checkGrade(v string) (string, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 6 || n > 12 {
		return "", Problem{"must be a grade from 6 to 12", "debe ser un grado del 6 al 12"}
	}
	return strconv.Itoa(n), nil
}

func checkHours(v string) (string, error) {
	h, err := strconv.ParseFloat(v, 64)
	if err != nil || h <= 0 || h > 60 || math.IsNaN(h) {
		return "", Problem{"must be a number of hours from 1 to 60", "debe ser un número de horas del 1 al 60"}
	}
	return strconv.FormatFloat(h, 'f', -1, 64), nil
}

// checkPay takes dollars ("18.50") and stores cents ("1850").
func checkPay(v string) (string, error) {
	d, err := strconv.ParseFloat(strings.TrimPrefix(v, "$"), 64)
	if err != nil || d < 0 || d > 1000 || math.IsNaN(d) {
		return "", Problem{"must be an amount in dollars, like 18.50", "debe ser un monto en dólares, como 18.50"}
	}
	return strconv.FormatInt(int64(math.Round(d*100)), 10), nil
}

// applyCorrections applies the corrections made up to version to fields
// read from the records (a later correction of a field wins).
func applyCorrections(ctx context.Context, db pgx.Tx, journeyID string, f *Fields) error {
	corrections, err := store.PermitCorrections(ctx, db, journeyID, f.Version)
	if err != nil {
		return err
	}
	for _, k := range corrections {
		if c, ok := FindCorrectable(k.Field); ok {
			c.apply(f, k.Value)
		}
	}
	return nil
}

// Change is one line of the permit that differs from the version before,
// in one language.
type Change struct {
	Label, Old, New string
}

// diff lists the rows of two versions' fields that differ, in lang.
func diff(before, after Fields, lang string) []Change {
	old, cur := before.Rows(lang), after.Rows(lang)
	var out []Change
	for i := range cur {
		if old[i][1] != cur[i][1] {
			out = append(out, Change{Label: cur[i][0], Old: old[i][1], New: cur[i][1]})
		}
	}
	return out
}

// ChangesText writes changes as one line each, as messages show them.
func ChangesText(changes []Change, lang string) string {
	now, was, blank := "now %s (was %s)", "was %s", "blank"
	if lang == "es" {
		now, was, blank = "ahora %s (antes %s)", "antes %s", "en blanco"
	}
	lines := make([]string, len(changes))
	for i, c := range changes {
		old := c.Old
		if old == "" {
			old = blank
		}
		lines[i] = c.Label + ": " + fmt.Sprintf(now, c.New, old)
		if c.New == "" {
			lines[i] = c.Label + ": " + fmt.Sprintf(was, old)
		}
	}
	return strings.Join(lines, "\n")
}

// changesTx is what changed from version-1 to version, in lang.
func changesTx(ctx context.Context, tx pgx.Tx, journeyID string, version int, lang string) ([]Change, error) {
	if version < 2 {
		return nil, nil
	}
	before, err := loadFields(ctx, tx, journeyID, version-1)
	if err != nil {
		return nil, err
	}
	after, err := loadFields(ctx, tx, journeyID, version)
	if err != nil {
		return nil, err
	}
	return diff(before, after, lang), nil
}
