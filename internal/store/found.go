package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/found"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/workflows/facts"
)

func writeFoundPlacement(ctx context.Context, tx pgx.Tx, journeyID string, f *facts.FoundPlacementFact) error {
	if f == nil {
		return nil
	}
	details, err := json.Marshal(f.Details)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO found_placements (id, journey_id, status, details, comment, reason, posting_id, reported_by_kind)
		VALUES ($1,$2,$3,$4,NULLIF($5,''),NULLIF($6,''),NULLIF($7,'')::uuid,$8)
		ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, details = EXCLUDED.details, comment = EXCLUDED.comment,
			reason = EXCLUDED.reason, posting_id = COALESCE(EXCLUDED.posting_id, found_placements.posting_id), updated_at = now()`,
		f.ID, journeyID, f.Status, details, f.Comment, f.Reason, f.PostingID, f.ActorKind)
	return err
}

// ErrWrongDistrict means a chosen employer or supervisor is not the
// district's (or not the employer's).
var ErrWrongDistrict = errors.New("that employer or supervisor is not one of this district's")

// ResolveFound creates (or, on a retry, finds) the posting of an approved
// student-found placement and returns it as a posting. Idempotent: the
// report remembers its posting.
func (s *Store) ResolveFound(ctx context.Context, in facts.FoundResolve) (facts.PostingInfo, error) {
	var postingID string
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT COALESCE(posting_id::text,'') FROM found_placements WHERE id = $1 AND journey_id = $2 FOR UPDATE`,
			in.FoundID, in.JourneyID).Scan(&postingID)
		if err != nil {
			return fmt.Errorf("found placement %s: %w", in.FoundID, notFound(err))
		}
		if postingID != "" {
			return nil
		}
		postingID, err = createFoundPosting(ctx, tx, in)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE found_placements SET posting_id = $2, updated_at = now() WHERE id = $1`, in.FoundID, postingID)
		return err
	})
	if err != nil {
		return facts.PostingInfo{}, err
	}
	return s.PostingInfo(ctx, postingID)
}

func createFoundPosting(ctx context.Context, tx pgx.Tx, in facts.FoundResolve) (string, error) {
	d := in.Details
	employerID, err := foundEmployer(ctx, tx, in)
	if err != nil {
		return "", err
	}
	supervisorID, err := foundSupervisor(ctx, tx, employerID, in)
	if err != nil {
		return "", err
	}
	site := Worksite{EmployerID: employerID, Name: d.EmployerName, Remote: d.Remote}
	if !d.Remote {
		site.Name, site.AddressLine1, site.City, site.State, site.PostalCode = d.Address, d.Address, d.City, d.State, d.PostalCode
	}
	worksiteID, err := insertWorksite(ctx, tx, site)
	if err != nil {
		return "", fmt.Errorf("worksite: %w", err)
	}
	p := Posting{EmployerID: employerID, ProgramID: in.ProgramID, WorksiteID: worksiteID, SupervisorID: supervisorID,
		Title: d.Title, Description: d.Duties, HoursPerWeek: d.HoursPerWeek, Schedule: d.Schedule, PayType: d.PayType,
		PayCents: d.PayCents, FundingSource: in.Funding, SpotType: "competitive", Spots: 1, Status: "closed"}
	id, err := insertPosting(ctx, tx, p)
	if err != nil {
		return "", fmt.Errorf("posting: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE postings SET source = 'student_found' WHERE id = $1`, id)
	return id, err
}

func foundEmployer(ctx context.Context, tx pgx.Tx, in facts.FoundResolve) (string, error) {
	if in.EmployerID == "" {
		return insertEmployer(ctx, tx, Employer{DistrictID: in.DistrictID, Name: in.Details.EmployerName})
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM employers WHERE id::text = $1 AND district_id = $2)`,
		in.EmployerID, in.DistrictID).Scan(&ok)
	if err == nil && !ok {
		err = ErrWrongDistrict
	}
	return in.EmployerID, err
}

func foundSupervisor(ctx context.Context, tx pgx.Tx, employerID string, in facts.FoundResolve) (string, error) {
	if in.SupervisorID == "" {
		d := in.Details
		return insertSupervisor(ctx, tx, Supervisor{EmployerID: employerID, Name: d.SupervisorName,
			Email: d.SupervisorEmail, Phone: d.SupervisorPhone, Language: "en"})
	}
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM supervisors WHERE id::text = $1 AND employer_id = $2)`,
		in.SupervisorID, employerID).Scan(&ok)
	if err == nil && !ok {
		err = ErrWrongDistrict
	}
	return in.SupervisorID, err
}

// FoundMatch is an employer (and supervisor) of the district that looks
// like the one a student reported, and why.
type FoundMatch struct {
	EmployerID     string
	EmployerName   string
	SupervisorID   string
	SupervisorName string
	// By says what matched: "name", "email", "phone".
	By []string
}

// FoundMatches suggests the district's employers (with a supervisor)
// the report may name: the same normalised employer name, or a
// supervisor with the same email or phone. Best first.
func (s *Store) FoundMatches(ctx context.Context, districtID string, d found.Details) ([]FoundMatch, error) {
	rows, err := s.Pool.Query(ctx, `
		SELECT e.id, e.name, COALESCE(sv.id::text,''), COALESCE(sv.name,''), COALESCE(sv.email,''), COALESCE(sv.phone,'')
		FROM employers e LEFT JOIN supervisors sv ON sv.employer_id = e.id
		WHERE e.district_id = $1 ORDER BY e.name, sv.name`, districtID)
	if err != nil {
		return nil, err
	}
	type row struct{ eid, ename, sid, sname, email, phone string }
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.eid, &r.ename, &r.sid, &r.sname, &r.email, &r.phone); err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []FoundMatch
	seen := map[string]int{}
	for _, r := range all {
		var by []string
		nameMatch := found.SameEmployer(r.ename, d.EmployerName)
		if nameMatch {
			by = append(by, "name")
		}
		if r.email != "" && found.SameEmail(r.email, d.SupervisorEmail) {
			by = append(by, "email")
		}
		if r.phone != "" && r.phone == d.SupervisorPhone {
			by = append(by, "phone")
		}
		if len(by) == 0 {
			continue
		}
		contactMatch := len(by) > 1 || !nameMatch
		if i, ok := seen[r.eid]; ok {
			// One row per employer: keep the supervisor that matched by contact.
			if contactMatch && out[i].SupervisorID == "" {
				out[i].SupervisorID, out[i].SupervisorName, out[i].By = r.sid, r.sname, by
			}
			continue
		}
		m := FoundMatch{EmployerID: r.eid, EmployerName: r.ename, By: by}
		if contactMatch {
			m.SupervisorID, m.SupervisorName = r.sid, r.sname
		}
		seen[r.eid] = len(out)
		out = append(out, m)
	}
	return out, nil
}

// FoundVetting is what the coordinator's checklist weighs a report
// against: the district's state, the student's birth date and the
// program's hour rules for minors.
type FoundVetting struct {
	State       string
	BirthDate   string // 2006-01-02, "" unknown
	ProgramKind string
	HourRules   []hours.Rule
}

// FoundVettingFor loads the vetting context of a journey.
func (s *Store) FoundVettingFor(ctx context.Context, journeyID string) (FoundVetting, error) {
	var v FoundVetting
	var rules []byte
	err := s.Pool.QueryRow(ctx, `
		SELECT d.state, COALESCE(to_char(st.date_of_birth, 'YYYY-MM-DD'),''), p.kind, COALESCE(p.definition->'hour_rules','[]'::jsonb)
		FROM journeys j JOIN students st ON st.id = j.student_id JOIN districts d ON d.id = st.district_id
		JOIN programs p ON p.id = j.program_id WHERE j.id = $1`, journeyID).Scan(&v.State, &v.BirthDate, &v.ProgramKind, &rules)
	if err != nil {
		return v, notFound(err)
	}
	if err := json.Unmarshal(rules, &v.HourRules); err != nil || len(v.HourRules) == 0 {
		v.HourRules = hours.For(v.State) // as the journey loads them (workflows.hourRules)
	}
	return v, nil
}
