package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/internal/hours"
)

// Record is one journey state change as the workflow wants it persisted:
// typed facts, timeline events, audit entries and the read-model row,
// written in one transaction so dashboards never see a fact without its
// stage (or the reverse). Every part is idempotent, so a retried activity
// is harmless.
type Record struct {
	View         JourneyView       `json:"view"`
	Events       []JourneyEvent    `json:"events,omitempty"`
	Audit        []AuditEntry      `json:"audit,omitempty"`
	Survey       *SurveyFact       `json:"survey,omitempty"`
	Applications []ApplicationFact `json:"applications,omitempty"`
	Placement    *PlacementFact    `json:"placement,omitempty"`
	// FoundPlacement is a placement the student found themselves, as it
	// stands (reported, vetted, confirmed or declined).
	FoundPlacement *FoundPlacementFact `json:"found_placement,omitempty"`
	Signature      *SignatureFact      `json:"signature,omitempty"`
	PermitStatus   *PermitStatusFact   `json:"permit_status,omitempty"`
	// PermitCorrection corrects a rejected permit before its next version.
	PermitCorrection *PermitCorrectionFact `json:"permit_correction,omitempty"`
	Training         *TrainingFact         `json:"training,omitempty"`
	Deliverable      *DeliverableFact      `json:"deliverable,omitempty"`
	Reflection       *ReflectionFact       `json:"reflection,omitempty"`
	Feedback         *FeedbackFact         `json:"feedback,omitempty"`
	// HoursDecision is staff deciding on a week's withheld hours.
	HoursDecision *HoursDecisionFact `json:"hours_decision,omitempty"`
	// Close marks the journey completed or withdrawn.
	Close string `json:"close,omitempty"`
	// ProgramVersion records a migration to a newer program definition.
	ProgramVersion int `json:"program_version,omitempty"`
	// Waits are the journey's open waits; written only when the view is
	// (a stale write must not reopen a wait). Nil: leave them as they are.
	Waits *WaitSet `json:"waits,omitempty"`
}

// SurveyFact is the student's interest survey.
type SurveyFact struct {
	Pathway        string    `json:"pathway"`
	Interests      []string  `json:"interests"`
	Availability   string    `json:"availability"`
	Transport      string    `json:"transport"`
	Languages      []string  `json:"languages"`
	ContactConsent bool      `json:"contact_consent"`
	At             time.Time `json:"at"`
}

// ApplicationFact is an application's current status.
type ApplicationFact struct {
	ID        string `json:"id"`
	PostingID string `json:"posting_id"`
	Status    string `json:"status"`
	Note      string `json:"note,omitempty"`
}

// PlacementFact is created when the student accepts an offer.
type PlacementFact struct {
	ApplicationID string  `json:"application_id"`
	PostingID     string  `json:"posting_id"`
	EmployerID    string  `json:"employer_id"`
	SupervisorID  string  `json:"supervisor_id,omitempty"`
	WorksiteID    string  `json:"worksite_id,omitempty"`
	FundingSource string  `json:"funding_source"`
	HoursRequired float64 `json:"hours_required"`
	Title         string  `json:"title"`
	// Source is how the student was placed: "posting" or
	// "student_found" ("" from journeys before sources: a posting).
	Source string `json:"source,omitempty"`
}

// SignatureFact is one e-signature with its evidence.
type SignatureFact struct {
	DocumentID     string    `json:"document_id"`
	DocumentSHA256 []byte    `json:"document_sha256"`
	Role           string    `json:"role"`
	SignerRef      string    `json:"signer_ref"`
	TypedName      string    `json:"typed_name"`
	ConsentAt      time.Time `json:"consent_at"`
	SignedAt       time.Time `json:"signed_at"`
	IP             string    `json:"ip"`
	UserAgent      string    `json:"user_agent"`
	LinkID         string    `json:"link_id,omitempty"`
}

// PermitStatusFact moves a permit version along.
type PermitStatusFact struct {
	Version  int       `json:"version"`
	Status   string    `json:"status"`
	StaffID  string    `json:"staff_id,omitempty"`
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at"`
	Previous int       `json:"previous,omitempty"` // a version this one supersedes
}

// PermitCorrectionFact is a correction of a rejected permit's fields,
// made for the version drawn next (values as permit.CheckCorrection
// returns them).
type PermitCorrectionFact struct {
	Version   int          `json:"version"`
	Values    []FieldValue `json:"values"`
	ActorKind string       `json:"actor_kind"`
	ActorRef  string       `json:"actor_ref"`
}

// FieldValue is one field's new value.
type FieldValue struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// TrainingFact is a completed (or waived) required training.
type TrainingFact struct {
	Code         string    `json:"code"`
	DocumentID   string    `json:"document_id,omitempty"`
	CompletedOn  string    `json:"completed_on"`
	WaivedReason string    `json:"waived_reason,omitempty"`
	At           time.Time `json:"at"`
}

// DeliverableFact is a micro-internship submission or its review.
type DeliverableFact struct {
	Version    int        `json:"version"`
	DocumentID string     `json:"document_id,omitempty"`
	Note       string     `json:"note,omitempty"`
	Hours      float64    `json:"hours"`
	Status     string     `json:"status"`
	Comment    string     `json:"comment,omitempty"`
	At         time.Time  `json:"at"`
	ReviewedAt *time.Time `json:"reviewed_at,omitempty"`
}

// ReflectionFact is the student's closing reflection.
type ReflectionFact struct {
	Body string `json:"body"`
	// Recommend is the student's 1-5 "would you recommend this placement
	// to a friend" (0 in reflections from before it was asked).
	Recommend int `json:"recommend,omitempty"`
	// Comment is for staff only, never shown to the employer.
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

// FeedbackFact is the employer's closing feedback.
type FeedbackFact struct {
	Ratings      map[string]int `json:"ratings"`
	Comment      string         `json:"comment"`
	SupervisorID string         `json:"supervisor_id,omitempty"`
	At           time.Time      `json:"at"`
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	DistrictID string          `json:"district_id,omitempty"`
	SchoolID   string          `json:"school_id,omitempty"`
	ActorKind  string          `json:"actor_kind"`
	ActorRef   string          `json:"actor_ref"`
	Action     string          `json:"action"`
	EntityKind string          `json:"entity_kind"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before,omitempty"`
	After      json.RawMessage `json:"after,omitempty"`
	Reason     string          `json:"reason,omitempty"`
	IP         string          `json:"ip,omitempty"`
	// Key makes the write idempotent (a retried activity writes one row).
	Key string `json:"key"`
}

// RecordResult says what the write changed.
type RecordResult struct {
	ViewApplied bool `json:"view_applied"`
}

// ApplyRecord writes a Record in one transaction.
func (s *Store) ApplyRecord(ctx context.Context, r Record) (RecordResult, error) {
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
func ApplyRecordTx(ctx context.Context, tx pgx.Tx, r Record) (RecordResult, error) {
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

func writeSurvey(ctx context.Context, tx pgx.Tx, id string, f *SurveyFact) error {
	if f == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO survey_responses (journey_id, pathway, interests, availability, transport, languages, contact_consent, submitted_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT (journey_id) DO NOTHING`,
		id, f.Pathway, nonNil(f.Interests), f.Availability, f.Transport, nonNil(f.Languages), f.ContactConsent, f.At)
	return err
}

func writeApplications(ctx context.Context, tx pgx.Tx, id string, apps []ApplicationFact) error {
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

func writePlacement(ctx context.Context, tx pgx.Tx, id string, p *PlacementFact) error {
	if p == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO placements (journey_id, application_id, posting_id, employer_id, supervisor_id, worksite_id, funding_source, hours_required, title, source)
		VALUES ($1, NULLIF($2,'')::uuid, $3, $4, NULLIF($5,'')::uuid, NULLIF($6,'')::uuid, $7, $8, $9, COALESCE(NULLIF($10,''),'posting')) ON CONFLICT (journey_id) DO NOTHING`,
		id, p.ApplicationID, p.PostingID, p.EmployerID, p.SupervisorID, p.WorksiteID, p.FundingSource, p.HoursRequired, p.Title, p.Source)
	return err
}

func writeSignature(ctx context.Context, tx pgx.Tx, s *SignatureFact) error {
	if s == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO signatures (document_id, document_sha256, signer_role, signer_ref, typed_name, consent_at, signed_at, ip, user_agent, link_id)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,NULLIF($10,'')::uuid) ON CONFLICT (document_id, signer_role, signer_ref) DO NOTHING`,
		s.DocumentID, s.DocumentSHA256, s.Role, s.SignerRef, s.TypedName, s.ConsentAt, s.SignedAt, s.IP, s.UserAgent, s.LinkID)
	return err
}

func writePermitStatus(ctx context.Context, tx pgx.Tx, id string, p *PermitStatusFact) error {
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

func writePermitCorrection(ctx context.Context, tx pgx.Tx, id string, c *PermitCorrectionFact) error {
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

func writeTraining(ctx context.Context, tx pgx.Tx, id string, t *TrainingFact) error {
	if t == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `
		INSERT INTO training_completions (journey_id, training_code, document_id, completed_on, recorded_at, waived_reason)
		VALUES ($1,$2,NULLIF($3,'')::uuid,$4,$5,NULLIF($6,'')) ON CONFLICT (journey_id, training_code) DO NOTHING`,
		id, t.Code, t.DocumentID, t.CompletedOn, t.At, t.WaivedReason)
	return err
}

func writeDeliverable(ctx context.Context, tx pgx.Tx, id string, d *DeliverableFact) error {
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

func writeClosing(ctx context.Context, tx pgx.Tx, id string, r *ReflectionFact, f *FeedbackFact) error {
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

func writeEvents(ctx context.Context, tx pgx.Tx, events []JourneyEvent) error {
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

// TimesheetFact is a week's timesheet as submitted or reviewed.
type TimesheetFact struct {
	Week        string               `json:"week"`
	Status      string               `json:"status"`
	Entries     []TimesheetEntryFact `json:"entries,omitempty"`
	Hours       float64              `json:"hours"`
	Flags       []string             `json:"flags,omitempty"`
	Breaches    []hours.Breach       `json:"breaches,omitempty"`
	Withheld    float64              `json:"withheld,omitempty"`
	ReviewerRef string               `json:"reviewer_ref,omitempty"`
	Note        string               `json:"note,omitempty"`
	At          time.Time            `json:"at"`
	ReviewedAt  *time.Time           `json:"reviewed_at,omitempty"`
}

// TimesheetEntryFact is one day's hours.
type TimesheetEntryFact struct {
	Date  string  `json:"date"`
	Hours float64 `json:"hours"`
	Note  string  `json:"note"`
	End   string  `json:"end,omitempty"`
}

// WriteTimesheet upserts a week's timesheet; a submission replaces the
// entries (a correction round), a review only moves the status.
func WriteTimesheet(ctx context.Context, tx pgx.Tx, journeyID string, t *TimesheetFact) error {
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
