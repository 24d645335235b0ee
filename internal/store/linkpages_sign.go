package store

// The signing link pages' reads: the permit version or MOU a link signs,
// and the signed PDFs those pages download.

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// PermitToSign is one permit version as a signing link checks it.
type PermitToSign struct {
	Status     string
	SHA256     []byte
	DocumentID string
	SignedPDF  string // "" until everyone signed
	Latest     int    // the journey's newest version
}

const permitToSignSQL = `SELECT w.status, d.sha256, w.document_id, COALESCE(w.signed_pdf_id::text,''),
			(SELECT max(version) FROM work_permits WHERE journey_id = $1)
		FROM work_permits w JOIN documents d ON d.id = w.document_id WHERE w.journey_id = $1 AND w.version = $2`

// PermitToSign reads a permit version of the journey (ErrNotFound: none).
func (s *Store) PermitToSign(ctx context.Context, journeyID string, version int) (PermitToSign, error) {
	var p PermitToSign
	err := s.Pool.QueryRow(ctx, permitToSignSQL, journeyID, version).Scan(&p.Status, &p.SHA256, &p.DocumentID, &p.SignedPDF, &p.Latest)
	return p, notFound(err)
}

const hasSignedSQL = `SELECT EXISTS (SELECT 1 FROM signatures WHERE document_id = $1 AND signer_role = $2)`

// HasSigned reports whether the document already carries a signature in
// this role.
func (s *Store) HasSigned(ctx context.Context, documentID, role string) (bool, error) {
	var signed bool
	err := s.Pool.QueryRow(ctx, hasSignedSQL, documentID, role).Scan(&signed)
	return signed, err
}

const rejectionReasonSQL = `SELECT COALESCE(reason, '') FROM work_permits
		WHERE journey_id = $1 AND version = $2 AND status = 'rejected'`

// RejectionReason is why the school rejected a permit version
// (ErrNotFound: that version was not rejected).
func (s *Store) RejectionReason(ctx context.Context, journeyID string, version int) (string, error) {
	var reason string
	err := s.Pool.QueryRow(ctx, rejectionReasonSQL, journeyID, version).Scan(&reason)
	return reason, notFound(err)
}

const rejectedPermitSQL = `SELECT COALESCE(reason, ''), (SELECT max(version) FROM work_permits WHERE journey_id = $1)
		FROM work_permits WHERE journey_id = $1 AND version = $2 AND status = 'rejected'`

// RejectedPermit is a rejected version's reason and the journey's newest
// version (ErrNotFound: that version was not rejected).
func (s *Store) RejectedPermit(ctx context.Context, journeyID string, version int) (reason string, latest int, err error) {
	err = s.Pool.QueryRow(ctx, rejectedPermitSQL, journeyID, version).Scan(&reason, &latest)
	return reason, latest, notFound(err)
}

// MOUToSign is an employer's MOU as its signing link shows it.
type MOUToSign struct {
	ProgramYear int
	Status      string
	ContentType string
	Body        []byte
}

const mouToSignSQL = `SELECT m.program_year, m.status, d.content_type, COALESCE(d.bytes,'')
		FROM mous m JOIN documents d ON d.id = m.document_id WHERE m.employer_id::text = $1 AND d.sha256 = $2`

// MOUToSign reads the employer's MOU with these bytes (ErrNotFound: none).
func (s *Store) MOUToSign(ctx context.Context, employerID string, sha []byte) (MOUToSign, error) {
	var m MOUToSign
	err := s.Pool.QueryRow(ctx, mouToSignSQL, employerID, sha).Scan(&m.ProgramYear, &m.Status, &m.ContentType, &m.Body)
	return m, notFound(err)
}

const signedPermitPDFSQL = `SELECT COALESCE(signed_pdf_id::text,'') FROM work_permits
			WHERE journey_id = $1 AND version = $2 AND status = 'approved'`

// SignedPermitPDF is the signed PDF of an approved permit version ("" if
// none, or on any error: a download that cannot be had is "no document").
func (s *Store) SignedPermitPDF(ctx context.Context, journeyID string, version int) string {
	var id string
	_ = s.Pool.QueryRow(ctx, signedPermitPDFSQL, journeyID, version).Scan(&id)
	return id
}

const latestSignedPermitPDFSQL = `SELECT COALESCE(signed_pdf_id::text,'') FROM work_permits
			WHERE journey_id = $1 AND status = 'approved' ORDER BY version DESC LIMIT 1`

// LatestSignedPermitPDF is the signed PDF of the journey's newest approved
// permit ("" if none, or on any error).
func (s *Store) LatestSignedPermitPDF(ctx context.Context, journeyID string) string {
	var id string
	_ = s.Pool.QueryRow(ctx, latestSignedPermitPDFSQL, journeyID).Scan(&id)
	return id
}

// GuardianSignature is a parent's signature on one permit version.
type GuardianSignature struct {
	Version int
	At      time.Time
}

const guardianSignaturesSQL = `SELECT w.version, g.signed_at FROM signatures g
		JOIN work_permits w ON w.document_id = g.document_id
		WHERE w.journey_id = $1 AND g.signer_role = 'guardian' AND g.signer_ref = $2
		ORDER BY g.signed_at DESC`

// GuardianSignatures are the signatures this parent gave on the journey's
// permits, newest first.
func (s *Store) GuardianSignatures(ctx context.Context, journeyID, guardianRef string) ([]GuardianSignature, error) {
	rows, err := s.Pool.Query(ctx, guardianSignaturesSQL, journeyID, guardianRef)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (GuardianSignature, error) {
		var g GuardianSignature
		return g, r.Scan(&g.Version, &g.At)
	})
}
