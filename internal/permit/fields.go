// Package permit renders work permits: the pre-filled form every signer
// signs (bound to its SHA-256), and the final signed PDF with an audit page.
package permit

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Fields is what the permit form says, pre-filled from the student record
// and the placement so nobody retypes what the district already has.
type Fields struct {
	StudentName    string
	DateOfBirth    string
	School         string
	Grade          string
	StudentAddress string
	Employer       string
	Worksite       string
	Supervisor     string
	JobTitle       string
	HoursPerWeek   string
	Schedule       string
	Pay            string
	ProgramYear    int
	Version        int
}

// loadFields reads a journey's student and placement.
func loadFields(ctx context.Context, db pgx.Tx, journeyID string, version int) (Fields, error) {
	f := Fields{Version: version}
	var dob *time.Time
	var grade *int16
	var addr, city, state, zip, site, siteCity, siteAddr, sup, schedule, payType string
	var remote bool
	var hours, payCents *float64
	err := db.QueryRow(ctx, `
		SELECT s.first_name || ' ' || s.last_name, s.date_of_birth, sc.name, s.grade,
			COALESCE(s.address_line1,''), COALESCE(s.city,''), COALESCE(s.state,''), COALESCE(s.postal_code,''),
			e.name, COALESCE(w.name,''), COALESCE(w.address_line1,''), COALESCE(w.city,''), COALESCE(w.remote,false),
			COALESCE(sv.name,''), p.title, p.hours_per_week::float8, COALESCE(p.schedule,''), p.pay_type, p.pay_cents::float8, j.program_year
		FROM journeys j
		JOIN students s ON s.id = j.student_id
		JOIN schools sc ON sc.id = s.school_id
		JOIN placements pl ON pl.journey_id = j.id
		JOIN postings p ON p.id = pl.posting_id
		JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN worksites w ON w.id = COALESCE(pl.worksite_id, p.worksite_id)
		LEFT JOIN supervisors sv ON sv.id = COALESCE(pl.supervisor_id, p.supervisor_id)
		WHERE j.id = $1`, journeyID).Scan(&f.StudentName, &dob, &f.School, &grade, &addr, &city, &state, &zip,
		&f.Employer, &site, &siteAddr, &siteCity, &remote, &sup, &f.JobTitle, &hours, &schedule, &payType, &payCents, &f.ProgramYear)
	if err != nil {
		return f, fmt.Errorf("permit fields for journey %s: %w", journeyID, err)
	}
	if dob != nil {
		f.DateOfBirth = dob.Format("January 2, 2006")
	}
	if grade != nil {
		f.Grade = fmt.Sprint(*grade)
	}
	f.StudentAddress = joinNonEmpty(addr, city, state, zip)
	f.Worksite = joinNonEmpty(site, siteAddr, siteCity)
	if remote {
		f.Worksite = joinNonEmpty(site, "remote")
	}
	f.Supervisor = sup
	if hours != nil {
		f.HoursPerWeek = fmt.Sprintf("%g", *hours)
	}
	f.Schedule = schedule
	f.Pay = pay(payType, payCents)
	return f, nil
}

func pay(kind string, cents *float64) string {
	if kind == "unpaid" || cents == nil {
		return kind
	}
	amount := fmt.Sprintf("$%.2f", *cents/100)
	if kind == "hourly" {
		return amount + " per hour"
	}
	return amount + " stipend"
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

// Rows are the form's labelled lines, in print order.
func (f Fields) Rows() [][2]string {
	return [][2]string{
		{"Student", f.StudentName}, {"Date of birth", f.DateOfBirth}, {"School", f.School}, {"Grade", f.Grade},
		{"Home address", f.StudentAddress}, {"Employer", f.Employer}, {"Worksite", f.Worksite},
		{"Supervisor", f.Supervisor}, {"Job title", f.JobTitle}, {"Hours per week", f.HoursPerWeek},
		{"Schedule", f.Schedule}, {"Pay", f.Pay},
	}
}
