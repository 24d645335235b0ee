package journey

import (
	"context"

	"github.com/internflow/internflow/workflows"
)

// People's actions on a journey, one method each: pages, staff pages and
// tools call these and never name an update. Each computes its workflow's
// id from the journey id (no row is read for it), sends the typed input as
// the workflow's update and waits for it to accept or reject it. updateID
// makes the same action sent twice one effect ("" draws a fresh one).

// SubmitSurvey is the student's interest survey.
func (s *Service) SubmitSurvey(ctx context.Context, journeyID, updateID string, in workflows.SurveyInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateSurvey, updateID, in)
}

// UploadBadgeDocument is a résumé or cover letter for the Intern Ready badge.
func (s *Service) UploadBadgeDocument(ctx context.Context, journeyID, updateID string, in workflows.BadgeDocumentInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateBadgeDocument, updateID, in)
}

// ReviewBadge is the coordinator's approval or return of the badge.
func (s *Service) ReviewBadge(ctx context.Context, journeyID, updateID string, in workflows.BadgeReviewInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateReviewBadge, updateID, in)
}

// Apply is the student's application to a posting.
func (s *Service) Apply(ctx context.Context, journeyID, updateID string, in workflows.ApplyInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateApply, updateID, in)
}

// DecideApplication is the employer's decision on an application
// (interview, offer, decline).
func (s *Service) DecideApplication(ctx context.Context, journeyID, updateID string, in workflows.DecisionInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateDecideApplication, updateID, in)
}

// AcceptOffer is the student's acceptance of an offer.
func (s *Service) AcceptOffer(ctx context.Context, journeyID, updateID string, in workflows.AcceptOfferInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateAcceptOffer, updateID, in)
}

// ReportFoundPlacement is an internship the student found on their own,
// reported by them or by staff for them.
func (s *Service) ReportFoundPlacement(ctx context.Context, journeyID, updateID string, in workflows.FoundPlacementInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateReportFound, updateID, in)
}

// VetFoundPlacement is the coordinator's check of a found internship.
func (s *Service) VetFoundPlacement(ctx context.Context, journeyID, updateID string, in workflows.VetFoundInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateVetFound, updateID, in)
}

// ConfirmFoundPlacement is the supervisor's confirmation of a found internship.
func (s *Service) ConfirmFoundPlacement(ctx context.Context, journeyID, updateID string, in workflows.ConfirmFoundInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateConfirmFound, updateID, in)
}

// SignPermit is one signer's signature on the work permit (student,
// guardian or employer).
func (s *Service) SignPermit(ctx context.Context, journeyID, updateID string, in workflows.SignInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateSignPermit, updateID, in)
}

// DecidePermit is the permit issuer's approval or rejection.
func (s *Service) DecidePermit(ctx context.Context, journeyID, updateID string, in workflows.PermitDecisionInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateDecidePermit, updateID, in)
}

// CorrectPermit is the correction of a rejected permit, drawing a new
// version for the signers.
func (s *Service) CorrectPermit(ctx context.Context, journeyID, updateID string, in workflows.CorrectPermitInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateCorrectPermit, updateID, in)
}

// CompleteTraining is a required training, with its certificate.
func (s *Service) CompleteTraining(ctx context.Context, journeyID, updateID string, in workflows.TrainingInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateCompleteTraining, updateID, in)
}

// SubmitDeliverable is the student's final deliverable.
func (s *Service) SubmitDeliverable(ctx context.Context, journeyID, updateID string, in workflows.DeliverableInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateSubmitDeliverable, updateID, in)
}

// ReviewDeliverable is the supervisor's acceptance or return of the deliverable.
func (s *Service) ReviewDeliverable(ctx context.Context, journeyID, updateID string, in workflows.DeliverableReviewInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateReviewDeliverable, updateID, in)
}

// SubmitReflection is the student's closing reflection.
func (s *Service) SubmitReflection(ctx context.Context, journeyID, updateID string, in workflows.ReflectionInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateReflection, updateID, in)
}

// GiveFeedback is the supervisor's feedback on the intern.
func (s *Service) GiveFeedback(ctx context.Context, journeyID, updateID string, in workflows.FeedbackInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateFeedback, updateID, in)
}

// Waive is a coordinator's waiver of a step.
func (s *Service) Waive(ctx context.Context, journeyID, updateID string, in workflows.WaiveInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateWaive, updateID, in)
}

// Withdraw ends the journey at the coordinator's request.
func (s *Service) Withdraw(ctx context.Context, journeyID, updateID string, in workflows.WithdrawInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateWithdraw, updateID, in)
}

// ChangeSchedule changes the internship's working schedule.
func (s *Service) ChangeSchedule(ctx context.Context, journeyID, updateID string, in workflows.ScheduleInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateChangeSchedule, updateID, in)
}

// DecideHours is the coordinator's decision on a week's hours the rules
// for minors flagged.
func (s *Service) DecideHours(ctx context.Context, journeyID, updateID string, in workflows.HoursDecisionInput) error {
	return s.updateJourney(ctx, journeyID, workflows.UpdateDecideHours, updateID, in)
}

// SubmitTimesheet is the student's hours for one week (its Monday).
func (s *Service) SubmitTimesheet(ctx context.Context, journeyID, week, updateID string, in workflows.TimesheetInput) error {
	return s.updateWeek(ctx, journeyID, week, workflows.UpdateSubmitTimesheet, updateID, in)
}

// ReviewTimesheet is the supervisor's approval or return of one week's hours.
func (s *Service) ReviewTimesheet(ctx context.Context, journeyID, week, updateID string, in workflows.TimesheetReviewInput) error {
	return s.updateWeek(ctx, journeyID, week, workflows.UpdateReviewTimesheet, updateID, in)
}

// SignMOU is the employer's signature on their MOU for a program year.
func (s *Service) SignMOU(ctx context.Context, employerID string, year int, updateID string, in workflows.MOUSignInput) error {
	return s.update(ctx, workflows.MOUWorkflowID(employerID, year), workflows.UpdateSignMOU, updateID, in)
}

// DecideMOU is the district's approval (with the implementation date) or
// return of an employer's signed MOU.
func (s *Service) DecideMOU(ctx context.Context, employerID string, year int, updateID string, in workflows.MOUApproveInput) error {
	return s.update(ctx, workflows.MOUWorkflowID(employerID, year), workflows.UpdateApproveMOU, updateID, in)
}

// Nudge asks the journey to remind everyone it waits on (or one party)
// with a fresh link. A journey that has ended answers with an InputError.
func (s *Service) Nudge(ctx context.Context, journeyID string, in workflows.NudgeSignal) error {
	return s.signal(ctx, journeyID, workflows.SignalNudge, in)
}

// Retry asks the journey to run its failing step again.
func (s *Service) Retry(ctx context.Context, journeyID string, in workflows.RetrySignal) error {
	return s.signal(ctx, journeyID, workflows.SignalRetry, in)
}

// updateJourney sends an update to the journey's own workflow.
func (s *Service) updateJourney(ctx context.Context, journeyID, name, updateID string, input any) error {
	return s.update(ctx, workflows.JourneyWorkflowID(journeyID), name, updateID, input)
}
