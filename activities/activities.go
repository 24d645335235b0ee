// Package activities holds the journey's side effects: thin functions over
// the store, the messaging outbox and the Temporal client. Business
// decisions stay in workflows; these only do I/O and classify errors.
package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows/facts"
)

// Outbox queues messages inside the caller's transaction.
type Outbox interface {
	Enqueue(ctx context.Context, tx pgx.Tx, req messaging.Request) (messaging.Outcome, error)
}

// PermitBuilder renders work-permit documents.
type PermitBuilder interface {
	// Prepare stores version v of the journey's permit, pre-filled from the
	// student and placement, and returns its document id and hash.
	Prepare(ctx context.Context, journeyID string, version int) (permit.Doc, error)
	// Finalize produces the signed PDF with its audit page.
	Finalize(ctx context.Context, journeyID string, version int) (string, error)
}

// PermitDoc identifies one permit version's document.
type PermitDoc struct {
	Version    int    `json:"version"`
	DocumentID string `json:"document_id"`
	SHA256     string `json:"sha256"`
	// Changes says, per language ("en", "es"), what this version changed
	// from the one before (one line per field); empty for a first version
	// or when nothing changed.
	Changes map[string]string `json:"changes,omitempty"`
}

// CertificateIssuer issues certificates of completion.
type CertificateIssuer interface {
	// IssueDocument stores the journey's certificate once (again, it
	// finds the stored one) and returns its document id.
	IssueDocument(ctx context.Context, journeyID string, completedAt time.Time) (string, error)
}

// CertificateInput asks for a completing journey's certificate.
type CertificateInput struct {
	JourneyID   string    `json:"journey_id"`
	CompletedAt time.Time `json:"completed_at"`
}

// CertificateOutput names the issued certificate's document.
type CertificateOutput struct {
	DocumentID string `json:"document_id"`
}

// Activities is registered with the worker as one struct so workflows refer
// to its methods by pointer (workflow.ExecuteActivity(ctx, a.Record, ...)).
type Activities struct {
	Store   *store.Store
	Outbox  Outbox
	Permits PermitBuilder
	// Certificates issues certificates of completion.
	Certificates CertificateIssuer
	Temporal     client.Client
	// TaskQueue is where MOU workflows started on a journey's behalf run.
	TaskQueue string
	// MOU names the MOU workflow those journeys wait on.
	MOU MOUWorkflow
}

// ErrInvalidInput marks an activity input that no retry can fix.
const ErrInvalidInput = "InvalidInput"

// permanent wraps errors that retrying cannot fix (bad references,
// constraint violations) so Temporal stops retrying.
func permanent(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, store.ErrNotFound) || store.IsConstraintViolation(err) {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("%s: %v", what, err), ErrInvalidInput, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// RecordInput is a journey state change plus the messages it causes.
type RecordInput struct {
	Record   facts.Record        `json:"record"`
	Messages []messaging.Request `json:"messages,omitempty"`
}

// RecordOutput reports what happened to each message.
type RecordOutput struct {
	Outcomes []messaging.Outcome `json:"outcomes,omitempty"`
}

// Record writes one journey state change and queues its messages in one
// transaction: either the stage moved and the nudge is queued, or neither.
// A retry re-runs idempotent writes and finds the messages already queued.
func (a *Activities) Record(ctx context.Context, in RecordInput) (RecordOutput, error) {
	var out RecordOutput
	err := a.Store.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := store.ApplyRecordTx(ctx, tx, in.Record); err != nil {
			return err
		}
		var err error
		out.Outcomes, err = a.enqueueAll(ctx, tx, in.Messages)
		return err
	})
	return out, permanent(err, "record journey "+in.Record.View.JourneyID)
}

// MarkStuck flags a journey on the ops console when a step keeps failing;
// it writes only that column, so it works even when a full record cannot.
func (a *Activities) MarkStuck(ctx context.Context, journeyID, reason string) error {
	return a.Store.MarkStuck(ctx, journeyID, reason)
}

// LoadPosting returns what a journey needs to know about a posting.
func (a *Activities) LoadPosting(ctx context.Context, postingID string) (facts.PostingInfo, error) {
	p, err := a.Store.PostingInfo(ctx, postingID)
	return p, permanent(err, "posting "+postingID)
}

// PreparePermit stores a permit version for signing.
func (a *Activities) PreparePermit(ctx context.Context, journeyID string, version int) (PermitDoc, error) {
	d, err := a.Permits.Prepare(ctx, journeyID, version)
	return PermitDoc(d), permanent(err, "prepare permit")
}

// FinalizePermit renders the signed permit PDF with its audit page.
func (a *Activities) FinalizePermit(ctx context.Context, journeyID string, version int) (string, error) {
	id, err := a.Permits.Finalize(ctx, journeyID, version)
	return id, permanent(err, "finalize permit")
}

// IssueCertificate issues the certificate of completion of a journey that
// is completing (exactly once: a retry returns the stored certificate).
func (a *Activities) IssueCertificate(ctx context.Context, in CertificateInput) (CertificateOutput, error) {
	id, err := a.Certificates.IssueDocument(ctx, in.JourneyID, in.CompletedAt)
	return CertificateOutput{DocumentID: id}, permanent(err, "issue certificate")
}

// TimesheetRecord is a timesheet week's write plus its messages.
type TimesheetRecord struct {
	JourneyID string               `json:"journey_id"`
	Timesheet *facts.TimesheetFact `json:"timesheet,omitempty"`
	Messages  []messaging.Request  `json:"messages,omitempty"`
	// Waits are the week's open waits after this write (nil: unchanged).
	Waits *facts.WaitSet `json:"waits,omitempty"`
}

// RecordTimesheet writes a week's timesheet and queues its messages in one
// transaction.
func (a *Activities) RecordTimesheet(ctx context.Context, in TimesheetRecord) (RecordOutput, error) {
	var out RecordOutput
	err := a.Store.InTx(ctx, func(tx pgx.Tx) error {
		if in.Timesheet != nil {
			if err := store.WriteTimesheet(ctx, tx, in.JourneyID, in.Timesheet); err != nil {
				return err
			}
		}
		if in.Waits != nil {
			if err := store.SyncWaits(ctx, tx, in.JourneyID, *in.Waits); err != nil {
				return err
			}
		}
		var err error
		out.Outcomes, err = a.enqueueAll(ctx, tx, in.Messages)
		return err
	})
	return out, permanent(err, "record timesheet "+in.JourneyID)
}

// enqueueAll queues messages in the caller's transaction.
func (a *Activities) enqueueAll(ctx context.Context, tx pgx.Tx, msgs []messaging.Request) ([]messaging.Outcome, error) {
	var outs []messaging.Outcome
	for _, m := range msgs {
		o, err := a.Outbox.Enqueue(ctx, tx, m)
		if err != nil {
			return nil, fmt.Errorf("enqueue %s: %w", m.Template, err)
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// DistrictHourRules loads the hour rules for minors in a district's
// state (the federal rules and the state's).
func (a *Activities) DistrictHourRules(ctx context.Context, districtID string) ([]hours.Rule, error) {
	rules, err := a.Store.DistrictHourRules(ctx, districtID)
	return rules, permanent(err, "district hour rules")
}

// ResolveFoundPlacement records an approved student-found placement's
// employer, supervisor, worksite and posting (matched or new) and
// returns the posting the placement follows.
func (a *Activities) ResolveFoundPlacement(ctx context.Context, in facts.FoundResolve) (facts.PostingInfo, error) {
	p, err := a.Store.ResolveFound(ctx, in)
	if errors.Is(err, store.ErrWrongDistrict) {
		return p, temporal.NewNonRetryableApplicationError(err.Error(), ErrInvalidInput, err)
	}
	return p, permanent(err, "resolve found placement "+in.FoundID)
}
