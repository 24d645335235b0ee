package store

import (
	"context"

	"github.com/internflow/internflow/workflows/facts"
)

// PostingInfo loads one posting with its employer.
func (s *Store) PostingInfo(ctx context.Context, id string) (facts.PostingInfo, error) {
	p := facts.PostingInfo{ID: id}
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
