package workflows

import (
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

// Work permit: student, parent/guardian and employer sign (in any order)
// the exact document version, then the school's permit issuer approves, or
// rejects with a reason, which starts a new version to re-sign.

// SignInput is one e-signature with its ESIGN/UETA evidence.
type SignInput struct {
	By             Actor     `json:"by"`
	Role           string    `json:"role"` // student, guardian, employer
	TypedName      string    `json:"typed_name"`
	DocumentSHA256 string    `json:"document_sha256"`
	Consent        bool      `json:"consent"`
	ConsentAt      time.Time `json:"consent_at"`
	IP             string    `json:"ip"`
	UserAgent      string    `json:"user_agent"`
	LinkID         string    `json:"link_id"`
	// NameOnRecord is the signer's name as the district has it when they
	// signed; NameMismatchConfirmed says the typed name differed and the
	// signer confirmed it anyway (evidence; the issuer's page shows both).
	NameOnRecord          string `json:"name_on_record,omitempty"`
	NameMismatchConfirmed bool   `json:"name_mismatch_confirmed,omitempty"`
}

// PermitDecisionInput is the permit issuer's decision.
type PermitDecisionInput struct {
	By      Actor  `json:"by"`
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

// PermitStatus is the permit in the status query.
type PermitStatus struct {
	Version        int      `json:"version"`
	DocumentID     string   `json:"document_id,omitempty"`
	DocumentSHA256 string   `json:"document_sha256,omitempty"`
	Signed         []string `json:"signed"`
	Approved       bool     `json:"approved"`
	Rejections     int      `json:"rejections"`
	SignedPDFID    string   `json:"signed_pdf_id,omitempty"`
}

// PermitSigners sign every permit version.
var PermitSigners = []string{"student", "guardian", "employer"}

type permitState struct {
	Doc        activities.PermitDoc
	Signed     []string
	Decided    bool
	Approved   bool
	Reason     string
	Rejections int
	SignedPDF  string
}

func (p *permitState) signed(role string) bool { return slices.Contains(p.Signed, role) }

func (j *journey) allSigned() bool {
	for _, r := range PermitSigners {
		if !j.permit.signed(r) && !j.isWaived(j.signStep(r)) {
			return false
		}
	}
	return true
}

func (j *journey) signStep(role string) string {
	return "permit_sign:" + role + ":v" + itoa(int64(j.permit.Doc.Version))
}

func (j *journey) validateSign(in SignInput) error {
	if err := j.atStage("signing the work permit", StageWorkPermit); err != nil {
		return err
	}
	if j.permit.Doc.DocumentID == "" || j.permit.Decided {
		return reject("", "the work permit is not ready for signatures")
	}
	if !slices.Contains(PermitSigners, in.Role) {
		return reject("role", "unknown signer role %q", in.Role)
	}
	if j.permit.signed(in.Role) {
		return reject("", "the %s has already signed this permit", in.Role)
	}
	return in.checkEvidence(j.permit.Doc.SHA256, "permit")
}

// checkEvidence is what makes an e-signature count (ESIGN/UETA): consent
// given first, the exact document version, a typed name as intent.
func (in SignInput) checkEvidence(documentSHA256, what string) error {
	if !strings.EqualFold(in.DocumentSHA256, documentSHA256) {
		return reject("document_sha256", "the %s changed since this link was sent; use the newest link", what)
	}
	if !in.Consent || in.ConsentAt.IsZero() {
		return reject("consent", "agree to sign electronically first")
	}
	if len(strings.TrimSpace(in.TypedName)) < 2 {
		return reject("typed_name", "type your full name to sign")
	}
	return nil
}

func (j *journey) sign(ctx workflow.Context, in SignInput) error {
	j.permit.Signed = append(j.permit.Signed, in.Role)
	sha, _ := links.HexSHA(in.DocumentSHA256)
	fact := &store.SignatureFact{DocumentID: j.permit.Doc.DocumentID, DocumentSHA256: sha, Role: in.Role,
		SignerRef: in.By.Ref, TypedName: strings.TrimSpace(in.TypedName), ConsentAt: in.ConsentAt,
		SignedAt: workflow.Now(ctx), IP: in.IP, UserAgent: in.UserAgent, LinkID: in.LinkID}
	j.note(ctx, "permit_signed", in.By, map[string]any{"role": in.Role, "version": j.permit.Doc.Version})
	return j.flush(ctx, nil, func(r *store.Record) { r.Signature = fact })
}

func (j *journey) validatePermitDecision(in PermitDecisionInput) error {
	if err := j.atStage("the permit decision", StageWorkPermit); err != nil {
		return err
	}
	if !j.allSigned() || j.permit.Decided {
		return reject("", "the permit is not waiting for a decision")
	}
	if !in.Approve && strings.TrimSpace(in.Reason) == "" {
		return reject("reason", "give the reason for rejecting the permit")
	}
	return nil
}

func (j *journey) decidePermit(ctx workflow.Context, in PermitDecisionInput) error {
	j.permit.Decided, j.permit.Approved, j.permit.Reason = true, in.Approve, in.Reason
	status := "approved"
	if !in.Approve {
		status = "rejected"
		j.permit.Rejections++
	}
	j.note(ctx, "permit_"+status, in.By, map[string]any{"version": j.permit.Doc.Version})
	fact := &store.PermitStatusFact{Version: j.permit.Doc.Version, Status: status, StaffID: in.By.Ref, Reason: in.Reason, At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *store.Record) { r.PermitStatus = fact })
}

var permitOptions = workflow.ActivityOptions{
	StartToCloseTimeout: time.Minute,
	RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 10, MaximumInterval: time.Minute, NonRetryableErrorTypes: []string{activities.ErrInvalidInput}},
}

// runWorkPermit collects signatures and the issuer's decision, one version
// at a time, until a version is approved.
func (j *journey) runWorkPermit(ctx workflow.Context) error {
	for {
		if err := j.preparePermit(ctx, j.permit.Doc.Version+1); err != nil {
			return err
		}
		if err := j.collectSignatures(ctx); err != nil {
			return err
		}
		if j.isWaived(string(StageWorkPermit)) {
			break
		}
		decision := j.newWait(ctx, "permit_approval:v"+itoa(int64(j.permit.Doc.Version)), "permit_approval", PartyIssuer,
			func() bool { return j.permit.Decided })
		if err := j.stepThrough(ctx, decision, ""); err != nil {
			return err
		}
		if j.permit.Approved || j.isWaived(string(StageWorkPermit)) {
			break
		}
		if err := j.tellSignersRejected(ctx); err != nil {
			return err
		}
	}
	if j.permit.Approved {
		err := j.retryable(ctx, "finalize_permit", func(ctx workflow.Context) error {
			return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, permitOptions), a.FinalizePermit,
				j.in.JourneyID, j.permit.Doc.Version).Get(ctx, &j.permit.SignedPDF)
		})
		if err != nil {
			return err
		}
	}
	now := workflow.Now(ctx)
	j.ms.PermitDone = &now
	return nil
}

func (j *journey) preparePermit(ctx workflow.Context, version int) error {
	var doc activities.PermitDoc
	err := j.retryable(ctx, "prepare_permit", func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, permitOptions), a.PreparePermit,
			j.in.JourneyID, version).Get(ctx, &doc)
	})
	if err != nil {
		return err
	}
	previous := j.permit.Doc.Version
	j.permit = permitState{Doc: doc, Rejections: j.permit.Rejections}
	j.note(ctx, "permit_prepared", systemActor, map[string]any{"version": doc.Version, "document_id": doc.DocumentID})
	fact := &store.PermitStatusFact{Version: doc.Version, Status: "collecting", At: workflow.Now(ctx), Previous: previous}
	return j.flush(ctx, nil, func(r *store.Record) { r.PermitStatus = fact })
}

// collectSignatures runs the three signers' ladders in parallel.
func (j *journey) collectSignatures(ctx workflow.Context) error {
	params := map[string]string{"employer_name": j.placement.Info.EmployerName}
	var ws []*wait
	for _, role := range PermitSigners {
		party := map[string]Party{"student": PartyStudent, "guardian": PartyGuardian, "employer": PartyEmployer}[role]
		w := j.newWait(ctx, j.signStep(role), "permit_sign", party, func() bool {
			return j.permit.signed(role) || j.isWaived(string(StageWorkPermit))
		}).with(params)
		w.link = &messaging.LinkSpec{Action: "sign_permit", SubjectRef: role + ":v" + itoa(int64(j.permit.Doc.Version)),
			DocumentSHA256: j.permit.Doc.SHA256, SingleUse: true}
		ws = append(ws, w)
	}
	if err := j.begin(ctx, ws...); err != nil {
		return err
	}
	if err := j.awaitAll(ctx, ws...); err != nil {
		return err
	}
	if j.permit.Decided { // the issuer was quicker than this write
		return nil
	}
	fact := &store.PermitStatusFact{Version: j.permit.Doc.Version, Status: "pending_approval", At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *store.Record) { r.PermitStatus = fact })
}

func (j *journey) tellSignersRejected(ctx workflow.Context) error {
	params := map[string]string{"reason": j.permit.Reason}
	v := itoa(int64(j.permit.Doc.Version))
	var msgs []messaging.Request
	for _, p := range []Party{PartyStudent, PartyGuardian, PartyEmployer} {
		msgs = append(msgs, j.message("permit_rejected:v"+v+":"+string(p), p, "permit_rejected", params, nil))
	}
	return j.flush(ctx, msgs)
}

func (j *journey) permitStatus() *PermitStatus {
	if j.permit.Doc.DocumentID == "" {
		return nil
	}
	return &PermitStatus{Version: j.permit.Doc.Version, DocumentID: j.permit.Doc.DocumentID, DocumentSHA256: j.permit.Doc.SHA256,
		Signed: append([]string{}, j.permit.Signed...), Approved: j.permit.Approved, Rejections: j.permit.Rejections, SignedPDFID: j.permit.SignedPDF}
}
