package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// EmployerSummary is one row of the staff's employer list.
type EmployerSummary struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	IsDistrict bool   `json:"is_district"`
	// MOUStatus is the MOU's status for the program year asked for ("" when
	// none is drafted yet).
	MOUStatus string `json:"mou_status"`
	// OpenPostings are published and not past their deadline.
	OpenPostings int `json:"open_postings"`
	// Placed counts the program year's placements (withdrawn ones aside).
	Placed int `json:"placed"`
	// Undecided counts applications of open journeys waiting for the
	// employer's decision.
	Undecided int `json:"undecided"`
	// RecommendAvg is the students' average "would you recommend this
	// placement to a friend" (1-5) over Recommends answers, every year.
	RecommendAvg float64 `json:"recommend_avg"`
	Recommends   int     `json:"recommends"`
}

// Employers lists the district's employers by name, with their MOU status,
// open postings and placed interns for a program year.
func (s *Store) Employers(ctx context.Context, districtID string, year int) ([]EmployerSummary, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT e.id::text, e.name, e.is_district, COALESCE(m.status, ''),
			(SELECT count(*)::int FROM postings p WHERE p.employer_id = e.id AND p.status = 'published'
				AND (p.deadline IS NULL OR p.deadline >= current_date)),
			(SELECT count(*)::int FROM placements pl JOIN journeys j ON j.id = pl.journey_id
				WHERE pl.employer_id = e.id AND j.program_year = $2 AND j.status <> 'withdrawn'),
			(SELECT count(*)::int FROM postings p JOIN applications a ON a.posting_id = p.id JOIN journeys j ON j.id = a.journey_id
				WHERE p.employer_id = e.id AND j.status = 'open' AND a.status IN ('submitted','reviewing','interview')),
			COALESCE(rec.avg, 0), COALESCE(rec.n, 0)
		FROM employers e LEFT JOIN LATERAL (SELECT avg(r.recommend)::float8 AS avg, count(r.recommend)::int AS n
			FROM placements pl JOIN reflections r ON r.journey_id = pl.journey_id WHERE pl.employer_id = e.id) rec ON true LEFT JOIN mous m ON m.employer_id = e.id AND m.program_year = $2
		WHERE e.district_id = $1 ORDER BY lower(e.name), e.id`, districtID, year)
	if err != nil {
		return nil, fmt.Errorf("employers: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[EmployerSummary])
}

// EmployerWorksites lists an employer's worksites by name.
func (s *Store) EmployerWorksites(ctx context.Context, employerID string) ([]Worksite, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+worksiteCols+` FROM worksites WHERE employer_id = $1 ORDER BY lower(name), id`, employerID)
	if err != nil {
		return nil, fmt.Errorf("worksites: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Worksite])
}

// EmployerSupervisors lists an employer's supervisors by name.
func (s *Store) EmployerSupervisors(ctx context.Context, employerID string) ([]Supervisor, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+supervisorCols+` FROM supervisors WHERE employer_id = $1 ORDER BY lower(name), id`, employerID)
	if err != nil {
		return nil, fmt.Errorf("supervisors: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Supervisor])
}

// PostingSummary is a posting with what the employer page shows beside it.
type PostingSummary struct {
	Posting
	WorksiteName string `json:"worksite_name,omitempty"`
	Applications int    `json:"applications"`
}

// EmployerPostings lists an employer's postings, open ones first.
func (s *Store) EmployerPostings(ctx context.Context, employerID string) ([]PostingSummary, error) {
	rows, err := s.Pool.Query(ctx, `SELECT `+postingCols+`, COALESCE(w.name,''),
			(SELECT count(*)::int FROM applications a WHERE a.posting_id = p.id)
		FROM postings p LEFT JOIN worksites w ON w.id = p.worksite_id WHERE p.employer_id = $1
		ORDER BY CASE p.status WHEN 'published' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END, p.created_at DESC`, employerID)
	if err != nil {
		return nil, fmt.Errorf("postings: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PostingSummary, error) {
		var ps PostingSummary
		p := &ps.Posting
		err := r.Scan(&p.ID, &p.EmployerID, &p.ProgramID, &p.WorksiteID, &p.SupervisorID, &p.Title, &p.Description, &p.Pathway,
			&p.HoursPerWeek, &p.Schedule, &p.PayType, &p.PayCents, &p.FundingSource, &p.SpotType, &p.Spots, &p.Requirements,
			&p.RequiredTrainings, &p.Deliverable, &p.Deadline, &p.Status, &ps.WorksiteName, &ps.Applications)
		return ps, err
	})
}

// Training is one entry of the trainings catalogue.
type Training struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Trainings lists the catalogue by name.
func (s *Store) Trainings(ctx context.Context) ([]Training, error) {
	rows, err := s.Pool.Query(ctx, `SELECT code, name FROM trainings ORDER BY lower(name), code`)
	if err != nil {
		return nil, fmt.Errorf("trainings: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Training])
}

// ProgramRef names a program in a choice.
type ProgramRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Year int    `json:"program_year"`
}

// DistrictPrograms lists the district's programs, newest year first.
func (s *Store) DistrictPrograms(ctx context.Context, districtID string) ([]ProgramRef, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id::text, name, program_year FROM programs WHERE district_id = $1
		ORDER BY program_year DESC, lower(name)`, districtID)
	if err != nil {
		return nil, fmt.Errorf("programs: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[ProgramRef])
}

// StaffRef names a staff member in a choice.
type StaffRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// DistrictStaff lists the district's active staff by name.
func (s *Store) DistrictStaff(ctx context.Context, districtID string) ([]StaffRef, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id::text, name FROM staff WHERE district_id = $1 AND active ORDER BY lower(name), id`, districtID)
	if err != nil {
		return nil, fmt.Errorf("staff: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[StaffRef])
}

// MOUSummary is an employer's MOU for one program year.
type MOUSummary struct {
	ID                 string     `json:"id"`
	ProgramYear        int        `json:"program_year"`
	Status             string     `json:"status"`
	WorkflowID         string     `json:"workflow_id"`
	EmployerSignedAt   *time.Time `json:"employer_signed_at,omitempty"`
	ImplementationDate *time.Time `json:"implementation_date,omitempty"`
}

// EmployerMOU loads the employer's MOU for a year (ErrNotFound when none
// has been drafted).
func (s *Store) EmployerMOU(ctx context.Context, employerID string, year int) (MOUSummary, error) {
	rows, err := s.Pool.Query(ctx, `SELECT id::text, program_year, status, workflow_id, employer_signed_at,
		implementation_date::timestamptz FROM mous WHERE employer_id = $1 AND program_year = $2`, employerID, year)
	if err != nil {
		return MOUSummary{}, fmt.Errorf("mou: %w", err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[MOUSummary])
	if errors.Is(err, pgx.ErrNoRows) {
		return m, ErrNotFound
	}
	return m, err
}
