// Package permit renders work permits: the pre-filled form every signer
// signs (bound to its SHA-256), and the final signed PDF with an audit page.
package permit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/internal/store"
)

// Fields is what the permit form says, pre-filled from the student record
// and the placement so nobody retypes what the district already has.
// Every field is exported and drawn: a permit version keeps the hash of
// the JSON of the Fields it was drawn from (fieldsKey), and reproduces
// remembers its answers by it, so whatever changes the drawing must be in
// it.
type Fields struct {
	StudentName    string
	DateOfBirth    *time.Time // a calendar date, printed in each language
	School         string
	Grade          string
	StudentAddress string
	Employer       string
	Worksite       worksite
	Supervisor     string
	JobTitle       string
	HoursPerWeek   float64
	Schedule       string
	PayType        string // hourly, stipend, unpaid
	PayCents       int64
	ProgramYear    int
	Version        int
	// Spanish: the student or a parent reads Spanish, so the permit is
	// bilingual (Spanish beneath each English label and value).
	Spanish bool
}

// worksite is the placement's place of work, printed in full.
type worksite struct {
	Name, Line1, City, State, Zip string
	Remote                        bool
}

// loadFields reads a journey's student and placement, with the
// corrections made for this version or an earlier one.
func loadFields(ctx context.Context, db pgx.Tx, journeyID string, version int) (Fields, error) {
	f := Fields{Version: version}
	rec, err := store.ReadPermitRecord(ctx, db, journeyID)
	if err != nil {
		return f, fmt.Errorf("permit fields for journey %s: %w", journeyID, err)
	}
	f.StudentName, f.School, f.Employer, f.JobTitle = rec.StudentName, rec.School, rec.Employer, rec.JobTitle
	f.Worksite = worksite(rec.Site)
	f.ProgramYear, f.Spanish = rec.ProgramYear, rec.Spanish
	dob, grade, hours, payCents := rec.DateOfBirth, rec.Grade, rec.HoursPerWeek, rec.PayCents
	addr, city, state, zip := rec.Line1, rec.City, rec.State, rec.Zip
	sup, schedule, payType := rec.Supervisor, rec.Schedule, rec.PayType
	f.DateOfBirth = dob
	if grade != nil {
		f.Grade = fmt.Sprint(*grade)
	}
	f.StudentAddress = joinNonEmpty(addr, city, state, zip)
	f.Supervisor = sup
	if hours != nil {
		f.HoursPerWeek = *hours
	}
	f.Schedule = schedule
	f.PayType = payType
	if payCents != nil {
		f.PayCents = int64(*payCents)
	}
	return f, applyCorrections(ctx, db, journeyID, &f)
}

func joinNonEmpty(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += ", "
		}
		out += p
	}
	return out
}

// labels are the form's labels in print order, in English and Spanish.
var labels = [][2]string{
	{"Student", "Estudiante"}, {"Date of birth", "Fecha de nacimiento"}, {"School", "Escuela"}, {"Grade", "Grado"},
	{"Home address", "Domicilio"}, {"Employer", "Empleador"}, {"Worksite", "Lugar de trabajo"},
	{"Supervisor", "Supervisor"}, {"Job title", "Puesto"}, {"Hours per week", "Horas por semana"},
	{"Schedule", "Horario"}, {"Pay", "Pago"},
}

// Rows are the form's labelled lines, in print order, in a language ("es"
// or English): dates, hours and pay written as that language writes them.
func (f Fields) Rows(lang string) [][2]string {
	l := locale.L{Lang: lang}
	dob, hours := "", ""
	if f.DateOfBirth != nil {
		dob = l.Date(*f.DateOfBirth)
	}
	if f.HoursPerWeek > 0 {
		hours = l.Number(f.HoursPerWeek)
	}
	w := f.Worksite
	values := []string{f.StudentName, dob, f.School, f.Grade, f.StudentAddress, f.Employer, l.Worksite(w.Name, w.Line1, w.City, w.State, w.Zip, w.Remote),
		f.Supervisor, f.JobTitle, hours, f.Schedule, l.Pay(f.PayType, f.PayCents)}
	out := make([][2]string, len(labels))
	for i, lb := range labels {
		out[i] = [2]string{lb[0], values[i]}
		if lang == "es" {
			out[i][0] = lb[1]
		}
	}
	return out
}
