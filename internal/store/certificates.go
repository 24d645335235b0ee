package store

// Certificates of completion (internal/certificate): the facts a
// certificate is issued from, the issued rows with their PDFs, lookups by
// journey and by code, revocation. Issuing runs in the caller's
// transaction (Store.InTx) under a per-journey lock.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// certificateLockClass keys the advisory lock that serialises issuing per
// journey (the journey's activity and a student opening an old link may
// race).
const certificateLockClass = 7_240_430

const lockCertificateIssueSQL = `SELECT pg_advisory_xact_lock($1, hashtext($2))`

// LockCertificateIssue holds the journey's issuing lock until tx ends.
func LockCertificateIssue(ctx context.Context, tx pgx.Tx, journeyID string) error {
	_, err := tx.Exec(ctx, lockCertificateIssueSQL, certificateLockClass, journeyID)
	return err
}

// CertificateFacts are what a certificate will say, from the journey's
// records. Zone is the student's time zone; Ratings the employer's
// ratings as stored (JSON, nil: none given).
type CertificateFacts struct {
	DistrictID, Language, StudentName, School, Program string
	ProgramYear                                        int
	Employer, Title                                    string
	Hours                                              float64
	Started                                            *time.Time
	Zone                                               string
	Ratings                                            []byte
}

const certificateFactsSQL = `
		SELECT s.district_id::text, s.language, COALESCE(NULLIF(s.preferred_name, ''), s.first_name) || ' ' || s.last_name,
			sc.name, pr.name, pr.program_year, COALESCE(e.name, ''), COALESCE(NULLIF(pl.title, ''), po.title, ''),
			COALESCE(v.hours_approved, 0)::float8, COALESCE(v.working_at, v.placed_at),
			COALESCE(NULLIF(s.timezone, ''), NULLIF(sc.timezone, ''), d.timezone), fb.ratings
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		JOIN districts d ON d.id = s.district_id JOIN programs pr ON pr.id = j.program_id
		LEFT JOIN placements pl ON pl.journey_id = j.id LEFT JOIN postings po ON po.id = pl.posting_id
		LEFT JOIN employers e ON e.id = pl.employer_id LEFT JOIN journey_view v ON v.journey_id = j.id
		LEFT JOIN employer_feedback fb ON fb.journey_id = j.id
		WHERE j.id = $1`

// ReadCertificateFacts reads what the journey's certificate will say.
func ReadCertificateFacts(ctx context.Context, tx pgx.Tx, journeyID string) (CertificateFacts, error) {
	var f CertificateFacts
	err := tx.QueryRow(ctx, certificateFactsSQL, journeyID).Scan(&f.DistrictID, &f.Language, &f.StudentName, &f.School,
		&f.Program, &f.ProgramYear, &f.Employer, &f.Title, &f.Hours, &f.Started, &f.Zone, &f.Ratings)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("journey %s: %w", journeyID, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("certificate facts: %w", err)
	}
	return f, nil
}

const certificateCodeTakenSQL = `SELECT EXISTS (SELECT 1 FROM certificates WHERE code = $1)`

// CertificateCodeTaken reports whether a certificate has this code.
func CertificateCodeTaken(ctx context.Context, tx pgx.Tx, code string) (bool, error) {
	var taken bool
	err := tx.QueryRow(ctx, certificateCodeTakenSQL, code).Scan(&taken)
	return taken, err
}

// IssuedCertificate is a certificate's row: what was printed on it.
type IssuedCertificate struct {
	JourneyID, DistrictID, Language, StudentName, School, Program string
	ProgramYear                                                   int
	Employer, Title                                               string
	Hours                                                         float64
	Started                                                       *time.Time
	Completed                                                     time.Time
	Code, DocumentID                                              string
	IssuedAt                                                      time.Time
	RevokedAt                                                     *time.Time
	RevokedReason                                                 string
	// Ratings are the employer's feedback ratings as stored (JSON; nil:
	// none given). They never change once given.
	Ratings []byte
}

const (
	insertCertificatePDFSQL = `INSERT INTO documents (journey_id, kind, filename, content_type, size_bytes, sha256, bytes)
		VALUES ($1, 'certificate', $2, 'application/pdf', $3, $4, $5) RETURNING id::text`
	insertCertificateSQL = `INSERT INTO certificates (journey_id, district_id, code, document_id, language, student_name,
		school_name, program_name, program_year, employer_name, title, hours, started_on, completed_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING issued_at`
)

// InsertCertificate stores the certificate's PDF (sha: its SHA-256) as the
// journey's document and what it certifies as the certificate's row,
// setting c.DocumentID and c.IssuedAt.
func InsertCertificate(ctx context.Context, tx pgx.Tx, c *IssuedCertificate, filename string, pdf, sha []byte) error {
	if err := tx.QueryRow(ctx, insertCertificatePDFSQL,
		c.JourneyID, filename, len(pdf), sha, pdf).Scan(&c.DocumentID); err != nil {
		return err
	}
	return tx.QueryRow(ctx, insertCertificateSQL,
		c.JourneyID, c.DistrictID, c.Code, c.DocumentID, c.Language, c.StudentName, c.School, c.Program, c.ProgramYear,
		c.Employer, c.Title, c.Hours, c.Started, c.Completed).Scan(&c.IssuedAt)
}

const (
	certificateSelect = `SELECT c.journey_id::text, c.district_id::text, c.language, c.student_name, c.school_name,
		c.program_name, c.program_year, c.employer_name, c.title, c.hours::float8, c.started_on, c.completed_on,
		c.code, c.document_id::text, c.issued_at, c.revoked_at, COALESCE(c.revoked_reason, ''), f.ratings
		FROM certificates c LEFT JOIN employer_feedback f ON f.journey_id = c.journey_id WHERE `
	certificateByJourneySQL = certificateSelect + `c.journey_id = $1`
	certificateByCodeSQL    = certificateSelect + `c.code = $1 AND c.district_id = $2`
)

// CertificateOfJourney reads the journey's certificate (ErrNotFound: none
// issued yet); q is the pool or the issuing transaction.
func CertificateOfJourney(ctx context.Context, q RowQuerier, journeyID string) (IssuedCertificate, error) {
	return readCertificate(ctx, q, certificateByJourneySQL, journeyID)
}

// CertificateOfJourney is CertificateOfJourney outside a transaction.
func (s *Store) CertificateOfJourney(ctx context.Context, journeyID string) (IssuedCertificate, error) {
	return CertificateOfJourney(ctx, s.Pool, journeyID)
}

// CertificateByCode reads the district's certificate with this code
// (ErrNotFound: none, or another district's).
func (s *Store) CertificateByCode(ctx context.Context, districtID, code string) (IssuedCertificate, error) {
	return readCertificate(ctx, s.Pool, certificateByCodeSQL, code, districtID)
}

func readCertificate(ctx context.Context, q RowQuerier, sql string, args ...any) (IssuedCertificate, error) {
	var c IssuedCertificate
	err := q.QueryRow(ctx, sql, args...).
		Scan(&c.JourneyID, &c.DistrictID, &c.Language, &c.StudentName, &c.School, &c.Program, &c.ProgramYear, &c.Employer,
			&c.Title, &c.Hours, &c.Started, &c.Completed, &c.Code, &c.DocumentID, &c.IssuedAt, &c.RevokedAt, &c.RevokedReason, &c.Ratings)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load certificate: %w", err)
	}
	return c, nil
}

const revokeCertificateSQL = `UPDATE certificates SET revoked_at = COALESCE(revoked_at, now()),
		revoked_by = COALESCE(revoked_by, NULLIF($3, '')::uuid), revoked_reason = COALESCE(revoked_reason, $4)
		WHERE code = $1 AND district_id = $2 RETURNING journey_id::text`

// RevokeCertificate withdraws the district's certificate with this code
// (keeping a first revocation) and returns its journey (ErrNotFound: none).
func (s *Store) RevokeCertificate(ctx context.Context, districtID, code, staffID, reason string) (string, error) {
	var journeyID string
	err := s.Pool.QueryRow(ctx, revokeCertificateSQL, code, districtID, staffID, reason).Scan(&journeyID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("revoke certificate: %w", err)
	}
	return journeyID, nil
}
