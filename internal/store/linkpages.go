package store

// The link pages' reads and writes (internal/web): what a page shows a
// student, parent or employer who opened an action link, and the little
// each page writes besides its journey update (consent, a home address).

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// LinkJourney is what the link pages need to know about a link's journey.
type LinkJourney struct {
	ID, Status                                 string
	StudentID, DistrictID, SchoolID, ProgramID string
	ProgramKind                                string
	ProgramYear                                int
}

const linkJourneySQL = `
		SELECT j.id, j.status, j.student_id, s.district_id, s.school_id, j.program_id, p.kind, j.program_year
		FROM journeys j JOIN students s ON s.id = j.student_id JOIN programs p ON p.id = j.program_id
		WHERE j.id = $1`

// LinkJourney reads the journey a link belongs to.
func (s *Store) LinkJourney(ctx context.Context, journeyID string) (LinkJourney, error) {
	var j LinkJourney
	err := s.Pool.QueryRow(ctx, linkJourneySQL, journeyID).Scan(&j.ID, &j.Status, &j.StudentID, &j.DistrictID,
		&j.SchoolID, &j.ProgramID, &j.ProgramKind, &j.ProgramYear)
	return j, err
}

// personLanguageSQL reads a person's language by kind. id = $1::uuid, not
// id::text = $1: the cast on the column would read every row of the table
// on each page (text storm: 125 ms a page at 50,000 students, against
// 0.03 ms by the primary key).
var personLanguageSQL = map[string]string{
	"student":    `SELECT language FROM students WHERE id = $1::uuid`,
	"guardian":   `SELECT language FROM guardians WHERE id = $1::uuid`,
	"supervisor": `SELECT language FROM supervisors WHERE id = $1::uuid`,
}

// PersonLanguage is the language on a person's record ("" if none, or a
// kind that has no record of its own). ref must be a uuid.
func (s *Store) PersonLanguage(ctx context.Context, kind, ref string) (string, error) {
	q := personLanguageSQL[kind]
	if q == "" {
		return "", nil
	}
	var lang string
	err := s.Pool.QueryRow(ctx, q, ref).Scan(&lang)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return lang, err
}

// personZoneSQL reads the time zone a person lives by: their own, else
// their school's (a parent: the student's) or employer's, else the
// district's.
var personZoneSQL = map[string]string{
	"student": `SELECT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone, '')
			FROM students s JOIN schools sc ON sc.id = s.school_id JOIN districts d ON d.id = s.district_id WHERE s.id = $1::uuid`,
	"guardian": `SELECT COALESCE(NULLIF(s.timezone,''), NULLIF(sc.timezone,''), d.timezone, '')
			FROM guardians g JOIN students s ON s.id = g.student_id JOIN schools sc ON sc.id = s.school_id
			JOIN districts d ON d.id = s.district_id WHERE g.id = $1::uuid`,
	"supervisor": `SELECT COALESCE(NULLIF(sp.timezone,''), NULLIF(e.timezone,''), d.timezone, '')
			FROM supervisors sp JOIN employers e ON e.id = sp.employer_id JOIN districts d ON d.id = e.district_id WHERE sp.id = $1::uuid`,
	"employer": `SELECT COALESCE(NULLIF(e.timezone,''), d.timezone, '')
			FROM employers e JOIN districts d ON d.id = e.district_id WHERE e.id = $1::uuid`,
}

// PersonZone is the name of the time zone a person lives by (ErrNotFound
// for a kind without one). ref must be a uuid.
func (s *Store) PersonZone(ctx context.Context, kind, ref string) (string, error) {
	q := personZoneSQL[kind]
	if q == "" {
		return "", ErrNotFound
	}
	var zone string
	err := s.Pool.QueryRow(ctx, q, ref).Scan(&zone)
	return zone, err
}

// ESignConsent is a person's recorded "I agree" on one signing link.
type ESignConsent struct {
	At            time.Time
	DisclosureSHA string
	Language      string
}

const eSignConsentSQL = `SELECT consented_at, disclosure_sha256, language FROM esign_consents WHERE link_id = $1`

// ESignConsent returns the consent recorded on the link (nil: none yet).
func (s *Store) ESignConsent(ctx context.Context, linkID string) (*ESignConsent, error) {
	var cs ESignConsent
	err := s.Pool.QueryRow(ctx, eSignConsentSQL, linkID).Scan(&cs.At, &cs.DisclosureSHA, &cs.Language)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &cs, nil
}

// NewESignConsent is the agreement a signer gives on a link, with the
// evidence kept beside it.
type NewESignConsent struct {
	LinkID, PersonKind, PersonRef string
	DisclosureSHA, Language       string
	DocumentSHA256                []byte
	IP, UserAgent                 string
}

const recordESignConsentSQL = `INSERT INTO esign_consents (link_id, person_kind, person_ref, disclosure_sha256,
			language, document_sha256, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (link_id) DO NOTHING`

// RecordESignConsent stores a consent; agreeing twice keeps the first.
func (s *Store) RecordESignConsent(ctx context.Context, c NewESignConsent) error {
	_, err := s.Pool.Exec(ctx, recordESignConsentSQL,
		c.LinkID, c.PersonKind, c.PersonRef, c.DisclosureSHA, c.Language, c.DocumentSHA256, c.IP, c.UserAgent)
	return err
}

const studentAddressMissingSQL = `SELECT COALESCE(address_line1, '') = '' FROM students WHERE id = $1`

// StudentAddressMissing reports whether a student has no home address on
// record.
func (s *Store) StudentAddressMissing(ctx context.Context, studentID string) (bool, error) {
	var missing bool
	err := s.Pool.QueryRow(ctx, studentAddressMissingSQL, studentID).Scan(&missing)
	return missing, err
}

// HomeAddress is a student's home address as a permit prints it.
type HomeAddress struct{ Line1, City, State, Zip string }

const fillStudentAddressSQL = `UPDATE students SET address_line1 = $2, city = $3, state = $4, postal_code = $5, updated_at = now()
		WHERE id = $1 AND COALESCE(address_line1, '') = ''`

// FillStudentAddress records the address only where none is recorded: a
// signing link fills a gap, it never overwrites what the school has.
func (s *Store) FillStudentAddress(ctx context.Context, studentID string, a HomeAddress) error {
	_, err := s.Pool.Exec(ctx, fillStudentAddressSQL, studentID, a.Line1, a.City, a.State, a.Zip)
	return err
}

const studentFirstNameSQL = `SELECT COALESCE(NULLIF(preferred_name,''), first_name) FROM students WHERE id = $1`

// StudentFirstName is the student's preferred (else first) name.
func (s *Store) StudentFirstName(ctx context.Context, studentID string) (string, error) {
	var name string
	err := s.Pool.QueryRow(ctx, studentFirstNameSQL, studentID).Scan(&name)
	return name, err
}

const journeyClosedAtSQL = `SELECT COALESCE(closed_at, now()) FROM journeys WHERE id = $1`

// JourneyClosedAt is when the journey closed (now, if it has not).
func (s *Store) JourneyClosedAt(ctx context.Context, journeyID string) (time.Time, error) {
	var closed time.Time
	err := s.Pool.QueryRow(ctx, journeyClosedAtSQL, journeyID).Scan(&closed)
	return closed, err
}

const documentBySHASQL = `SELECT id FROM documents WHERE journey_id = $1 AND kind = $2 AND sha256 = $3
		ORDER BY created_at LIMIT 1`

// DocumentBySHA is the first document of the journey of this kind with
// these bytes (ErrNotFound: none).
func (s *Store) DocumentBySHA(ctx context.Context, journeyID, kind string, sha []byte) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, documentBySHASQL, journeyID, kind, sha).Scan(&id)
	return id, notFound(err)
}

const (
	boundPermitDocumentSQL = `SELECT d.id FROM work_permits w JOIN documents d ON d.id = w.document_id WHERE w.journey_id::text = $1 AND d.sha256 = $2`
	boundMOUDocumentSQL    = `SELECT d.id FROM mous m JOIN documents d ON d.id = m.document_id WHERE m.employer_id::text = $1 AND d.sha256 = $2`
)

// BoundPermitDocument is the journey's permit document with these bytes.
func (s *Store) BoundPermitDocument(ctx context.Context, journeyID string, sha []byte) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, boundPermitDocumentSQL, journeyID, sha).Scan(&id)
	return id, err
}

// BoundMOUDocument is the employer's MOU document with these bytes.
func (s *Store) BoundMOUDocument(ctx context.Context, employerID string, sha []byte) (string, error) {
	var id string
	err := s.Pool.QueryRow(ctx, boundMOUDocumentSQL, employerID, sha).Scan(&id)
	return id, err
}
