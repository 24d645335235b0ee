package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PendingMOU is an employer's MOU waiting for the district's approval.
type PendingMOU struct {
	ID                 string
	EmployerID         string
	EmployerName       string
	ProgramYear        int
	WorkflowID         string
	Status             string
	DocumentID         string
	EmployerSignedAt   *time.Time
	ImplementationDate *time.Time
	WaitingJourneys    int
	// PlannedStart is when interns are planned to start and ExpiresOn the
	// MOU's last day (nil for MOUs drafted before they were kept).
	PlannedStart *time.Time
	ExpiresOn    *time.Time
}

const mouSelect = `
	SELECT m.id::text, m.employer_id::text, e.name, m.program_year, m.workflow_id, m.status,
		COALESCE(m.document_id::text, ''), m.employer_signed_at, m.implementation_date::timestamptz,
		(SELECT count(*)::int FROM placements pl JOIN journey_view jv ON jv.journey_id = pl.journey_id
			WHERE pl.employer_id = m.employer_id AND jv.stage = 'mou_gate'),
		m.planned_start::timestamptz, m.expires_on::timestamptz
	FROM mous m JOIN employers e ON e.id = m.employer_id`

// PendingMOUs lists the district's MOUs the employer has signed and the
// district has not yet approved, oldest signature first.
func (s *Store) PendingMOUs(ctx context.Context, districtID string) ([]PendingMOU, error) {
	rows, err := s.Pool.Query(ctx, mouSelect+` WHERE e.district_id = $1 AND m.status = 'employer_signed'
		ORDER BY m.employer_signed_at NULLS LAST, e.name`, districtID)
	if err != nil {
		return nil, fmt.Errorf("pending mous: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[PendingMOU])
}

// ScopedMOU loads one MOU of the district (ErrNotFound otherwise).
func (s *Store) ScopedMOU(ctx context.Context, districtID, mouID string) (PendingMOU, error) {
	rows, err := s.Pool.Query(ctx, mouSelect+` WHERE e.district_id = $1 AND m.id = $2`, districtID, mouID)
	if err != nil {
		return PendingMOU{}, fmt.Errorf("mou: %w", err)
	}
	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByPos[PendingMOU])
	return m, notFound(err)
}

// ScopedMOUDocument loads an MOU's document when the MOU is the district's.
func (s *Store) ScopedMOUDocument(ctx context.Context, districtID, mouID string) (Document, error) {
	var d Document
	err := s.Pool.QueryRow(ctx, `
		SELECT d.id::text, d.kind, d.filename, d.content_type, d.size_bytes, d.sha256, COALESCE(d.bytes, '')
		FROM mous m JOIN employers e ON e.id = m.employer_id JOIN documents d ON d.id = m.document_id
		WHERE m.id = $1 AND e.district_id = $2`, mouID, districtID).
		Scan(&d.ID, &d.Kind, &d.Filename, &d.ContentType, &d.Size, &d.SHA256, &d.Bytes)
	return d, notFound(err)
}

// waitingOnSQL is the party a journey waits on as staff read it. The
// journey itself only knows it waits at the MOU gate ("mou"); until the
// employer has signed the MOU for the journey's program year the wait is
// on the employer, and only then on the district's approver.
const waitingOnSQL = `CASE WHEN jv.waiting_on = 'mou' AND ` + mouUnsignedSQL + ` THEN 'employer' ELSE jv.waiting_on END`

// mouUnsignedSQL holds when the employer of journey jv has not signed its
// MOU (or none has been drafted yet).
const mouUnsignedSQL = `NOT EXISTS (SELECT 1 FROM placements pl
		JOIN journeys mj ON mj.id = pl.journey_id
		JOIN mous m ON m.employer_id = pl.employer_id AND m.program_year = mj.program_year
		WHERE pl.journey_id = jv.journey_id AND m.status <> 'drafted')`

// waitingOnCondition filters on the party as staff read it (waitingOnSQL)
// while the plain comparison keeps using the index.
func waitingOnCondition(q *sqlQuery, party string) {
	switch party {
	case "employer":
		q.and("(jv.waiting_on = 'employer' OR (jv.waiting_on = 'mou' AND " + mouUnsignedSQL + "))")
	case "mou":
		q.and("jv.waiting_on = 'mou' AND NOT " + mouUnsignedSQL)
	default:
		q.and("jv.waiting_on = " + q.arg(party))
	}
}
