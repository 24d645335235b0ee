package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows/facts"
)

// MOUDraft is an MOU's document and the dates its messages state.
type MOUDraft struct {
	DocumentID string
	SHA256     string // hex
	// PlannedStart is when interns are planned to start (2006-01-02): the
	// program calendar's first day, else the next June 1.
	PlannedStart string
	// TermEnd is the last day the signed MOU covers (2006-01-02).
	TermEnd string
}

// PrepareMOU creates (or finds) the employer's MOU row for a program year
// with its document, and returns the document and the dates that go with
// it. today is the day it is drafted: a term never ends before it.
func (s *Store) PrepareMOU(ctx context.Context, employerID string, year int, workflowID string, today time.Time) (MOUDraft, error) {
	var d MOUDraft
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var calStart, calEnd string
		if err := tx.QueryRow(ctx, `SELECT COALESCE(min(NULLIF(p.definition->'calendar'->>'start','')),''),
				COALESCE(max(NULLIF(p.definition->'calendar'->>'end','')),'')
			FROM programs p JOIN employers e ON e.district_id = p.district_id
			WHERE e.id = $1 AND p.program_year = $2`, employerID, year).Scan(&calStart, &calEnd); err != nil {
			return err
		}
		d.PlannedStart = MOUPlannedStart(calStart, today)
		var existing *string
		var expires *time.Time
		if err := tx.QueryRow(ctx, `SELECT document_id::text, expires_on::timestamptz FROM mous WHERE employer_id = $1 AND program_year = $2`,
			employerID, year).Scan(&existing, &expires); err == nil && existing != nil {
			d.DocumentID = *existing
			// The term is the one written in the document already drafted.
			d.TermEnd = time.Date(year, time.August, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			if expires != nil {
				d.TermEnd = expires.UTC().Format(time.DateOnly)
			}
			var sum []byte
			if err := tx.QueryRow(ctx, `SELECT sha256 FROM documents WHERE id = $1`, d.DocumentID).Scan(&sum); err != nil {
				return err
			}
			d.SHA256 = hex.EncodeToString(sum)
			_, err := tx.Exec(ctx, `UPDATE mous SET planned_start = $3 WHERE employer_id = $1 AND program_year = $2`,
				employerID, year, d.PlannedStart)
			return err
		}
		var name, district string
		if err := tx.QueryRow(ctx, `SELECT e.name, d.name FROM employers e JOIN districts d ON d.id = e.district_id WHERE e.id = $1`, employerID).
			Scan(&name, &district); err != nil {
			return notFound(err)
		}
		end := MOUTermEnd(year, calEnd, today)
		d.TermEnd = end.Format(time.DateOnly)
		terms, from, carried, err := draftTerms(ctx, tx, employerID, year)
		if err != nil {
			return err
		}
		body := []byte(mouText(district, name, year, end) + termsText(terms))
		sum := sha256.Sum256(body)
		d.SHA256 = hex.EncodeToString(sum[:])
		if err := tx.QueryRow(ctx, `INSERT INTO documents (kind, filename, content_type, size_bytes, sha256, bytes)
			VALUES ('mou', $1, 'text/plain; charset=utf-8', $2, $3, $4) RETURNING id`,
			fmt.Sprintf("mou-%d.txt", year), len(body), sum[:], body).Scan(&d.DocumentID); err != nil {
			return err
		}
		termsJSON, _ := json.Marshal(terms)
		// A row staff created with the terms keeps its own record of them.
		_, err = tx.Exec(ctx, `INSERT INTO mous (employer_id, program_year, workflow_id, document_id, expires_on, planned_start,
				terms, carried_from, carried_fields)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
			ON CONFLICT (employer_id, program_year) DO UPDATE SET document_id = EXCLUDED.document_id,
				expires_on = EXCLUDED.expires_on, planned_start = EXCLUDED.planned_start, updated_at = now()`,
			employerID, year, workflowID, d.DocumentID, d.TermEnd, d.PlannedStart, termsJSON, from, carried)
		return err
	})
	return d, err
}

// MOUTermEnd is the last day an MOU for a program year covers: the first
// August 31 on or after the program year's end (August 31 of the year),
// the program calendar's last day and the day it is drafted, so an MOU
// signed in November for "2026" runs through the summer it is signed for.
func MOUTermEnd(year int, calendarEnd string, today time.Time) time.Time {
	last := time.Date(year, time.August, 31, 0, 0, 0, 0, time.UTC)
	if d, err := time.Parse(time.DateOnly, calendarEnd); err == nil && d.After(last) {
		last = d
	}
	if day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC); day.After(last) {
		last = day
	}
	end := time.Date(last.Year(), time.August, 31, 0, 0, 0, 0, time.UTC)
	if end.Before(last) {
		end = end.AddDate(1, 0, 0)
	}
	return end
}

// MOUPlannedStart is when interns are planned to start: the program
// calendar's first day if it is still ahead, else the first June 1 from
// today (summer internships), so messages always carry a date.
func MOUPlannedStart(calendarStart string, today time.Time) string {
	if d, err := time.Parse(time.DateOnly, calendarStart); err == nil && !d.Before(today.Truncate(24*time.Hour)) {
		return calendarStart
	}
	june := time.Date(today.Year(), time.June, 1, 0, 0, 0, 0, time.UTC)
	if !june.After(today) {
		june = june.AddDate(1, 0, 0)
	}
	return june.Format(time.DateOnly)
}

func mouText(district, employer string, year int, end time.Time) string {
	return fmt.Sprintf(`MEMORANDUM OF UNDERSTANDING — WORK-BASED LEARNING, PROGRAM YEAR %d

Between %s (the District) and %s (the Employer).

1. The Employer hosts student interns placed through the District's internship program, supervises them
   at the worksites named in its postings, and keeps a safe workplace free of harassment.
2. For placements the District funds through CTE funds, the District pays the intern's wages as agreed in
   the posting; the Employer verifies hours through weekly timesheets.
3. The Employer completes the work permit for each minor, approves timesheets within a week, and gives
   feedback on each intern at the end of the placement.
4. Student records are confidential under FERPA; the Employer uses them only to run the placement.
5. This memorandum takes effect on the implementation date the District sets and ends on %s.
`, year, district, employer, end.Format("January 2, 2006"))
}

// MOUChange is one MOU state change as the MOU workflow persists it.
type MOUChange struct {
	EmployerID         string
	ProgramYear        int
	Status             string
	StaffID            string
	Reason             string
	ImplementationDate string
	Signature          *facts.SignatureFact
	Key                string
}

// WriteMOU moves the MOU row and records its signature and audit entry.
func WriteMOU(ctx context.Context, tx pgx.Tx, c MOUChange) error {
	if err := writeSignature(ctx, tx, c.Signature); err != nil {
		return err
	}
	var id, districtID string
	err := tx.QueryRow(ctx, `UPDATE mous SET status = $3, updated_at = now(),
		employer_signed_at = CASE WHEN $3 = 'employer_signed' THEN now() ELSE employer_signed_at END,
		approved_by = CASE WHEN $3 = 'approved' THEN NULLIF($4,'')::uuid ELSE approved_by END,
		approved_at = CASE WHEN $3 = 'approved' THEN now() ELSE approved_at END,
		implementation_date = COALESCE(NULLIF($5,'')::date, implementation_date),
		expires_on = CASE WHEN $3 = 'approved' THEN COALESCE(expires_on, make_date(program_year, 8, 31)) ELSE expires_on END
		WHERE employer_id = $1 AND program_year = $2
		RETURNING id, (SELECT district_id::text FROM employers WHERE id = $1)`,
		c.EmployerID, c.ProgramYear, c.Status, c.StaffID, c.ImplementationDate).Scan(&id, &districtID)
	if err != nil {
		return notFound(err)
	}
	if c.StaffID == "" {
		return nil
	}
	return writeAudit(ctx, tx, []AuditEntry{{DistrictID: districtID, ActorKind: "staff", ActorRef: c.StaffID,
		Action: mouAuditAction(c.Status), EntityKind: "mou", EntityID: id, Reason: c.Reason, Key: c.Key}})
}

// mouAuditAction names a staff decision on an MOU: back to "drafted" is
// the district returning it to the employer.
func mouAuditAction(status string) string {
	if status == "drafted" {
		return "mou_returned"
	}
	return "mou_" + status
}
