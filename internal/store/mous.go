package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// PrepareMOU creates (or finds) the employer's MOU row for a program year
// with its document, and returns the document id and SHA-256 (hex).
func (s *Store) PrepareMOU(ctx context.Context, employerID string, year int, workflowID string) (docID, sha string, err error) {
	err = pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var existing *string
		if err := tx.QueryRow(ctx, `SELECT document_id::text FROM mous WHERE employer_id = $1 AND program_year = $2`, employerID, year).
			Scan(&existing); err == nil && existing != nil {
			docID = *existing
			var sum []byte
			if err := tx.QueryRow(ctx, `SELECT sha256 FROM documents WHERE id = $1`, docID).Scan(&sum); err != nil {
				return err
			}
			sha = hex.EncodeToString(sum)
			return nil
		}
		var name, district string
		if err := tx.QueryRow(ctx, `SELECT e.name, d.name FROM employers e JOIN districts d ON d.id = e.district_id WHERE e.id = $1`, employerID).
			Scan(&name, &district); err != nil {
			return notFound(err)
		}
		body := []byte(mouText(district, name, year))
		sum := sha256.Sum256(body)
		sha = hex.EncodeToString(sum[:])
		if err := tx.QueryRow(ctx, `INSERT INTO documents (kind, filename, content_type, size_bytes, sha256, bytes)
			VALUES ('mou', $1, 'text/plain; charset=utf-8', $2, $3, $4) RETURNING id`,
			fmt.Sprintf("mou-%d.txt", year), len(body), sum[:], body).Scan(&docID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO mous (employer_id, program_year, workflow_id, document_id) VALUES ($1,$2,$3,$4)
			ON CONFLICT (employer_id, program_year) DO UPDATE SET document_id = EXCLUDED.document_id, updated_at = now()`,
			employerID, year, workflowID, docID)
		return err
	})
	return docID, sha, err
}

func mouText(district, employer string, year int) string {
	return fmt.Sprintf(`MEMORANDUM OF UNDERSTANDING — WORK-BASED LEARNING, PROGRAM YEAR %d

Between %s (the District) and %s (the Employer).

1. The Employer hosts student interns placed through the District's internship program, supervises them
   at the worksites named in its postings, and keeps a safe workplace free of harassment.
2. For placements the District funds through CTE funds, the District pays the intern's wages as agreed in
   the posting; the Employer verifies hours through weekly timesheets.
3. The Employer completes the work permit for each minor, approves timesheets within a week, and gives
   feedback on each intern at the end of the placement.
4. Student records are confidential under FERPA; the Employer uses them only to run the placement.
5. This memorandum takes effect on the implementation date the District sets and ends on August 31, %d.
`, year, district, employer, year)
}

// MOUChange is one MOU state change as the MOU workflow persists it.
type MOUChange struct {
	EmployerID         string
	ProgramYear        int
	Status             string
	StaffID            string
	Reason             string
	ImplementationDate string
	Signature          *SignatureFact
	Key                string
}

// WriteMOU moves the MOU row and records its signature and audit entry.
func WriteMOU(ctx context.Context, tx pgx.Tx, c MOUChange) error {
	if err := writeSignature(ctx, tx, c.Signature); err != nil {
		return err
	}
	var id string
	err := tx.QueryRow(ctx, `UPDATE mous SET status = $3, updated_at = now(),
		employer_signed_at = CASE WHEN $3 = 'employer_signed' THEN now() ELSE employer_signed_at END,
		approved_by = CASE WHEN $3 = 'approved' THEN NULLIF($4,'')::uuid ELSE approved_by END,
		approved_at = CASE WHEN $3 = 'approved' THEN now() ELSE approved_at END,
		implementation_date = COALESCE(NULLIF($5,'')::date, implementation_date),
		expires_on = CASE WHEN $3 = 'approved' THEN make_date(program_year, 8, 31) ELSE expires_on END
		WHERE employer_id = $1 AND program_year = $2 RETURNING id`,
		c.EmployerID, c.ProgramYear, c.Status, c.StaffID, c.ImplementationDate).Scan(&id)
	if err != nil {
		return notFound(err)
	}
	if c.StaffID == "" {
		return nil
	}
	return writeAudit(ctx, tx, []AuditEntry{{ActorKind: "staff", ActorRef: c.StaffID, Action: "mou_" + c.Status,
		EntityKind: "mou", EntityID: id, Reason: c.Reason, Key: c.Key}})
}
