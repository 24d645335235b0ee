package workflows

import (
	"time"

	"github.com/internflow/internflow/internal/messaging"
)

// The timesheet week contract: one child workflow of a journey per week
// worked (TimesheetWorkflow, id WeekWorkflowID, input WeekInput, result
// WeekResult). The student submits the week's hours and the supervisor
// reviews them as updates (UpdateSubmitTimesheet, UpdateReviewTimesheet);
// the week tells its journey where it stands with SignalWeekStatus, and the
// journey nudges it with SignalNudge. Names are stored in running
// histories: never rename one.

// WeekInput starts a timesheet week.
type WeekInput struct {
	JourneyID  string              `json:"journey_id"`
	StudentID  string              `json:"student_id"`
	SchoolID   string              `json:"school_id"`
	DistrictID string              `json:"district_id"`
	Week       string              `json:"week"` // Monday, 2006-01-02
	Index      int                 `json:"index"`
	Supervisor messaging.Recipient `json:"supervisor"`
	// DueAt is when the student's reminders start (the end of the week).
	DueAt      time.Time         `json:"due_at"`
	Ladders    map[string]Ladder `json:"ladders"`
	TimeScale  float64           `json:"time_scale,omitempty"`
	HourRules  []HourRule        `json:"hour_rules,omitempty"`
	StudentAge int               `json:"student_age"`
	// BreakWeek: the week falls in a school break (different hour rules).
	BreakWeek bool `json:"break_week"`
	// SchoolDays are the days from this Monday through the next with
	// school (nil: Monday to Friday unless BreakWeek).
	SchoolDays []string `json:"school_days,omitempty"`
}

// WeekResult is a finished week.
type WeekResult struct {
	Week          string  `json:"week"`
	HoursApproved float64 `json:"hours_approved"`
	// HoursWithheld of the approved hours broke an hour rule: they count
	// only when staff decide so.
	HoursWithheld float64 `json:"hours_withheld,omitempty"`
	// ApprovedBy is who approved the hours (the journey's timeline names
	// them even when this result beats the week's status signal).
	ApprovedBy Actor `json:"approved_by,omitempty"`
}

// TimesheetEntry is one day's hours, and when work ended ("21:30";
// optional, checked against the latest hour a minor may work).
type TimesheetEntry struct {
	Date  string  `json:"date"`
	Hours float64 `json:"hours"`
	Note  string  `json:"note"`
	End   string  `json:"end,omitempty"`
}

// TimesheetInput is the student's week.
type TimesheetInput struct {
	By      Actor            `json:"by"`
	Entries []TimesheetEntry `json:"entries"`
}

// TimesheetReviewInput is the supervisor's answer.
type TimesheetReviewInput struct {
	By      Actor  `json:"by"`
	Approve bool   `json:"approve"`
	Note    string `json:"note"`
}

// WeekStatusSignal tells the journey where a week stands.
type WeekStatusSignal struct {
	Week    string   `json:"week"`
	Status  string   `json:"status"` // due, submitted, correction_requested, approved
	Hours   float64  `json:"hours"`
	Overdue bool     `json:"overdue"`
	Flags   []string `json:"flags,omitempty"`
	By      Actor    `json:"by"`
	// Breaches and Withheld: the hour rules the week breaks and the hours
	// over them.
	Breaches []HourBreach `json:"breaches,omitempty"`
	Withheld float64      `json:"withheld,omitempty"`
}

// Names of the week's updates and the journey signal it sends.
const (
	TimesheetWorkflow     = "TimesheetWeek"
	UpdateSubmitTimesheet = "submit_timesheet"
	UpdateReviewTimesheet = "review_timesheet"
	SignalWeekStatus      = "week_status"
)

// WeekWorkflowID is the week's child workflow id.
func WeekWorkflowID(journeyWorkflowID, week string) string {
	return journeyWorkflowID + "-week-" + week
}
