package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/temporal"
)

// InputError is a rejection the API shows to the person: which field, why.
// Code names the rejection for every language (the pages' catalogue);
// Message is the journey's English sentence, and Args the values it names
// (a skill, a stage), as text. Code and Args are empty in rejections
// recorded before codes existed, and in staff refusals built outside the
// journey.
type InputError struct {
	Code    Code     `json:"code,omitempty"`
	Field   string   `json:"field,omitempty"`
	Message string   `json:"message"`
	Args    []string `json:"args,omitempty"`
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return e.Field + ": " + e.Message
}

// InputErrorType is the ApplicationError type validators reject with.
const InputErrorType = "InputError"

// Code names why the journey refused an input, stably: pages translate
// it, clients may branch on it. Its English is the journey's own sentence.
type Code string

// NewInputError is the refusal with code on field, its English written
// from the code's sentence and args.
func NewInputError(code Code, field string, args ...any) *InputError {
	ie := &InputError{Code: code, Field: field, Message: fmt.Sprintf(inputTexts[code], args...)}
	for _, a := range args {
		ie.Args = append(ie.Args, fmt.Sprint(a))
	}
	return ie
}

// reject is what validators return: a non-retryable error carrying the
// code, field and message, which the service turns back into an *InputError.
func reject(code Code, field string, args ...any) error {
	return rejectWith(NewInputError(code, field, args...))
}

// rejectWith is the rejection carrying ie.
func rejectWith(ie *InputError) error {
	return temporal.NewNonRetryableApplicationError(ie.Message, InputErrorType, nil, *ie)
}

// Codes is every code the journey rejects with, sorted.
func Codes() []Code {
	out := make([]Code, 0, len(inputTexts))
	for c := range inputTexts {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// English is the code's sentence as a format (args in the order the
// rejection gives them).
func (c Code) English() string { return inputTexts[c] }

// The codes, by the step that refuses.
const (
	JourneyEnded        Code = "journey.ended"
	JourneyAlreadyEnded Code = "journey.already_ended"
	JourneyClosed       Code = "journey.closed"
	StepClosed          Code = "step.closed"
	StepNotOpen         Code = "step.not_open"

	SurveyAlreadySubmitted  Code = "survey.already_submitted"
	SurveyPathwayRequired   Code = "survey.pathway_required"
	SurveyTransportRequired Code = "survey.transport_required"

	BadgeKindRequired    Code = "badge.kind_required"
	BadgeFileRequired    Code = "badge.file_required"
	BadgeInReview        Code = "badge.in_review"
	BadgeNotUploaded     Code = "badge.not_uploaded"
	BadgeCommentRequired Code = "badge.comment_required"

	ApplyPostingRequired   Code = "apply.posting_required"
	ApplyAlreadyApplied    Code = "apply.already_applied"
	ApplyTooManyOpen       Code = "apply.too_many_open"
	ApplyPostingUnknown    Code = "apply.posting_unknown"
	ApplyPostingClosed     Code = "apply.posting_closed"
	ApplyDeadlinePassed    Code = "apply.deadline_passed"
	ApplicationUnknown     Code = "application.unknown"
	ApplicationCannotMove  Code = "application.cannot_move"
	ApplicationNoOpenOffer Code = "application.no_open_offer"

	FoundHasPlacement          Code = "found.has_placement"
	FoundCoordinatorChecking   Code = "found.coordinator_checking"
	FoundSupervisorConfirming  Code = "found.supervisor_confirming"
	FoundDetailsInvalid        Code = "found.details_invalid"
	FoundNoneWaiting           Code = "found.none_waiting"
	FoundStaffOnly             Code = "found.staff_only"
	FoundCommentRequired       Code = "found.comment_required"
	FoundCheckRequired         Code = "found.check_required"
	FoundFundingUnknown        Code = "found.funding_unknown"
	FoundEmployerNotRecorded   Code = "found.employer_not_recorded"
	FoundNotAwaitingSupervisor Code = "found.not_awaiting_supervisor"
	FoundReasonRequired        Code = "found.reason_required"
	FoundReasonTooLong         Code = "found.reason_too_long"

	PermitNotReady            Code = "permit.not_ready"
	PermitUnknownSigner       Code = "permit.unknown_signer"
	PermitAlreadySigned       Code = "permit.already_signed"
	PermitNotAwaitingDecision Code = "permit.not_awaiting_decision"
	PermitReasonRequired      Code = "permit.reason_required"
	PermitNotCorrecting       Code = "permit.not_correcting"
	PermitNoChange            Code = "permit.no_change"
	PermitNotCorrectable      Code = "permit.not_correctable"
	PermitSchoolOnly          Code = "permit.school_only"
	PermitFieldTwice          Code = "permit.field_twice"
	PermitFieldInvalid        Code = "permit.field_invalid"
	SignDocumentChanged       Code = "sign.document_changed"
	SignConsentRequired       Code = "sign.consent_required"
	SignNameRequired          Code = "sign.name_required"

	MOUNotAwaitingEmployer      Code = "mou.not_awaiting_employer"
	MOUNotAwaitingDistrict      Code = "mou.not_awaiting_district"
	MOUReasonRequired           Code = "mou.reason_required"
	MOUImplementationDateNeeded Code = "mou.implementation_date_required"

	TrainingNotYet               Code = "training.not_yet"
	TrainingNotRequiredProgram   Code = "training.not_required_by_program"
	TrainingNotRequiredPlacement Code = "training.not_required_for_placement"
	TrainingAlreadyRecorded      Code = "training.already_recorded"
	TrainingCertificateRequired  Code = "training.certificate_required"
	TrainingDateRequired         Code = "training.date_required"
	TrainingDateInFuture         Code = "training.date_in_future"

	WeekAlreadyApproved Code = "week.already_approved"
	WeekWithSupervisor  Code = "week.with_supervisor"
	WeekHoursRequired   Code = "week.hours_required"
	WeekDateFormat      Code = "week.date_format"
	WeekDateOutside     Code = "week.date_outside"
	WeekDateInFuture    Code = "week.date_in_future"
	WeekDateTwice       Code = "week.date_twice"
	WeekHoursRange      Code = "week.hours_range"
	WeekEndFormat       Code = "week.end_format"
	WeekNotSubmitted    Code = "week.not_submitted"
	WeekNoteRequired    Code = "week.note_required"

	DeliverableInReview        Code = "deliverable.in_review"
	DeliverableWorkRequired    Code = "deliverable.work_required"
	DeliverableHoursRange      Code = "deliverable.hours_range"
	DeliverableNoneWaiting     Code = "deliverable.none_waiting"
	DeliverableCommentRequired Code = "deliverable.comment_required"

	ReflectionAlreadySubmitted Code = "reflection.already_submitted"
	ReflectionTooShort         Code = "reflection.too_short"
	ReflectionTooLong          Code = "reflection.too_long"
	ReflectionRecommendNeeded  Code = "reflection.recommend_required"
	ReflectionCommentTooLong   Code = "reflection.comment_too_long"
	FeedbackAlreadyGiven       Code = "feedback.already_given"
	FeedbackRatingMissing      Code = "feedback.rating_missing"
	FeedbackRatingRange        Code = "feedback.rating_range"
	FeedbackRatingsExactly     Code = "feedback.ratings_exactly"

	WaiveReasonRequired    Code = "waive.reason_required"
	WaiveNotWaivable       Code = "waive.not_waivable"
	WaiveAlreadyWaived     Code = "waive.already_waived"
	WithdrawReasonRequired Code = "withdraw.reason_required"
	LadderUnknown          Code = "ladder.unknown"
	LadderRungsOrder       Code = "ladder.rungs_order"
	LadderRungTemplate     Code = "ladder.rung_template"
	HoursReasonRequired    Code = "hours.reason_required"
	HoursNoTimesheet       Code = "hours.no_timesheet"
	HoursAlreadyDecided    Code = "hours.already_decided"
	HoursNoneHeld          Code = "hours.none_held"
	HoursNotApproved       Code = "hours.not_approved"
	ProgramSameVersion     Code = "program.same_version"
	ProgramNegativeHours   Code = "program.negative_hours"
	ProgramInvalid         Code = "program.invalid"
)

// inputTexts are the journey's English sentences by code, as formats of
// the rejection's args. They are what the API answers and what histories
// hold: change one only on purpose.
var inputTexts = map[Code]string{
	JourneyEnded:        "this journey has ended",
	JourneyAlreadyEnded: "this journey has already ended",
	JourneyClosed:       "this journey is closed",
	StepClosed:          "this step is closed",
	StepNotOpen:         "%s is not open right now (the journey is at %s)",

	SurveyAlreadySubmitted:  "the survey was already submitted",
	SurveyPathwayRequired:   "choose a career pathway",
	SurveyTransportRequired: "choose how you would get to work",

	BadgeKindRequired:    "upload a resume or a cover letter",
	BadgeFileRequired:    "attach the file",
	BadgeInReview:        "your resume and cover letter are with your coordinator for review",
	BadgeNotUploaded:     "the student has not uploaded both documents yet",
	BadgeCommentRequired: "say what the student should change",

	ApplyPostingRequired:   "choose a posting",
	ApplyAlreadyApplied:    "you already applied to this posting",
	ApplyTooManyOpen:       "you have %d open applications; wait for answers before applying to more",
	ApplyPostingUnknown:    "that posting does not exist",
	ApplyPostingClosed:     "that posting is not open for applications",
	ApplyDeadlinePassed:    "the application deadline has passed",
	ApplicationUnknown:     "no such application",
	ApplicationCannotMove:  "an application that is %s cannot move to %s",
	ApplicationNoOpenOffer: "there is no open offer for that application",

	FoundHasPlacement:          "you already have a placement",
	FoundCoordinatorChecking:   "your coordinator is already checking the internship you reported",
	FoundSupervisorConfirming:  "your supervisor is confirming the internship you reported",
	FoundDetailsInvalid:        "%s",
	FoundNoneWaiting:           "there is no reported internship waiting to be checked",
	FoundStaffOnly:             "only staff vet a reported internship",
	FoundCommentRequired:       "say what the student should change",
	FoundCheckRequired:         "check %s before approving",
	FoundFundingUnknown:        "funding %q is not employer_paid, district_cte or city_program",
	FoundEmployerNotRecorded:   "the employer could not be recorded: %v",
	FoundNotAwaitingSupervisor: "this internship is not waiting for your confirmation",
	FoundReasonRequired:        "say why you cannot confirm it",
	FoundReasonTooLong:         "keep the reason to %d characters",

	PermitNotReady:            "the work permit is not ready for signatures",
	PermitUnknownSigner:       "unknown signer role %q",
	PermitAlreadySigned:       "the %s has already signed this permit",
	PermitNotAwaitingDecision: "the permit is not waiting for a decision",
	PermitReasonRequired:      "give the reason for rejecting the permit",
	PermitNotCorrecting:       "the work permit is not waiting for corrections",
	PermitNoChange:            "change at least one field",
	PermitNotCorrectable:      "%s cannot be corrected",
	PermitSchoolOnly:          "only the school can correct %s",
	PermitFieldTwice:          "%s is given twice",
	PermitFieldInvalid:        "%s %v",
	SignDocumentChanged:       "the %s changed since this link was sent; use the newest link",
	SignConsentRequired:       "agree to sign electronically first",
	SignNameRequired:          "type your full name to sign",

	MOUNotAwaitingEmployer:      "this MOU is not waiting for the employer's signature",
	MOUNotAwaitingDistrict:      "this MOU is not waiting for district approval",
	MOUReasonRequired:           "give the reason for sending it back",
	MOUImplementationDateNeeded: "give the implementation date (YYYY-MM-DD)",

	TrainingNotYet:               "trainings open once you are Intern Ready",
	TrainingNotRequiredProgram:   "that training is not required by your program",
	TrainingNotRequiredPlacement: "that training is not required for your placement",
	TrainingAlreadyRecorded:      "that training is already recorded",
	TrainingCertificateRequired:  "upload your certificate",
	TrainingDateRequired:         "give the date you completed it",
	TrainingDateInFuture:         "the completion date is in the future",

	WeekAlreadyApproved: "this week is already approved",
	WeekWithSupervisor:  "this week is with your supervisor for approval",
	WeekHoursRequired:   "enter the hours you worked",
	WeekDateFormat:      "give a date like 2006-01-02",
	WeekDateOutside:     "%s is not in the week of %s",
	WeekDateInFuture:    "%s has not happened yet: add its hours once you have worked them",
	WeekDateTwice:       "%s is entered twice",
	WeekHoursRange:      "hours in a day go from 0 to 24",
	WeekEndFormat:       "give the time work ended like 18:30",
	WeekNotSubmitted:    "the student has not submitted this week yet",
	WeekNoteRequired:    "say what the student should correct",

	DeliverableInReview:        "your deliverable is with the employer for review",
	DeliverableWorkRequired:    "attach your work or describe it",
	DeliverableHoursRange:      "enter the hours you spent (more than 0, at most 40)",
	DeliverableNoneWaiting:     "there is no deliverable waiting for review",
	DeliverableCommentRequired: "say what should change",

	ReflectionAlreadySubmitted: "your reflection was already submitted",
	ReflectionTooShort:         "write a few sentences about what you learned",
	ReflectionTooLong:          "keep the reflection under 10,000 characters",
	ReflectionRecommendNeeded:  "choose from 1 to 5 how much you would recommend this placement to a friend",
	ReflectionCommentTooLong:   "keep the comment under 3,000 characters",
	FeedbackAlreadyGiven:       "feedback was already given",
	FeedbackRatingMissing:      "rate %s",
	FeedbackRatingRange:        "ratings go from 1 to 5",
	FeedbackRatingsExactly:     "rate exactly: %s",

	WaiveReasonRequired:    "give the reason for waiving",
	WaiveNotWaivable:       "%q cannot be waived",
	WaiveAlreadyWaived:     "%q is already waived",
	WithdrawReasonRequired: "give the reason for withdrawing",
	LadderUnknown:          "no reminder ladder called %q",
	LadderRungsOrder:       "reminders must be in order of days, from 0",
	LadderRungTemplate:     "every reminder needs a template",
	HoursReasonRequired:    "give the reason for your decision",
	HoursNoTimesheet:       "there is no timesheet for the week of %s",
	HoursAlreadyDecided:    "the held hours of the week of %s are already decided",
	HoursNoneHeld:          "no hours of the week of %s are held back",
	HoursNotApproved:       "the supervisor has not approved the week of %s yet",
	ProgramSameVersion:     "the journey already runs version %d of its program",
	ProgramNegativeHours:   "required hours cannot be negative",
	ProgramInvalid:         "%s",
}
