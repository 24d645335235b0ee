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

// Search attributes kept current on every journey.
var (
	SASchool     = temporal.NewSearchAttributeKeyKeyword("School")
	SAStage      = temporal.NewSearchAttributeKeyKeyword("Stage")
	SAWaitingOn  = temporal.NewSearchAttributeKeyKeyword("WaitingOn")
	SAStageSince = temporal.NewSearchAttributeKeyTime("StageSince")
)
