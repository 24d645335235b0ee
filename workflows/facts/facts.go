// Package facts holds what the workflows ask the activities to record and
// what they read back: a journey's state change (Record) with its typed
// facts, timeline events, audit entries, read-model row and open waits, a
// timesheet week's facts, and the postings a journey applies to. This is
// their one definition: the workflows own them so they need not import the
// PostgreSQL store, and the store reads and writes them as they are (it
// imports this package). Their JSON field names are what running histories
// hold: never rename one.
package facts

import (
	"encoding/json"
	"time"

	"github.com/internflow/internflow/internal/found"
	"github.com/internflow/internflow/internal/hours"
)

// JourneyWorkflowID is the Temporal workflow id of a journey. It is
// defined here, not in the journey's contract, because the store writes it
// into journeys.workflow_id and cannot import workflows (workflows imports
// activities, which import the store); the contract names it too.
func JourneyWorkflowID(journeyID string) string { return "journey-" + journeyID }

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

// JourneyView is the read-model row dashboards query, one per journey.
type JourneyView struct {
	JourneyID     string    `json:"journey_id"`
	StudentID     string    `json:"student_id"`
	DistrictID    string    `json:"district_id"`
	SchoolID      string    `json:"school_id"`
	ProgramID     string    `json:"program_id"`
	Stage         string    `json:"stage"`
	WaitingOn     string    `json:"waiting_on"`
	WaitingDetail string    `json:"waiting_detail"`
	StageSince    time.Time `json:"stage_since"`
	// WaitingSince is when the party now waited on was asked.
	WaitingSince  *time.Time `json:"waiting_since,omitempty"`
	Overdue       bool       `json:"overdue"`
	NextNudgeAt   *time.Time `json:"next_nudge_at,omitempty"`
	HoursApproved float64    `json:"hours_approved"`
	HoursRequired float64    `json:"hours_required"`
	// Unreachable is derived in PostgreSQL from the people the journey
	// depends on (0401_reachability.sql): what a workflow sends is ignored.
	Unreachable     bool       `json:"unreachable"`
	StuckReason     string     `json:"stuck_reason,omitempty"`
	ProjectTitle    string     `json:"project_title,omitempty"`
	SurveyDoneAt    *time.Time `json:"survey_done_at,omitempty"`
	InternReadyAt   *time.Time `json:"intern_ready_at,omitempty"`
	AppliedAt       *time.Time `json:"applied_at,omitempty"`
	PlacedAt        *time.Time `json:"placed_at,omitempty"`
	PermitDoneAt    *time.Time `json:"permit_done_at,omitempty"`
	TrainingsDoneAt *time.Time `json:"trainings_done_at,omitempty"`
	WorkingAt       *time.Time `json:"working_at,omitempty"`
	CompletedAt     *time.Time `json:"completed_at,omitempty"`
	WithdrawnAt     *time.Time `json:"withdrawn_at,omitempty"`
	UpdatedSeq      int64      `json:"updated_seq"`
}

// JourneyEvent is one accepted input or transition on a journey's timeline.
type JourneyEvent struct {
	JourneyID string          `json:"journey_id"`
	Seq       int64           `json:"seq"`
	Kind      string          `json:"kind"`
	Stage     string          `json:"stage"`
	ActorKind string          `json:"actor_kind"`
	ActorRef  string          `json:"actor_ref"`
	Detail    json.RawMessage `json:"detail,omitempty"`
	At        time.Time       `json:"at"`
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

// FoundPlacementFact is a student-found placement as it stands: written
// when the student reports it, the coordinator vets it and the supervisor
// answers.
type FoundPlacementFact struct {
	ID        string        `json:"id"`
	Status    string        `json:"status"`
	Details   found.Details `json:"details"`
	Comment   string        `json:"comment,omitempty"`
	Reason    string        `json:"reason,omitempty"`
	PostingID string        `json:"posting_id,omitempty"`
	ActorKind string        `json:"actor_kind"`
	ActorRef  string        `json:"actor_ref,omitempty"`
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

// HoursDecisionFact is staff deciding whether a week's hours over an hour
// rule count toward the required hours.
type HoursDecisionFact struct {
	Week     string    `json:"week"`
	Decision string    `json:"decision"` // count, dont_count
	StaffID  string    `json:"staff_id"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
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

// OpenWait is one thing a workflow is waiting for from one party right
// now. Messages that serve a wait carry its key, and the dispatcher sends
// them only while the wait is open for the party they ask (see
// messaging's send-time check), so a held reminder never reaches someone
// who has already acted.
type OpenWait struct {
	Key     string    `json:"key"`
	Party   string    `json:"party"`
	AskedAt time.Time `json:"asked_at"`
}

// WaitSet replaces every open wait an owner holds (a journey, one of its
// timesheet weeks, an MOU) with Waits. ClosedOwners are other owners of
// the same journey that are over (a cancelled week): their waits go too.
type WaitSet struct {
	Owner        string     `json:"owner"`
	Waits        []OpenWait `json:"waits"`
	ClosedOwners []string   `json:"closed_owners,omitempty"`
}

// JourneyWaitOwner owns the waits a journey itself runs; WeekWaitOwner
// those of one timesheet week.
const JourneyWaitOwner = "journey"

// WeekWaitOwner is the owner of a timesheet week's waits.
func WeekWaitOwner(week string) string { return "week:" + week }

// PostingInfo is what a journey needs from a posting to apply and place.
type PostingInfo struct {
	ID                 string     `json:"id"`
	Title              string     `json:"title"`
	Status             string     `json:"status"`
	Deadline           *time.Time `json:"deadline,omitempty"`
	EmployerID         string     `json:"employer_id"`
	EmployerName       string     `json:"employer_name"`
	EmployerIsDistrict bool       `json:"employer_is_district"`
	SupervisorID       string     `json:"supervisor_id,omitempty"`
	WorksiteID         string     `json:"worksite_id,omitempty"`
	Remote             bool       `json:"remote"`
	FundingSource      string     `json:"funding_source"`
	PayType            string     `json:"pay_type"`
	HoursPerWeek       float64    `json:"hours_per_week"`
	RequiredTrainings  []string   `json:"required_trainings"`
	Deliverable        string     `json:"deliverable,omitempty"`
	// SpotType "guaranteed": every student who applies gets an offer (the
	// program's promised fallback); "competitive": the employer chooses.
	SpotType   string `json:"spot_type,omitempty"`
	DistrictID string `json:"district_id"`
}

// FoundResolve makes an approved report real: the employer, supervisor
// and worksite (an existing one chosen by the coordinator, or new) and a
// closed posting carrying the placement's terms to the permit, the pages
// and the reports.
type FoundResolve struct {
	FoundID      string        `json:"found_id"`
	JourneyID    string        `json:"journey_id"`
	DistrictID   string        `json:"district_id"`
	ProgramID    string        `json:"program_id"`
	Details      found.Details `json:"details"`
	EmployerID   string        `json:"employer_id,omitempty"`
	SupervisorID string        `json:"supervisor_id,omitempty"`
	Funding      string        `json:"funding"`
}
