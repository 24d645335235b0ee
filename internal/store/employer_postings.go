package store

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
)

// SavePosting creates a draft posting (no ID) or updates one; its status
// changes only through SetPostingStatus. The worksite and supervisor must
// be the employer's, the trainings in the catalogue and the program the
// district's.
func (s *Store) SavePosting(ctx context.Context, by Editor, p Posting) (Posting, error) {
	if err := p.Normalize(); err != nil {
		return p, err
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := employerIn(ctx, tx, by.DistrictID, p.EmployerID, false); err != nil {
			return err
		}
		if err := checkPostingRefs(ctx, tx, by.DistrictID, p); err != nil {
			return err
		}
		if p.ID == "" {
			p.Status = "draft"
			id, err := insertPosting(ctx, tx, p)
			p.ID = id
			if err != nil {
				return err
			}
			return by.audit(ctx, tx, "posting", p.ID, nil, p)
		}
		before, err := postingIn(ctx, tx, by.DistrictID, p.ID, true)
		if err != nil {
			return err
		}
		if before.EmployerID != p.EmployerID {
			return ErrNotFound
		}
		p.Status = before.Status
		if err := updatePosting(ctx, tx, p); err != nil {
			return err
		}
		return by.audit(ctx, tx, "posting", p.ID, before, p)
	})
	return p, err
}

func updatePosting(ctx context.Context, tx pgx.Tx, p Posting) error {
	_, err := tx.Exec(ctx, `UPDATE postings SET program_id = NULLIF($2,'')::uuid, worksite_id = NULLIF($3,'')::uuid,
		supervisor_id = NULLIF($4,'')::uuid, title = $5, description = $6, pathway = NULLIF($7,''), hours_per_week = NULLIF($8,0),
		schedule = NULLIF($9,''), pay_type = $10, pay_cents = NULLIF($11,0), funding_source = $12, spot_type = $13, spots = $14,
		requirements = $15, required_trainings = $16, deliverable = NULLIF($17,''), deadline = $18 WHERE id = $1`,
		p.ID, p.ProgramID, p.WorksiteID, p.SupervisorID, p.Title, p.Description, p.Pathway, p.HoursPerWeek, p.Schedule,
		p.PayType, p.PayCents, p.FundingSource, p.SpotType, p.Spots, nonNil(p.Requirements), nonNil(p.RequiredTrainings),
		p.Deliverable, p.Deadline)
	return err
}

// checkPostingRefs checks what a posting points at, field by field.
func checkPostingRefs(ctx context.Context, tx pgx.Tx, districtID string, p Posting) error {
	refs := []struct{ field, id, sql, msg string }{
		{"worksite_id", p.WorksiteID, `SELECT true FROM worksites WHERE id = $1 AND employer_id = $2`, "choose one of this employer's worksites"},
		{"supervisor_id", p.SupervisorID, `SELECT true FROM supervisors WHERE id = $1 AND employer_id = $2`, "choose one of this employer's supervisors"},
		{"program_id", p.ProgramID, `SELECT true FROM programs WHERE id = $1 AND district_id = (SELECT district_id FROM employers WHERE id = $2)`,
			"choose one of your district's programs"},
	}
	for _, r := range refs {
		if r.id == "" {
			continue
		}
		var ok bool
		if !isID(r.id) {
			return fieldErr(r.field, "%s", r.msg)
		}
		if err := tx.QueryRow(ctx, r.sql, r.id, p.EmployerID).Scan(&ok); errors.Is(err, pgx.ErrNoRows) {
			return fieldErr(r.field, "%s", r.msg)
		} else if err != nil {
			return err
		}
	}
	var missing []string
	err := tx.QueryRow(ctx, `SELECT COALESCE(array_agg(c), '{}') FROM unnest($1::text[]) c
		WHERE NOT EXISTS (SELECT 1 FROM trainings t WHERE t.code = c)`, nonNil(p.RequiredTrainings)).Scan(&missing)
	if err == nil && len(missing) > 0 {
		return fieldErr("required_trainings", "%q is not in the trainings catalogue", missing[0])
	}
	return err
}

const postingCols = `p.id::text, p.employer_id::text, COALESCE(p.program_id::text,''), COALESCE(p.worksite_id::text,''),
	COALESCE(p.supervisor_id::text,''), p.title, p.description, COALESCE(p.pathway,''), COALESCE(p.hours_per_week,0)::float8,
	COALESCE(p.schedule,''), p.pay_type, COALESCE(p.pay_cents,0), p.funding_source, p.spot_type, p.spots, p.requirements,
	p.required_trainings, COALESCE(p.deliverable,''), p.deadline::timestamptz, p.status`

func scanPosting(row pgx.Row) (Posting, error) {
	var p Posting
	err := row.Scan(&p.ID, &p.EmployerID, &p.ProgramID, &p.WorksiteID, &p.SupervisorID, &p.Title, &p.Description, &p.Pathway,
		&p.HoursPerWeek, &p.Schedule, &p.PayType, &p.PayCents, &p.FundingSource, &p.SpotType, &p.Spots, &p.Requirements,
		&p.RequiredTrainings, &p.Deliverable, &p.Deadline, &p.Status)
	return p, notFound(err)
}

// DistrictPosting loads a posting of one of the district's employers.
func (s *Store) DistrictPosting(ctx context.Context, districtID, id string) (Posting, error) {
	return postingIn(ctx, s.Pool, districtID, id, false)
}

func postingIn(ctx context.Context, db rowQuerier, districtID, id string, lock bool) (Posting, error) {
	if !isID(id) || !isID(districtID) {
		return Posting{}, ErrNotFound
	}
	q := `SELECT ` + postingCols + ` FROM postings p JOIN employers e ON e.id = p.employer_id WHERE p.id = $1 AND e.district_id = $2`
	if lock {
		q += ` FOR UPDATE OF p`
	}
	return scanPosting(db.QueryRow(ctx, q, id, districtID))
}

// mustJSON marshals maps of strings and plain structs of strings, which
// always marshal.
func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// ErrPostingClosed means a closed posting cannot be published again.
var ErrPostingClosed = errors.New("this posting is closed; create a new posting to hire again")

// SetPostingStatus publishes or closes a posting. Publishing needs a
// worksite (ErrNoWorksite, as a FieldError on worksite_id): checked here
// so the message is clear, and by the schema as the last line of defence.
func (s *Store) SetPostingStatus(ctx context.Context, by Editor, id, status string) (Posting, error) {
	var p Posting
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		before, err := postingIn(ctx, tx, by.DistrictID, id, true)
		if err != nil {
			return err
		}
		switch {
		case status != "published" && status != "closed":
			return fieldErr("status", "a posting can be published or closed")
		case status == "published" && before.Status == "closed":
			return &FieldError{Field: "status", Message: ErrPostingClosed.Error(), Err: ErrPostingClosed}
		case status == "published" && before.WorksiteID == "":
			return &FieldError{Field: "worksite_id", Message: ErrNoWorksite.Error(), Err: ErrNoWorksite}
		}
		if _, err := tx.Exec(ctx, `UPDATE postings SET status = $2 WHERE id = $1`, id, status); err != nil {
			return err
		}
		p = before
		p.Status = status
		if before.Status == status {
			return nil
		}
		return by.write(ctx, tx, AuditEntry{Action: "posting_" + status, EntityKind: "posting", EntityID: id,
			Before: mustJSON(map[string]string{"status": before.Status}), After: mustJSON(map[string]string{"status": status})})
	})
	return p, err
}
