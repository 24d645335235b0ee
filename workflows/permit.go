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
	"github.com/internflow/internflow/internal/permit"
	"github.com/internflow/internflow/workflows/facts"
)

// Work permit: student, parent/guardian and employer sign (in any order)
// the exact document version, then the school's permit issuer approves, or
// rejects with a reason. A rejected permit is corrected first (by staff,
// or by the employer for its own fields), then a new version carrying the
// corrections goes out to re-sign, telling each signer why and what changed.

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

// CorrectPermitInput corrects a rejected permit; the next version is drawn
// with the corrections. Staff may correct every field and may send none
// (the permit was right; only the signatures were not); an employer
// (through its link) corrects only its own fields, at least one.
type CorrectPermitInput struct {
	By     Actor              `json:"by"`
	Values []facts.FieldValue `json:"values"`
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
	// AwaitingCorrection: rejected; the next version is drawn once staff
	// or the employer correct it.
	AwaitingCorrection bool   `json:"awaiting_correction,omitempty"`
	Reason             string `json:"reason,omitempty"` // the last rejection's
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
	// LastReason is the issuer's reason for rejecting the version before.
	LastReason string
	// Correcting: the rejected version waits for corrections; Corrected:
	// they came (Correctable says the journey runs the correction step).
	Correcting, Corrected, Correctable bool
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
		return reject(PermitNotReady, "")
	}
	if !slices.Contains(PermitSigners, in.Role) {
		return reject(PermitUnknownSigner, "role", in.Role)
	}
	if j.permit.signed(in.Role) {
		return reject(PermitAlreadySigned, "", in.Role)
	}
	return in.checkEvidence(j.permit.Doc.SHA256, "permit")
}

// checkEvidence is what makes an e-signature count (ESIGN/UETA): consent
// given first, the exact document version, a typed name as intent.
func (in SignInput) checkEvidence(documentSHA256, what string) error {
	if !strings.EqualFold(in.DocumentSHA256, documentSHA256) {
		return reject(SignDocumentChanged, "document_sha256", what)
	}
	if !in.Consent || in.ConsentAt.IsZero() {
		return reject(SignConsentRequired, "consent")
	}
	if len(strings.TrimSpace(in.TypedName)) < 2 {
		return reject(SignNameRequired, "typed_name")
	}
	return nil
}

func (j *journey) sign(ctx workflow.Context, in SignInput) error {
	j.permit.Signed = append(j.permit.Signed, in.Role)
	sha, _ := links.HexSHA(in.DocumentSHA256)
	fact := &facts.SignatureFact{DocumentID: j.permit.Doc.DocumentID, DocumentSHA256: sha, Role: in.Role,
		SignerRef: in.By.Ref, TypedName: strings.TrimSpace(in.TypedName), ConsentAt: in.ConsentAt,
		SignedAt: workflow.Now(ctx), IP: in.IP, UserAgent: in.UserAgent, LinkID: in.LinkID}
	j.note(ctx, "permit_signed", in.By, map[string]any{"role": in.Role, "version": j.permit.Doc.Version})
	return j.flush(ctx, nil, func(r *facts.Record) { r.Signature = fact })
}

func (j *journey) validatePermitDecision(in PermitDecisionInput) error {
	if err := j.atStage("the permit decision", StageWorkPermit); err != nil {
		return err
	}
	if !j.allSigned() || j.permit.Decided {
		return reject(PermitNotAwaitingDecision, "")
	}
	if !in.Approve && strings.TrimSpace(in.Reason) == "" {
		return reject(PermitReasonRequired, "reason")
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
	fact := &facts.PermitStatusFact{Version: j.permit.Doc.Version, Status: status, StaffID: in.By.Ref, Reason: in.Reason, At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *facts.Record) { r.PermitStatus = fact })
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
		if workflow.GetVersion(ctx, versionPermitCorrections, workflow.DefaultVersion, 1) == 1 {
			if err := j.awaitCorrection(ctx); err != nil {
				return err
			}
			continue
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
		if workflow.GetVersion(ctx, versionPermitApprovedNotice, workflow.DefaultVersion, 1) == 1 {
			if err := j.tellApproved(ctx); err != nil {
				return err
			}
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
	j.permit = permitState{Doc: doc, Rejections: j.permit.Rejections, LastReason: j.permit.Reason, Correctable: j.permit.Correctable}
	j.note(ctx, "permit_prepared", systemActor, map[string]any{"version": doc.Version, "document_id": doc.DocumentID})
	fact := &facts.PermitStatusFact{Version: doc.Version, Status: "collecting", At: workflow.Now(ctx), Previous: previous}
	return j.flush(ctx, nil, func(r *facts.Record) { r.PermitStatus = fact })
}

// collectSignatures runs the three signers' ladders in parallel.
func (j *journey) collectSignatures(ctx workflow.Context) error {
	params := map[string]string{"employer_name": j.placement.Info.EmployerName}
	resign := ""
	if j.permit.Correctable && j.permit.LastReason != "" {
		// A corrected version: each signer hears why and what changed.
		resign = "permit_resign_request"
		params["reason"] = j.permit.LastReason
		params["changes"] = j.permit.Doc.Changes["en"]
		params["changes@es"] = j.permit.Doc.Changes["es"]
	}
	var ws []*wait
	for _, role := range PermitSigners {
		party := map[string]Party{"student": PartyStudent, "guardian": PartyGuardian, "employer": PartyEmployer}[role]
		w := j.newWait(ctx, j.signStep(role), "permit_sign", party, func() bool {
			return j.permit.signed(role) || j.isWaived(string(StageWorkPermit))
		}).with(params)
		w.link = &messaging.LinkSpec{Action: "sign_permit", SubjectRef: role + ":v" + itoa(int64(j.permit.Doc.Version)),
			DocumentSHA256: j.permit.Doc.SHA256, SingleUse: true}
		w.firstTemplate = resign
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
	fact := &facts.PermitStatusFact{Version: j.permit.Doc.Version, Status: "pending_approval", At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *facts.Record) { r.PermitStatus = fact })
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
		Signed: append([]string{}, j.permit.Signed...), Approved: j.permit.Approved, Rejections: j.permit.Rejections, SignedPDFID: j.permit.SignedPDF,
		AwaitingCorrection: j.permit.Correcting, Reason: j.permit.Reason}
}

// Changes to running permit logic (replay keeps older journeys on theirs).
const (
	// versionPermitCorrections: a rejected permit waits for corrections
	// before its next version is drawn.
	versionPermitCorrections = "permitfix-corrections"
	// versionPermitApprovedNotice: everyone hears the permit was approved.
	versionPermitApprovedNotice = "permitfix-approved-notice"
)

// awaitCorrection tells everyone the permit was rejected and why, asks the
// coordinator (and the employer, for its own fields) to correct it, and
// waits until one of them does.
func (j *journey) awaitCorrection(ctx workflow.Context) error {
	j.permit.Correctable, j.permit.Correcting = true, true
	defer func() { j.permit.Correcting = false }()
	next := itoa(int64(j.permit.Doc.Version + 1))
	params := map[string]string{"reason": j.permit.Reason}
	v := itoa(int64(j.permit.Doc.Version))
	msgs := []messaging.Request{
		j.message("permit_rejected:v"+v+":student", PartyStudent, "permit_rejected", params, nil),
		j.message("permit_rejected:v"+v+":guardian", PartyGuardian, "permit_rejected", params, nil),
		j.message("permit_rejected:v"+v+":employer", PartyEmployer, "permit_correction_employer", params,
			&messaging.LinkSpec{Action: "correct_permit", SubjectRef: "employer:v" + next, SingleUse: true}),
	}
	if err := j.flush(ctx, msgs); err != nil {
		return err
	}
	w := j.newWait(ctx, "permit_correction:v"+next, "permit_correction", PartyCoordinator, func() bool {
		return j.permit.Corrected || j.isWaived(string(StageWorkPermit))
	}).with(params)
	if len(j.ladder("permit_correction")) == 0 {
		// Programs defined before this step have no ladder for it: the
		// coordinator still gets the request once.
		req := j.message("permit_correction:v"+next+":request", PartyCoordinator, "permit_correction_request", params, nil)
		if err := j.flush(ctx, []messaging.Request{req}); err != nil {
			return err
		}
	}
	return j.stepThrough(ctx, w, "")
}

func (j *journey) validateCorrectPermit(in CorrectPermitInput) error {
	if err := j.atStage("correcting the work permit", StageWorkPermit); err != nil {
		return err
	}
	if !j.permit.Correcting || j.permit.Corrected {
		return reject(PermitNotCorrecting, "")
	}
	staff := in.By.Kind == "staff"
	if !staff && len(in.Values) == 0 {
		return reject(PermitNoChange, "")
	}
	seen := map[string]bool{}
	for _, v := range in.Values {
		c, ok := permit.FindCorrectable(v.Field)
		if !ok {
			return reject(PermitNotCorrectable, v.Field, v.Field)
		}
		if !staff && !c.Employer {
			return reject(PermitSchoolOnly, v.Field, strings.ReplaceAll(v.Field, "_", " "))
		}
		if seen[v.Field] {
			return reject(PermitFieldTwice, v.Field, v.Field)
		}
		seen[v.Field] = true
		if _, err := permit.CheckCorrection(v.Field, v.Value); err != nil {
			return reject(PermitFieldInvalid, v.Field, strings.ReplaceAll(v.Field, "_", " "), err)
		}
	}
	return nil
}

// correctPermit records the corrections for the version drawn next; the
// correction wait ends once they are written.
func (j *journey) correctPermit(ctx workflow.Context, in CorrectPermitInput) error {
	j.permit.Corrected = true
	fact := &facts.PermitCorrectionFact{Version: j.permit.Doc.Version + 1, ActorKind: in.By.Kind, ActorRef: in.By.Ref}
	fields := []string{}
	for _, v := range in.Values {
		value, _ := permit.CheckCorrection(v.Field, v.Value)
		fact.Values = append(fact.Values, facts.FieldValue{Field: v.Field, Value: value})
		fields = append(fields, v.Field)
	}
	// Field names only: the values may be an address or a date of birth.
	j.note(ctx, "permit_corrected", in.By, map[string]any{"version": fact.Version, "fields": fields})
	return j.flush(ctx, nil, func(r *facts.Record) { r.PermitCorrection = fact })
}

// tellApproved tells the student, parent, employer and coordinator that
// the permit is approved: work may start once the trainings are done.
func (j *journey) tellApproved(ctx workflow.Context) error {
	v := itoa(int64(j.permit.Doc.Version))
	params := map[string]string{"employer_name": j.placement.Info.EmployerName}
	var msgs []messaging.Request
	for _, p := range []Party{PartyStudent, PartyGuardian, PartyEmployer} {
		msgs = append(msgs, j.message("permit_approved:v"+v+":"+string(p), p, "permit_approved", params, nil))
	}
	msgs = append(msgs, j.message("permit_approved:v"+v+":coordinator", PartyCoordinator, "permit_approved_staff", params, nil))
	return j.flush(ctx, msgs)
}
