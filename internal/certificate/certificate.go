// Package certificate issues a student's certificate of completion: a PDF
// in the student's language (hours approved, employer, dates, the skills
// the employer rated, school and program) with a short verification code
// that district staff can look up.
//
// A certificate is issued once, when the journey completes (the journey's
// IssueCertificate activity), and stored as a document with its hash: it
// is a record of what was certified that day, like a signed permit, so the
// bytes a student shares never change under them and the verification
// page shows exactly what was printed. A record corrected later does not
// rewrite it; staff revoke it instead. Journeys that completed before
// certificates existed get theirs on demand, from the same Issue.
package certificate

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/internflow/internflow/internal/locale"
	"github.com/internflow/internflow/internal/store"
)

// Facts are what a certificate certifies.
type Facts struct {
	JourneyID   string
	DistrictID  string
	Language    string // "en" or "es": the student's
	StudentName string
	School      string
	Program     string
	ProgramYear int
	Employer    string // "" when the journey had no placement
	Title       string
	Hours       float64
	// Started is the first day of work (nil when unknown); Completed the
	// day the journey completed, both in the student's time zone.
	Started   *time.Time
	Completed time.Time
	// Ratings are the employer's 1-5 ratings by skill (nil: none given).
	Ratings map[string]int
}

// Certificate is an issued certificate.
type Certificate struct {
	Facts
	Code          string
	DocumentID    string
	IssuedAt      time.Time
	RevokedAt     *time.Time
	RevokedReason string
}

// Valid reports whether the certificate still stands.
func (c Certificate) Valid() bool { return c.RevokedAt == nil }

// Issuer issues and looks up certificates in PostgreSQL.
type Issuer struct {
	Pool *pgxpool.Pool
}

// lockClass keys the advisory lock that serialises issuing per journey
// (the journey's activity and a student opening an old link may race).
const lockClass = 7_240_430

// Issue returns the journey's certificate, issuing it first if it has
// none: the facts are read from the records, the PDF rendered and stored,
// a fresh code drawn. Calling it again (a retried activity, the page)
// returns the same certificate, so it is issued exactly once.
// completedAt is when the journey completed.
func (i *Issuer) Issue(ctx context.Context, journeyID string, completedAt time.Time) (Certificate, error) {
	var c Certificate
	err := pgx.BeginFunc(ctx, i.Pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClass, journeyID); err != nil {
			return err
		}
		var err error
		if c, err = load(ctx, tx, `c.journey_id = $1`, journeyID); err == nil || !errors.Is(err, store.ErrNotFound) {
			return err
		}
		f, err := loadFacts(ctx, tx, journeyID, completedAt)
		if err != nil {
			return err
		}
		code, err := freshCode(ctx, tx)
		if err != nil {
			return err
		}
		c = Certificate{Facts: f, Code: code}
		return save(ctx, tx, &c)
	})
	if err != nil {
		return Certificate{}, fmt.Errorf("issue certificate for journey %s: %w", journeyID, err)
	}
	return c, nil
}

// save renders the certificate and stores it: the PDF as the journey's
// document (with its hash), what it certifies as the certificate's row.
func save(ctx context.Context, tx pgx.Tx, c *Certificate) error {
	pdf, err := Render(*c)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(pdf)
	name := "certificate-of-completion.pdf"
	if c.Language == "es" {
		name = "certificado-de-finalizacion.pdf"
	}
	if err := tx.QueryRow(ctx, `INSERT INTO documents (journey_id, kind, filename, content_type, size_bytes, sha256, bytes)
		VALUES ($1, 'certificate', $2, 'application/pdf', $3, $4, $5) RETURNING id::text`,
		c.JourneyID, name, len(pdf), sum[:], pdf).Scan(&c.DocumentID); err != nil {
		return err
	}
	return tx.QueryRow(ctx, `INSERT INTO certificates (journey_id, district_id, code, document_id, language, student_name,
		school_name, program_name, program_year, employer_name, title, hours, started_on, completed_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING issued_at`,
		c.JourneyID, c.DistrictID, c.Code, c.DocumentID, c.Language, c.StudentName, c.School, c.Program, c.ProgramYear,
		c.Employer, c.Title, c.Hours, c.Started, c.Completed).Scan(&c.IssuedAt)
}

// IssueDocument is Issue for the journey's activity: the id of the
// certificate's document.
func (i *Issuer) IssueDocument(ctx context.Context, journeyID string, completedAt time.Time) (string, error) {
	c, err := i.Issue(ctx, journeyID, completedAt)
	return c.DocumentID, err
}

// ForJourney returns the journey's certificate (store.ErrNotFound: none
// issued yet).
func (i *Issuer) ForJourney(ctx context.Context, journeyID string) (Certificate, error) {
	return load(ctx, i.Pool, `c.journey_id = $1`, journeyID)
}

// Lookup finds a certificate by its printed code within a district. A code
// of another district is not found, exactly like an unknown one: staff
// verify their own district's certificates, and codes cannot be probed.
func (i *Issuer) Lookup(ctx context.Context, districtID, code string) (Certificate, error) {
	norm, ok := NormalizeCode(code)
	if !ok {
		return Certificate{}, store.ErrNotFound
	}
	return load(ctx, i.Pool, `c.code = $1 AND c.district_id = $2`, norm, districtID)
}

// Revoke withdraws a certificate of the district with a reason (kept on
// the certificate and shown when it is verified) and returns its journey.
// Revoking twice keeps the first revocation.
func (i *Issuer) Revoke(ctx context.Context, districtID, code, staffID, reason string) (string, error) {
	norm, ok := NormalizeCode(code)
	if !ok {
		return "", store.ErrNotFound
	}
	var journeyID string
	err := i.Pool.QueryRow(ctx, `UPDATE certificates SET revoked_at = COALESCE(revoked_at, now()),
		revoked_by = COALESCE(revoked_by, NULLIF($3, '')::uuid), revoked_reason = COALESCE(revoked_reason, $4)
		WHERE code = $1 AND district_id = $2 RETURNING journey_id::text`, norm, districtID, staffID, reason).Scan(&journeyID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", store.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("revoke certificate: %w", err)
	}
	return journeyID, nil
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// load reads one certificate (what was printed on it, from its row; the
// ratings from the employer's feedback, which never changes once given).
func load(ctx context.Context, q querier, where string, args ...any) (Certificate, error) {
	var c Certificate
	var ratings []byte
	err := q.QueryRow(ctx, `SELECT c.journey_id::text, c.district_id::text, c.language, c.student_name, c.school_name,
		c.program_name, c.program_year, c.employer_name, c.title, c.hours::float8, c.started_on, c.completed_on,
		c.code, c.document_id::text, c.issued_at, c.revoked_at, COALESCE(c.revoked_reason, ''), f.ratings
		FROM certificates c LEFT JOIN employer_feedback f ON f.journey_id = c.journey_id WHERE `+where, args...).
		Scan(&c.JourneyID, &c.DistrictID, &c.Language, &c.StudentName, &c.School, &c.Program, &c.ProgramYear, &c.Employer,
			&c.Title, &c.Hours, &c.Started, &c.Completed, &c.Code, &c.DocumentID, &c.IssuedAt, &c.RevokedAt, &c.RevokedReason, &ratings)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, store.ErrNotFound
	}
	if err != nil {
		return c, fmt.Errorf("load certificate: %w", err)
	}
	if ratings != nil {
		if err := json.Unmarshal(ratings, &c.Ratings); err != nil {
			return c, fmt.Errorf("certificate ratings: %w", err)
		}
	}
	return c, nil
}

// loadFacts reads what the certificate will say from the journey's records.
func loadFacts(ctx context.Context, tx pgx.Tx, journeyID string, completedAt time.Time) (Facts, error) {
	f := Facts{JourneyID: journeyID}
	var zone string
	var started *time.Time
	var ratings []byte
	err := tx.QueryRow(ctx, `
		SELECT s.district_id::text, s.language, COALESCE(NULLIF(s.preferred_name, ''), s.first_name) || ' ' || s.last_name,
			sc.name, pr.name, pr.program_year, COALESCE(e.name, ''), COALESCE(NULLIF(pl.title, ''), po.title, ''),
			COALESCE(v.hours_approved, 0)::float8, COALESCE(v.working_at, v.placed_at),
			COALESCE(NULLIF(s.timezone, ''), NULLIF(sc.timezone, ''), d.timezone), fb.ratings
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN schools sc ON sc.id = s.school_id
		JOIN districts d ON d.id = s.district_id JOIN programs pr ON pr.id = j.program_id
		LEFT JOIN placements pl ON pl.journey_id = j.id LEFT JOIN postings po ON po.id = pl.posting_id
		LEFT JOIN employers e ON e.id = pl.employer_id LEFT JOIN journey_view v ON v.journey_id = j.id
		LEFT JOIN employer_feedback fb ON fb.journey_id = j.id
		WHERE j.id = $1`, journeyID).Scan(&f.DistrictID, &f.Language, &f.StudentName, &f.School, &f.Program, &f.ProgramYear,
		&f.Employer, &f.Title, &f.Hours, &started, &zone, &ratings)
	if errors.Is(err, pgx.ErrNoRows) {
		return f, fmt.Errorf("journey %s: %w", journeyID, store.ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("certificate facts: %w", err)
	}
	if ratings != nil {
		if err := json.Unmarshal(ratings, &f.Ratings); err != nil {
			return f, fmt.Errorf("certificate ratings: %w", err)
		}
	}
	loc := locale.New(f.Language, zone).Location()
	f.Completed = dateIn(completedAt, loc)
	if started != nil {
		d := dateIn(*started, loc)
		f.Started = &d
	}
	return f, nil
}

// dateIn is the calendar day of t where the student lives, as a date.
func dateIn(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// freshCode draws a code no certificate has yet. A collision is one in
// 2^60 per certificate; drawing again keeps one from failing an issue.
func freshCode(ctx context.Context, tx pgx.Tx) (string, error) {
	for {
		code := NewCode()
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM certificates WHERE code = $1)`, code).Scan(&taken); err != nil || !taken {
			return code, err
		}
	}
}

// codeAlphabet has no 0/O or 1/I, so a code read aloud or typed from
// paper cannot be mistaken.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// NewCode draws a verification code: 12 characters of 32 (60 random bits),
// grouped by four ("7KQ4-M2XP-9RTB").
func NewCode() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	var s strings.Builder
	for i, v := range b {
		if i > 0 && i%4 == 0 {
			s.WriteByte('-')
		}
		s.WriteByte(codeAlphabet[int(v)%len(codeAlphabet)]) // 256 is a multiple of 32: no bias
	}
	return s.String()
}

// NormalizeCode reads a code as a person types it (any case, spaces or
// dashes anywhere, O for 0 is not needed: neither is in the alphabet) and
// returns its printed form, or false when it cannot be a code.
func NormalizeCode(in string) (string, bool) {
	var chars []byte
	for _, r := range strings.ToUpper(in) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r < 128 && strings.IndexByte(codeAlphabet, byte(r)) >= 0:
			chars = append(chars, byte(r))
		default:
			return "", false
		}
	}
	if len(chars) != 12 {
		return "", false
	}
	return string(chars[0:4]) + "-" + string(chars[4:8]) + "-" + string(chars[8:12]), true
}
