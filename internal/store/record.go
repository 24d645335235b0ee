package store

import (
	"context"
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows/facts"
)

// AuditEntry is defined with the workflow's facts in workflows/facts.
type AuditEntry = facts.AuditEntry

// RecordResult says what the write changed.
type RecordResult struct {
	ViewApplied bool `json:"view_applied"`
}

// ApplyRecord writes a Record in one transaction.
func (s *Store) ApplyRecord(ctx context.Context, r facts.Record) (RecordResult, error) {
	var res RecordResult
	err := pgx.BeginFunc(ctx, s.Pool, func(tx pgx.Tx) error {
		var err error
		res, err = ApplyRecordTx(ctx, tx, r)
		return err
	})
	return res, err
}

// ApplyRecordTx writes a Record inside the caller's transaction (the
// activity adds outbox messages to the same transaction).
func ApplyRecordTx(ctx context.Context, tx pgx.Tx, r facts.Record) (RecordResult, error) {
	var res RecordResult
	id := r.View.JourneyID
	for _, write := range []func() error{
		func() error { return writeSurvey(ctx, tx, id, r.Survey) },
		func() error { return writeApplications(ctx, tx, id, r.Applications) },
		func() error { return writeFoundPlacement(ctx, tx, id, r.FoundPlacement) },
		func() error { return writePlacement(ctx, tx, id, r.Placement) },
		func() error { return writeSignature(ctx, tx, r.Signature) },
		func() error { return writePermitStatus(ctx, tx, id, r.PermitStatus) },
		func() error { return writePermitCorrection(ctx, tx, id, r.PermitCorrection) },
		func() error { return writeTraining(ctx, tx, id, r.Training) },
		func() error { return writeDeliverable(ctx, tx, id, r.Deliverable) },
		func() error { return writeClosing(ctx, tx, id, r.Reflection, r.Feedback) },
		func() error { return writeHoursDecision(ctx, tx, id, r.HoursDecision) },
		func() error { return writeEvents(ctx, tx, r.Events) },
		func() error { return writeAudit(ctx, tx, r.Audit) },
	} {
		if err := write(); err != nil {
			return res, err
		}
	}
	applied, err := upsertView(ctx, tx, r.View)
	res.ViewApplied = applied
	if err != nil {
		return res, err
	}
	if r.ProgramVersion > 0 {
		if _, err = tx.Exec(ctx, `UPDATE journeys SET program_version = $2 WHERE id = $1 AND program_version < $2`, id, r.ProgramVersion); err != nil {
			return res, err
		}
	}
	if applied && r.Waits != nil {
		if err = SyncWaits(ctx, tx, id, *r.Waits); err != nil {
			return res, err
		}
	}
	if r.Close != "" {
		if err = closeAllWaits(ctx, tx, id); err != nil {
			return res, err
		}
		_, err = tx.Exec(ctx, `UPDATE journeys SET status = $2, closed_at = now() WHERE id = $1 AND status = 'open'`, id, r.Close)
	}
	return res, err
}

func writeSurvey(ctx context.Context, tx pgx.Tx, id string, f *facts.SurveyFact) error {
	if f == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO survey_responses (journey_id, pathway, interests, availability, transport, languages, contact_consent, submitted_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (journey_id) DO NOTHING`,
		id, f.Pathway, nonNil(f.Interests), f.Availability, f.Transport, nonNil(f.Languages), f.ContactConsent, f.At)
	return err
}

func writeApplications(ctx context.Context, tx pgx.Tx, id string, apps []facts.ApplicationFact) error {
	for _, a := range apps {
		if _, err := tx.Exec(ctx, `
			INSERT INTO applications (id, journey_id, posting_id, status, note) VALUES ($1,$2,$3,$4,NULLIF($5,''))
			ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, note = COALESCE(EXCLUDED.note, applications.note), updated_at = now()`,
			a.ID, id, a.PostingID, a.Status, a.Note); err != nil {
			return err
		}
	}
	return nil
}

func writePlacement(ctx context.Context, tx pgx.Tx, id string, p *facts.PlacementFact) error {
	if p == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO placements (journey_id, application_id, posting_id, employer_id, supervisor_id, worksite_id, funding_source, hours_required, title, source)
		VALUES ($1, NULLIF($2,'')::uuid, $3, $4, NULLIF($5,'')::uuid, NULLIF($6,'')::uuid, $7, $8, $9, COALESCE(NULLIF($10,''),'posting')) ON CONFLICT (journey_id) DO NOTHING`,
		id, p.ApplicationID, p.PostingID, p.EmployerID, p.SupervisorID, p.WorksiteID, p.FundingSource, p.HoursRequired, p.Title, p.Source)
	return err
}

func writeSignature(ctx context.Context, tx pgx.Tx, s *facts.SignatureFact) error {
	if s == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO signatures (document_id, document_sha256, signer_role, signer_ref, typed_name, consent_at, signed_at, ip, user_agent, link_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,NULLIF($10,'')::uuid) ON CONFLICT (document_id, signer_role, signer_ref) DO NOTHING`,
		s.DocumentID, s.DocumentSHA256, s.Role, s.SignerRef, s.TypedName, s.ConsentAt, s.SignedAt, s.IP, s.UserAgent, s.LinkID)
	return err
}

func writePermitStatus(ctx context.Context, tx pgx.Tx, id string, p *facts.PermitStatusFact) error {
	if p == nil {
		return nil
	}
	if p.Previous > 0 {
		if _, err := tx.Exec(ctx, `UPDATE work_permits SET status = 'superseded' WHERE journey_id = $1 AND version = $2 AND status <> 'rejected'`, id, p.Previous); err != nil {
			return err
		}
	}
	// A permit only moves forward: a late "pending approval" write never
	// undoes the issuer's decision.
	_, err := tx.Exec(ctx, `UPDATE work_permits SET status = $3, decided_by = NULLIF($4,'')::uuid,
		decided_at = CASE WHEN $3 IN ('approved','rejected') THEN $6::timestamptz ELSE decided_at END, reason = NULLIF($5,'')
		WHERE journey_id = $1 AND version = $2
		  AND array_position(ARRAY['collecting','pending_approval','approved','rejected','superseded'], status)
		   <= array_position(ARRAY['collecting','pending_approval','approved','rejected','superseded'], $3::text)`,
		id, p.Version, p.Status, p.StaffID, p.Reason, p.At)
	return err
}

func writePermitCorrection(ctx context.Context, tx pgx.Tx, id string, c *facts.PermitCorrectionFact) error {
	if c == nil {
		return nil
	}
	for _, v := range c.Values {
		if _, err := tx.Exec(ctx, `INSERT INTO permit_corrections (journey_id, version, field, value, actor_kind, actor_ref)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (journey_id, version, field) DO UPDATE SET value = EXCLUDED.value,
			actor_kind = EXCLUDED.actor_kind, actor_ref = EXCLUDED.actor_ref`, id, c.Version, v.Field, v.Value, c.ActorKind, c.ActorRef); err != nil {
			return err
		}
	}
	return nil
}

func writeTraining(ctx context.Context, tx pgx.Tx, id string, t *facts.TrainingFact) error {
	if t == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO training_completions (journey_id, training_code, document_id, completed_on, recorded_at, waived_reason)
		VALUES ($1,$2,NULLIF($3,'')::uuid,$4,$5,NULLIF($6,'')) ON CONFLICT (journey_id, training_code) DO NOTHING`,
		id, t.Code, t.DocumentID, t.CompletedOn, t.At, t.WaivedReason)
	return err
}

func writeDeliverable(ctx context.Context, tx pgx.Tx, id string, d *facts.DeliverableFact) error {
	if d == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO deliverables (journey_id, version, document_id, note, hours, status, review_comment, submitted_at, reviewed_at)
		VALUES ($1,$2,NULLIF($3,'')::uuid,$4,$5,$6,NULLIF($7,''),$8,$9)
		ON CONFLICT (journey_id, version) DO UPDATE SET status = EXCLUDED.status,
			review_comment = EXCLUDED.review_comment, reviewed_at = EXCLUDED.reviewed_at`,
		id, d.Version, d.DocumentID, d.Note, d.Hours, d.Status, d.Comment, d.At, d.ReviewedAt)
	return err
}

func writeClosing(ctx context.Context, tx pgx.Tx, id string, r *facts.ReflectionFact, f *facts.FeedbackFact) error {
	if r != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO reflections (journey_id, body, submitted_at, recommend, comment)
			VALUES ($1,$2,$3,NULLIF($4,0),$5) ON CONFLICT (journey_id) DO NOTHING`, id, r.Body, r.At, r.Recommend, r.Comment); err != nil {
			return err
		}
	}
	if f != nil {
		ratings, _ := json.Marshal(f.Ratings)
		if _, err := tx.Exec(ctx, `INSERT INTO employer_feedback (journey_id, ratings, comment, supervisor_id, submitted_at)
			VALUES ($1,$2,$3,NULLIF($4,'')::uuid,$5) ON CONFLICT (journey_id) DO NOTHING`,
			id, ratings, f.Comment, f.SupervisorID, f.At); err != nil {
			return err
		}
	}
	return nil
}

func writeEvents(ctx context.Context, tx pgx.Tx, events []facts.JourneyEvent) error {
	for _, e := range events {
		detail := e.Detail
		if len(detail) == 0 {
			detail = []byte(`{}`)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO journey_events (journey_id, seq, kind, stage, actor_kind, actor_ref, detail, at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (journey_id, seq) DO NOTHING`,
			e.JourneyID, e.Seq, e.Kind, e.Stage, e.ActorKind, e.ActorRef, detail, e.At); err != nil {
			return err
		}
	}
	return nil
}

// nonNil stores an absent list as empty, not NULL.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteTimesheet upserts a week's timesheet; a submission replaces the
// entries (a correction round), a review only moves the status.
func WriteTimesheet(ctx context.Context, tx pgx.Tx, journeyID string, t *facts.TimesheetFact) error {
	flags, _ := json.Marshal(nonNil(t.Flags))
	breaches, _ := json.Marshal(t.Breaches)
	if t.Breaches == nil {
		breaches = []byte("[]")
	}
	var id string
	err := tx.QueryRow(ctx, `
		INSERT INTO timesheets (journey_id, week_start, status, hours_total, flags, submitted_at, reviewed_at, reviewer_ref, review_note,
			breaches, hours_withheld)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8,''), NULLIF($9,''), $10, $11)
		ON CONFLICT (journey_id, week_start) DO UPDATE SET status = EXCLUDED.status, hours_total = EXCLUDED.hours_total,
			flags = CASE WHEN EXCLUDED.status = 'submitted' THEN EXCLUDED.flags ELSE timesheets.flags END,
			breaches = CASE WHEN EXCLUDED.status = 'submitted' THEN EXCLUDED.breaches ELSE timesheets.breaches END,
			hours_withheld = CASE WHEN EXCLUDED.status = 'submitted' THEN EXCLUDED.hours_withheld ELSE timesheets.hours_withheld END,
			submitted_at = CASE WHEN EXCLUDED.status = 'submitted' THEN EXCLUDED.submitted_at ELSE timesheets.submitted_at END,
			reviewed_at = EXCLUDED.reviewed_at, reviewer_ref = EXCLUDED.reviewer_ref, review_note = EXCLUDED.review_note
		RETURNING id`, journeyID, t.Week, t.Status, t.Hours, flags, t.At, t.ReviewedAt, t.ReviewerRef, t.Note,
		breaches, t.Withheld).Scan(&id)
	if err != nil || t.Status != "submitted" {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM timesheet_entries WHERE timesheet_id = $1`, id); err != nil {
		return err
	}
	for _, e := range t.Entries {
		if _, err := tx.Exec(ctx, `INSERT INTO timesheet_entries (timesheet_id, work_date, hours, note, end_time) VALUES ($1,$2,$3,$4,NULLIF($5,''))`,
			id, e.Date, e.Hours, e.Note, e.End); err != nil {
			return err
		}
	}
	return nil
}
