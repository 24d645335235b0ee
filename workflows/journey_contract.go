package workflows

import (
	"time"

	"github.com/internflow/internflow/workflows/facts"
)

// The journey contract: how the rest of internflow talks to a student's
// journey, one workflow per student per program year. Callers start it by
// JourneyWorkflow with a JourneyInput under JourneyWorkflowID, send it
// inputs as updates (Update* names, each with its *Input type next to the
// handler that validates it; rejections are InputError), tell it things by
// signal (Signal* names) and read it with the QueryStatus query
// (JourneyStatus). Every name here is stored in running histories: never
// rename one.

// JourneyWorkflowID is the Temporal workflow id of a journey: stable, so a
// retried enrolment finds the same workflow. It is defined in facts, so
// the store writes the same value into journeys.workflow_id.
func JourneyWorkflowID(journeyID string) string { return facts.JourneyWorkflowID(journeyID) }

// Names of the journey's queries, updates and signals, shared with the API.
const (
	JourneyWorkflow = "Journey"
	QueryStatus     = "status"

	UpdateSurvey            = "submit_survey"
	UpdateBadgeDocument     = "upload_badge_document"
	UpdateReviewBadge       = "review_badge"
	UpdateApply             = "apply"
	UpdateDecideApplication = "decide_application"
	UpdateAcceptOffer       = "accept_offer"
	UpdateSignPermit        = "sign_permit"
	UpdateDecidePermit      = "decide_permit"
	UpdateCorrectPermit     = "correct_permit"
	UpdateCompleteTraining  = "complete_training"
	UpdateSubmitDeliverable = "submit_deliverable"
	UpdateReviewDeliverable = "review_deliverable"
	UpdateReflection        = "submit_reflection"
	UpdateFeedback          = "submit_feedback"
	UpdateWaive             = "waive"
	UpdateWithdraw          = "withdraw"
	UpdateChangeSchedule    = "change_schedule"

	SignalNudge              = "nudge"
	SignalRetry              = "retry"
	SignalMOUApproved        = "mou_approved"
	SignalContactUnreachable = "contact_unreachable"
)

// Names of the found-placement updates.
const (
	UpdateReportFound  = "report_found_placement"
	UpdateVetFound     = "vet_found_placement"
	UpdateConfirmFound = "confirm_found_placement"
)

// UpdateDecideHours is staff deciding on a week's withheld hours.
const UpdateDecideHours = "decide_hours"

// UpdateMigrateProgram moves a running journey to a newer program version.
const UpdateMigrateProgram = "migrate_program"

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
