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
	Store *store.Store
}

// Issue returns the journey's certificate, issuing it first if it has
// none: the facts are read from the records, the PDF rendered and stored,
// a fresh code drawn. Calling it again (a retried activity, the page)
// returns the same certificate, so it is issued exactly once.
// completedAt is when the journey completed.
func (i *Issuer) Issue(ctx context.Context, journeyID string, completedAt time.Time) (Certificate, error) {
	var c Certificate
	err := i.Store.InTx(ctx, func(tx pgx.Tx) error {
		// Serialised per journey: the journey's activity and a student
		// opening an old link may race.
		if err := store.LockCertificateIssue(ctx, tx, journeyID); err != nil {
			return err
		}
		var err error
		if c, err = certificateOf(store.CertificateOfJourney(ctx, tx, journeyID)); err == nil || !errors.Is(err, store.ErrNotFound) {
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
	row := store.IssuedCertificate{JourneyID: c.JourneyID, DistrictID: c.DistrictID, Language: c.Language,
		StudentName: c.StudentName, School: c.School, Program: c.Program, ProgramYear: c.ProgramYear, Employer: c.Employer,
		Title: c.Title, Hours: c.Hours, Started: c.Started, Completed: c.Completed, Code: c.Code}
	err = store.InsertCertificate(ctx, tx, &row, name, pdf, sum[:])
	c.DocumentID, c.IssuedAt = row.DocumentID, row.IssuedAt
	return err
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
	return certificateOf(i.Store.CertificateOfJourney(ctx, journeyID))
}

// Lookup finds a certificate by its printed code within a district. A code
// of another district is not found, exactly like an unknown one: staff
// verify their own district's certificates, and codes cannot be probed.
func (i *Issuer) Lookup(ctx context.Context, districtID, code string) (Certificate, error) {
	norm, ok := NormalizeCode(code)
	if !ok {
		return Certificate{}, store.ErrNotFound
	}
	return certificateOf(i.Store.CertificateByCode(ctx, districtID, norm))
}

// Revoke withdraws a certificate of the district with a reason (kept on
// the certificate and shown when it is verified) and returns its journey.
// Revoking twice keeps the first revocation.
func (i *Issuer) Revoke(ctx context.Context, districtID, code, staffID, reason string) (string, error) {
	norm, ok := NormalizeCode(code)
	if !ok {
		return "", store.ErrNotFound
	}
	return i.Store.RevokeCertificate(ctx, districtID, norm, staffID, reason)
}

// certificateOf is the certificate a stored row says was printed (the
// ratings from the employer's feedback, which never changes once given).
func certificateOf(r store.IssuedCertificate, err error) (Certificate, error) {
	c := Certificate{Facts: Facts{JourneyID: r.JourneyID, DistrictID: r.DistrictID, Language: r.Language,
		StudentName: r.StudentName, School: r.School, Program: r.Program, ProgramYear: r.ProgramYear, Employer: r.Employer,
		Title: r.Title, Hours: r.Hours, Started: r.Started, Completed: r.Completed},
		Code: r.Code, DocumentID: r.DocumentID, IssuedAt: r.IssuedAt, RevokedAt: r.RevokedAt, RevokedReason: r.RevokedReason}
	if err != nil {
		return c, err
	}
	if r.Ratings != nil {
		if err := json.Unmarshal(r.Ratings, &c.Ratings); err != nil {
			return c, fmt.Errorf("certificate ratings: %w", err)
		}
	}
	return c, nil
}

// loadFacts reads what the certificate will say from the journey's records.
func loadFacts(ctx context.Context, tx pgx.Tx, journeyID string, completedAt time.Time) (Facts, error) {
	f := Facts{JourneyID: journeyID}
	r, err := store.ReadCertificateFacts(ctx, tx, journeyID)
	if err != nil {
		return f, err
	}
	f.DistrictID, f.Language, f.StudentName, f.School, f.Program = r.DistrictID, r.Language, r.StudentName, r.School, r.Program
	f.ProgramYear, f.Employer, f.Title, f.Hours = r.ProgramYear, r.Employer, r.Title, r.Hours
	zone, started, ratings := r.Zone, r.Started, r.Ratings
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
		if taken, err := store.CertificateCodeTaken(ctx, tx, code); err != nil || !taken {
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
