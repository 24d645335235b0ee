// Package permit renders work permits: the pre-filled form every signer
// signs (bound to its SHA-256), and the final signed PDF with an audit page.
package permit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/locale"
)

// Fields is what the permit form says, pre-filled from the student record
// and the placement so nobody retypes what the district already has.
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
	var dob *time.Time
	var grade *int16
	var addr, city, state, zip, sup, schedule, payType string
	var hours, payCents *float64
	err := db.QueryRow(ctx, `
		SELECT s.first_name || ' ' || s.last_name, s.date_of_birth, sc.name, s.grade,
			COALESCE(s.address_line1,''), COALESCE(s.city,''), COALESCE(s.state,''), COALESCE(s.postal_code,''),
			e.name, COALESCE(w.name,''), COALESCE(w.address_line1,''), COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,''), COALESCE(w.remote,false),
			COALESCE(sv.name,''), p.title, p.hours_per_week::float8, COALESCE(p.schedule,''), p.pay_type, p.pay_cents::float8, j.program_year,
			s.language = 'es' OR EXISTS (SELECT 1 FROM guardians g WHERE g.student_id = s.id AND g.language = 'es')
		FROM journeys j
		JOIN students s ON s.id = j.student_id
		JOIN schools sc ON sc.id = s.school_id
		JOIN placements pl ON pl.journey_id = j.id
		JOIN postings p ON p.id = pl.posting_id
		JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN worksites w ON w.id = COALESCE(pl.worksite_id, p.worksite_id)
		LEFT JOIN supervisors sv ON sv.id = COALESCE(pl.supervisor_id, p.supervisor_id)
		WHERE j.id = $1`, journeyID).Scan(&f.StudentName, &dob, &f.School, &grade, &addr, &city, &state, &zip,
		&f.Employer, &f.Worksite.Name, &f.Worksite.Line1, &f.Worksite.City, &f.Worksite.State, &f.Worksite.Zip, &f.Worksite.Remote, &sup, &f.JobTitle, &hours, &schedule, &payType, &payCents, &f.ProgramYear, &f.Spanish)
	if err != nil {
		return f, fmt.Errorf("permit fields for journey %s: %w", journeyID, err)
	}
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
