package store

// Work permits (internal/permit): the record a permit version is drawn
// from, the versions and signed PDFs, and the signatures' evidence. The
// drawing happens between these statements, so most take the caller's
// transaction (Store.InTx, Store.InReadTx).

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PermitRecord is what a permit form is pre-filled from: the student
// record and the placement.
type PermitRecord struct {
	StudentName             string
	DateOfBirth             *time.Time
	School                  string
	Grade                   *int16
	Line1, City, State, Zip string // the student's home address
	Employer                string
	Site                    SiteAddress
	Supervisor, JobTitle    string
	HoursPerWeek            *float64
	Schedule, PayType       string
	PayCents                *float64
	ProgramYear             int
	Spanish                 bool // the student or a parent reads Spanish
}

const permitRecordSQL = `
		SELECT s.first_name || ' ' || s.last_name, s.date_of_birth, sc.name, s.grade,
			COALESCE(s.address_line1,''), COALESCE(s.city,''), COALESCE(s.state,''), COALESCE(s.postal_code,''),
			e.name, COALESCE(w.name,''), COALESCE(w.address_line1,''), COALESCE(w.city,''), COALESCE(w.state,''), COALESCE(w.postal_code,''), COALESCE(w.remote,false),
			COALESCE(sv.name,''), p.title, p.hours_per_week::float8, COALESCE(p.schedule,''), p.pay_type, p.pay_cents::float8, j.program_year,
			s.language = 'es' OR EXISTS (SELECT 1 FROM guardians g WHERE g.student_id = s.id AND g.language = 'es')
		FROM journeys j
		JOIN students s ON s.id = j.student_id
		JOIN schools sc ON sc.id = s.school_id
		JOIN placements pl ON pl.journey_id = j.id
		JOIN postings p ON p.id = pl.posting_id
		JOIN employers e ON e.id = pl.employer_id
		LEFT JOIN worksites w ON w.id = COALESCE(pl.worksite_id, p.worksite_id)
		LEFT JOIN supervisors sv ON sv.id = COALESCE(pl.supervisor_id, p.supervisor_id)
		WHERE j.id = $1`

// ReadPermitRecord reads a journey's student and placement as a permit
// prints them.
func ReadPermitRecord(ctx context.Context, tx pgx.Tx, journeyID string) (PermitRecord, error) {
	var r PermitRecord
	w := &r.Site
	err := tx.QueryRow(ctx, permitRecordSQL, journeyID).Scan(&r.StudentName, &r.DateOfBirth, &r.School, &r.Grade,
		&r.Line1, &r.City, &r.State, &r.Zip, &r.Employer, &w.Name, &w.Line1, &w.City, &w.State, &w.Zip, &w.Remote,
		&r.Supervisor, &r.JobTitle, &r.HoursPerWeek, &r.Schedule, &r.PayType, &r.PayCents, &r.ProgramYear, &r.Spanish)
	return r, err
}

// PermitCorrection is one field staff corrected for a permit version.
type PermitCorrection struct{ Field, Value string }

const permitCorrectionsSQL = `SELECT field, value FROM permit_corrections
		WHERE journey_id = $1 AND version <= $2 ORDER BY version, id`

// PermitCorrections are the corrections made up to version, in the order
// they were made (a later correction of a field wins).
func PermitCorrections(ctx context.Context, tx pgx.Tx, journeyID string, version int) ([]PermitCorrection, error) {
	rows, err := tx.Query(ctx, permitCorrectionsSQL, journeyID, version)
	if err != nil {
		return nil, fmt.Errorf("permit corrections of %s: %w", journeyID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PermitCorrection, error) {
		var c PermitCorrection
		return c, r.Scan(&c.Field, &c.Value)
	})
}

const permitVersionDocumentSQL = `SELECT d.id, d.sha256 FROM work_permits w JOIN documents d ON d.id = w.document_id
			WHERE w.journey_id = $1 AND w.version = $2`

// PermitVersionDocument is the document of a permit version already drawn.
func PermitVersionDocument(ctx context.Context, tx pgx.Tx, journeyID string, version int) (id string, sha []byte, err error) {
	err = tx.QueryRow(ctx, permitVersionDocumentSQL, journeyID, version).Scan(&id, &sha)
	return id, sha, err
}

const insertPermitVersionSQL = `INSERT INTO work_permits (journey_id, version, document_id, fields_sha256) VALUES ($1, $2, $3, $4)`

// InsertPermitVersion records a drawn permit version and the hash of the
// fields it was drawn from.
func InsertPermitVersion(ctx context.Context, tx pgx.Tx, journeyID string, version int, documentID string, fieldsSHA []byte) error {
	_, err := tx.Exec(ctx, insertPermitVersionSQL, journeyID, version, documentID, fieldsSHA)
	return err
}

const permitDrawnFromSQL = `SELECT w.fields_sha256, d.sha256 FROM work_permits w JOIN documents d ON d.id = w.document_id
			WHERE w.journey_id = $1 AND w.version = $2`

// PermitDrawnFrom is the hash of the fields a permit version was drawn
// from and the hash of the PDF drawn; both nil when there is no such
// version, fieldsSHA alone nil for a version drawn before it was kept.
func PermitDrawnFrom(ctx context.Context, tx pgx.Tx, journeyID string, version int) (fieldsSHA, docSHA []byte, err error) {
	err = tx.QueryRow(ctx, permitDrawnFromSQL, journeyID, version).Scan(&fieldsSHA, &docSHA)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	}
	return fieldsSHA, docSHA, err
}

const insertPDFSQL = `INSERT INTO documents (journey_id, kind, filename, content_type, size_bytes, sha256, bytes)
		VALUES ($1, $2, $3, 'application/pdf', $4, $5, $6) RETURNING id`

// InsertPDF stores a PDF of the journey; sha is its SHA-256.
func InsertPDF(ctx context.Context, tx pgx.Tx, journeyID, kind, name string, body, sha []byte) (string, error) {
	var id string
	err := tx.QueryRow(ctx, insertPDFSQL, journeyID, kind, name, len(body), sha, body).Scan(&id)
	return id, err
}

// PermitToFinalize is a permit version about to get its signed PDF.
type PermitToFinalize struct {
	ID, DocumentID string
	SignedPDF      *string // set once finalized
}

const permitToFinalizeSQL = `SELECT id, document_id, signed_pdf_id::text FROM work_permits WHERE journey_id = $1 AND version = $2`

// ReadPermitToFinalize reads a permit version.
func ReadPermitToFinalize(ctx context.Context, tx pgx.Tx, journeyID string, version int) (PermitToFinalize, error) {
	var p PermitToFinalize
	err := tx.QueryRow(ctx, permitToFinalizeSQL, journeyID, version).Scan(&p.ID, &p.DocumentID, &p.SignedPDF)
	return p, err
}

const setSignedPDFSQL = `UPDATE work_permits SET signed_pdf_id = $2 WHERE id = $1`

// SetSignedPDF links the signed PDF to its permit version.
func SetSignedPDF(ctx context.Context, tx pgx.Tx, permitID, documentID string) error {
	_, err := tx.Exec(ctx, setSignedPDFSQL, permitID, documentID)
	return err
}

// PermitDecision is the signed-for document's hash and who approved it.
type PermitDecision struct {
	DocumentSHA256 []byte
	DecidedBy      string
	DecidedAt      time.Time
}

const permitDecisionSQL = `SELECT d.sha256, COALESCE(s.name, ''), COALESCE(w.decided_at, now())
		FROM work_permits w JOIN documents d ON d.id = w.document_id LEFT JOIN staff s ON s.id = w.decided_by
		WHERE w.id = $1`

// ReadPermitDecision reads a permit version's hash and approval.
func ReadPermitDecision(ctx context.Context, tx pgx.Tx, permitID string) (PermitDecision, error) {
	var d PermitDecision
	err := tx.QueryRow(ctx, permitDecisionSQL, permitID).Scan(&d.DocumentSHA256, &d.DecidedBy, &d.DecidedAt)
	return d, err
}

// SignatureEvidence is one signature with the evidence kept with it.
type SignatureEvidence struct {
	Role, TypedName, IP, UserAgent, LinkID string
	ConsentAt, SignedAt                    time.Time
	SignerRef                              string
}

const signatureEvidenceSQL = `SELECT signer_role, typed_name, ip, user_agent, COALESCE(link_id::text,''), consent_at, signed_at, signer_ref
		FROM signatures WHERE document_id = $1 ORDER BY signed_at`

// ReadSignatureEvidence lists a document's signatures in signing order.
func ReadSignatureEvidence(ctx context.Context, tx pgx.Tx, documentID string) ([]SignatureEvidence, error) {
	rows, err := tx.Query(ctx, signatureEvidenceSQL, documentID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SignatureEvidence, error) {
		var s SignatureEvidence
		err := r.Scan(&s.Role, &s.TypedName, &s.IP, &s.UserAgent, &s.LinkID, &s.ConsentAt, &s.SignedAt, &s.SignerRef)
		return s, err
	})
}

// DocumentSignature is one signature on a document as an issuer reviews it.
type DocumentSignature struct {
	Role, TypedName, SignerRef string
	SignedAt                   time.Time
}

const documentSignaturesSQL = `SELECT signer_role, typed_name, signer_ref, signed_at
		FROM signatures WHERE document_id = $1 ORDER BY signed_at`

// DocumentSignatures lists a document's signatures in signing order.
func (s *Store) DocumentSignatures(ctx context.Context, documentID string) ([]DocumentSignature, error) {
	rows, err := s.Pool.Query(ctx, documentSignaturesSQL, documentID)
	if err != nil {
		return nil, fmt.Errorf("signatures of %s: %w", documentID, err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DocumentSignature, error) {
		var d DocumentSignature
		err := r.Scan(&d.Role, &d.TypedName, &d.SignerRef, &d.SignedAt)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("signatures of %s: %w", documentID, err)
	}
	return found, nil
}
