package store

import (
	"context"
	"time"
)

// PostingInfo is what a journey needs from a posting to apply and place.
type PostingInfo struct {
	ID                 string     `json:"id"`
	Title              string     `json:"title"`
	Status             string     `json:"status"`
	Deadline           *time.Time `json:"deadline,omitempty"`
	EmployerID         string     `json:"employer_id"`
	EmployerName       string     `json:"employer_name"`
	EmployerIsDistrict bool       `json:"employer_is_district"`
	SupervisorID       string     `json:"supervisor_id,omitempty"`
	WorksiteID         string     `json:"worksite_id,omitempty"`
	Remote             bool       `json:"remote"`
	FundingSource      string     `json:"funding_source"`
	PayType            string     `json:"pay_type"`
	HoursPerWeek       float64    `json:"hours_per_week"`
	RequiredTrainings  []string   `json:"required_trainings"`
	Deliverable        string     `json:"deliverable,omitempty"`
	// SpotType "guaranteed": every student who applies gets an offer (the
	// program's promised fallback); "competitive": the employer chooses.
	SpotType   string `json:"spot_type,omitempty"`
	DistrictID string `json:"district_id"`
}

// PostingInfo loads one posting with its employer.
func (s *Store) PostingInfo(ctx context.Context, id string) (PostingInfo, error) {
	p := PostingInfo{ID: id}
	err := s.Pool.QueryRow(ctx, `
		SELECT p.title, p.status, p.deadline, e.id, e.name, e.is_district, COALESCE(p.supervisor_id::text,''),
			COALESCE(p.worksite_id::text,''), COALESCE(w.remote, false), p.funding_source, p.pay_type,
			COALESCE(p.hours_per_week, 0)::float8, p.required_trainings, COALESCE(p.deliverable,''), e.district_id, p.spot_type
		FROM postings p JOIN employers e ON e.id = p.employer_id LEFT JOIN worksites w ON w.id = p.worksite_id
		WHERE p.id = $1`, id).Scan(&p.Title, &p.Status, &p.Deadline, &p.EmployerID, &p.EmployerName, &p.EmployerIsDistrict,
		&p.SupervisorID, &p.WorksiteID, &p.Remote, &p.FundingSource, &p.PayType, &p.HoursPerWeek, &p.RequiredTrainings,
		&p.Deliverable, &p.DistrictID, &p.SpotType)
	return p, notFound(err)
}
