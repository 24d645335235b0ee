// Package workflows holds internflow's long-running processes: the student
// journey (one per student per program year), its timesheet weeks, and the
// employer MOU. Workflows decide; activities do the I/O.
package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
)

// Stage is where a journey stands.
type Stage string

// The journey's stages, in order (design.md §1).
const (
	StageSurvey      Stage = "survey"
	StageInternReady Stage = "intern_ready"
	StageApplying    Stage = "applying"
	StageMOUGate     Stage = "mou_gate"
	StageWorkPermit  Stage = "work_permit"
	StageTrainings   Stage = "trainings"
	StageWorking     Stage = "working"
	StageDeliverable Stage = "deliverable"
	StageCompleting  Stage = "completing"
	StageCompleted   Stage = "completed"
	StageWithdrawn   Stage = "withdrawn"
)

// stageOrder is the order run (journey.go) goes through the stages, for
// the status query's plan; keep the two in step (TestStatus_PlanAndWait
// Actions_FollowTheJourney reads the plan of a whole journey).
var stageOrder = []Stage{StageSurvey, StageInternReady, StageApplying, StageMOUGate, StageWorkPermit, StageTrainings,
	StageWorking, StageDeliverable, StageCompleting}

// Closed reports whether the journey has ended.
func (s Stage) Closed() bool { return s == StageCompleted || s == StageWithdrawn }

// Party is who a journey waits on.
type Party string

// Parties a wait can name.
const (
	PartyStudent     Party = "student"
	PartyGuardian    Party = "guardian"
	PartyEmployer    Party = "employer"
	PartyCoordinator Party = "coordinator"
	PartyIssuer      Party = "permit_issuer"
	PartyMOU         Party = "mou"
	PartyOps         Party = "district_ops"
)

// Actor is who gave an input: recorded with every accepted update.
type Actor struct {
	Kind string `json:"kind"` // student, guardian, employer, staff, system
	Ref  string `json:"ref"`  // their id (staff id, guardian id, supervisor id, link id)
}

// JourneyInput starts a journey. Program is a snapshot: later edits to the
// program do not change a running journey.
type JourneyInput struct {
	JourneyID  string `json:"journey_id"`
	StudentID  string `json:"student_id"`
	DistrictID string `json:"district_id"`
	SchoolID   string `json:"school_id"`
	ProgramID  string `json:"program_id"`
	// ProgramYear names the employer's MOU this journey may wait on.
	ProgramYear int `json:"program_year"`
	// StudentAge at enrolment: minors need a work permit; hour rules
	// depend on age.
	StudentAge     int  `json:"student_age"`
	StudentIsMinor bool `json:"student_is_minor"`
	// StudentBirthDate (2006-01-02, "" unknown) gives the age on each
	// timesheet week: hour rules follow the age the student works at.
	StudentBirthDate string  `json:"student_birth_date,omitempty"`
	Program          Program `json:"program"`
}

// JourneyResult is how a journey ended.
type JourneyResult struct {
	Stage         Stage   `json:"stage"`
	HoursApproved float64 `json:"hours_approved"`
}

// StepRecord is one line of the journey's step history.
type StepRecord struct {
	Seq   int64     `json:"seq"`
	Kind  string    `json:"kind"`
	Stage Stage     `json:"stage"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
}

// WaitStatus describes one open wait (several can be open at once, e.g.
// three permit signers).
type WaitStatus struct {
	Step        string     `json:"step"`
	WaitingOn   Party      `json:"waiting_on"`
	Since       time.Time  `json:"since"`
	Overdue     bool       `json:"overdue"`
	NextNudgeAt *time.Time `json:"next_nudge_at,omitempty"`
	// DueAt is when the wait turns overdue: its ladder's escalation to
	// staff (nil for a ladder that never escalates).
	DueAt *time.Time `json:"due_at,omitempty"`
	// Action, Subject and DocumentSHA256 name the link that does what the
	// wait asks (the person's own page offers it as a button); empty when
	// the wait has no link of its own.
	Action         string `json:"action,omitempty"`
	Subject        string `json:"subject,omitempty"`
	DocumentSHA256 string `json:"document_sha256,omitempty"`
}

// StageState is one stage of the journey's plan: "done", "now",
// "later", "waived" or "skipped" (it did not apply to this journey).
type StageState struct {
	Stage Stage  `json:"stage"`
	State string `json:"state"`
}

// JourneyStatus is what the status query returns.
type JourneyStatus struct {
	JourneyID     string       `json:"journey_id"`
	Stage         Stage        `json:"stage"`
	StageSince    time.Time    `json:"stage_since"`
	WaitingOn     Party        `json:"waiting_on"`
	Waits         []WaitStatus `json:"waits"`
	Overdue       bool         `json:"overdue"`
	NextNudgeAt   *time.Time   `json:"next_nudge_at,omitempty"`
	HoursApproved float64      `json:"hours_approved"`
	HoursRequired float64      `json:"hours_required"`
	Unreachable   []string     `json:"unreachable,omitempty"`
	StuckReason   string       `json:"stuck_reason,omitempty"`
	Steps         []StepRecord `json:"steps"`

	Applications         []ApplicationStatus `json:"applications"`
	Permit               *PermitStatus       `json:"permit,omitempty"`
	TrainingsOutstanding []string            `json:"trainings_outstanding,omitempty"`
	// TrainingsAvailable are the required trainings the student may
	// record now (before their placement too, once they are open),
	// neither done nor waived; TrainingsDone are those recorded, in the
	// order they were.
	TrainingsAvailable []string     `json:"trainings_available,omitempty"`
	TrainingsDone      []string     `json:"trainings_done,omitempty"`
	Weeks              []WeekStatus `json:"weeks"`

	// Plan is every stage in order with where the journey stands on it
	// (the student's own page shows it as a checklist).
	Plan []StageState `json:"plan,omitempty"`
	// TrainingsRequired are the trainings the program and placement ask
	// for (TrainingsOutstanding those still missing).
	TrainingsRequired []string `json:"trainings_required,omitempty"`
	// Found is the internship the student reported finding themselves
	// (nil when they have not).
	Found *FoundStatus `json:"found,omitempty"`
}

// Search attributes kept current on every journey.
var (
	SASchool     = temporal.NewSearchAttributeKeyKeyword("School")
	SAStage      = temporal.NewSearchAttributeKeyKeyword("Stage")
	SAWaitingOn  = temporal.NewSearchAttributeKeyKeyword("WaitingOn")
	SAStageSince = temporal.NewSearchAttributeKeyTime("StageSince")
)
