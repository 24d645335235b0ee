// Package simulate plays the people of a journey through the journey
// service: the student, a guardian, the employer's supervisor and staff.
// The demo data uses it to put journeys at every stage, and integration
// tests use it to drive journeys end to end.
package simulate

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/workflows"
)

// Journey is one student's journey and the people acting on it. Update ids
// are derived from Key, so replaying a script applies each step once.
type Journey struct {
	Service  *journey.Service
	ID       string
	Key      string
	Student  workflows.Actor
	Guardian workflows.Actor
	Employer workflows.Actor
	Staff    workflows.Actor
	Issuer   workflows.Actor
	// Wait bounds how long a step waits for the journey to reach it.
	Wait time.Duration
	// RealTime: the program runs on the calendar (not compressed), so a
	// student enters hours only for days that have happened.
	RealTime bool
}

// ErrTimeout means the journey did not reach the expected state in time.
var ErrTimeout = errors.New("simulate: the journey did not get there in time")

// act is one step of the script: a person's action on the journey under
// an update id derived from the step.
func act[T any](ctx context.Context, j *Journey, action func(ctx context.Context, journeyID, updateID string, in T) error, step string, in T) error {
	if err := action(ctx, j.ID, j.Key+":"+step, in); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return nil
}

// Until polls the live status until ok holds.
func (j *Journey) Until(ctx context.Context, ok func(workflows.JourneyStatus) bool) (workflows.JourneyStatus, error) {
	wait := j.Wait
	if wait == 0 {
		// A bound on a stuck journey, not a pause: polling returns as soon
		// as the journey gets there. The demo plays 14 journeys at once;
		// beside a whole test run on a busy 2-core machine one step took
		// over 30 s (query tasks expired), so the bound leaves room for that.
		wait = 2 * time.Minute
	}
	deadline := time.Now().Add(wait)
	for {
		st, err := j.Service.Query(ctx, j.ID)
		if err == nil && ok(st) {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("%w (at %s)", ErrTimeout, st.Stage)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// At waits for a stage.
func (j *Journey) At(ctx context.Context, s workflows.Stage) error {
	_, err := j.Until(ctx, func(st workflows.JourneyStatus) bool { return st.Stage == s })
	return err
}

// Survey answers the interest survey.
func (j *Journey) Survey(ctx context.Context, pathway, transport string) error {
	if err := j.At(ctx, workflows.StageSurvey); err != nil {
		return err
	}
	return act(ctx, j, j.Service.SubmitSurvey, "survey", workflows.SurveyInput{By: j.Student, Pathway: pathway,
		Transport: transport, ContactConsent: true, Languages: []string{"en"}})
}

// UploadBadge uploads the resume and cover letter (already stored).
func (j *Journey) UploadBadge(ctx context.Context, resumeID, coverLetterID string) error {
	if err := j.At(ctx, workflows.StageInternReady); err != nil {
		return err
	}
	if err := act(ctx, j, j.Service.UploadBadgeDocument, "resume", workflows.BadgeDocumentInput{By: j.Student, Kind: "resume", DocumentID: resumeID}); err != nil {
		return err
	}
	return act(ctx, j, j.Service.UploadBadgeDocument, "cover", workflows.BadgeDocumentInput{By: j.Student, Kind: "cover_letter", DocumentID: coverLetterID})
}

// ApproveBadge is the coordinator's approval of the Intern Ready badge.
func (j *Journey) ApproveBadge(ctx context.Context) error {
	return act(ctx, j, j.Service.ReviewBadge, "badge", workflows.BadgeReviewInput{By: j.Staff, Approve: true})
}

// Apply applies to a posting and returns the application id.
func (j *Journey) Apply(ctx context.Context, postingID string) (string, error) {
	if err := j.At(ctx, workflows.StageApplying); err != nil {
		return "", err
	}
	if err := act(ctx, j, j.Service.Apply, "apply:"+postingID, workflows.ApplyInput{By: j.Student, PostingID: postingID}); err != nil {
		return "", err
	}
	st, err := j.Until(ctx, func(st workflows.JourneyStatus) bool { return len(st.Applications) > 0 })
	if err != nil {
		return "", err
	}
	for _, a := range st.Applications {
		if a.PostingID == postingID {
			return a.ID, nil
		}
	}
	return "", fmt.Errorf("no application to posting %s", postingID)
}

// Decide is the employer moving an application to a status.
func (j *Journey) Decide(ctx context.Context, applicationID, status string) error {
	return act(ctx, j, j.Service.DecideApplication, "decide:"+applicationID+":"+status,
		workflows.DecisionInput{By: j.Employer, ApplicationID: applicationID, Status: status})
}

// Accept is the student accepting an offer.
func (j *Journey) Accept(ctx context.Context, applicationID string) error {
	return act(ctx, j, j.Service.AcceptOffer, "accept:"+applicationID, workflows.AcceptOfferInput{By: j.Student, ApplicationID: applicationID})
}

// Place applies to a posting, gets an offer and accepts it.
func (j *Journey) Place(ctx context.Context, postingID string) error {
	app, err := j.Apply(ctx, postingID)
	if err == nil {
		err = j.Decide(ctx, app, "offer")
	}
	if err == nil {
		err = j.Accept(ctx, app)
	}
	return err
}

// Sign signs the current permit version as one role.
func (j *Journey) Sign(ctx context.Context, role string) error {
	st, err := j.Until(ctx, func(st workflows.JourneyStatus) bool { return st.Permit != nil })
	if err != nil {
		return err
	}
	by := map[string]workflows.Actor{"student": j.Student, "guardian": j.Guardian, "employer": j.Employer}[role]
	return act(ctx, j, j.Service.SignPermit, fmt.Sprintf("sign:%s:v%d", role, st.Permit.Version), workflows.SignInput{
		By: by, Role: role, TypedName: "Signed by the " + role, DocumentSHA256: st.Permit.DocumentSHA256,
		Consent: true, ConsentAt: time.Now(), IP: "127.0.0.1", UserAgent: "internflow simulate"})
}

// ApprovePermit is the permit issuer's approval.
func (j *Journey) ApprovePermit(ctx context.Context) error {
	return act(ctx, j, j.Service.DecidePermit, "permit", workflows.PermitDecisionInput{By: j.Issuer, Approve: true})
}

// Train records a required training with its certificate.
func (j *Journey) Train(ctx context.Context, code, certificateID string) error {
	if err := j.At(ctx, workflows.StageTrainings); err != nil {
		return err
	}
	return act(ctx, j, j.Service.CompleteTraining, "training:"+code, workflows.TrainingInput{By: j.Student, Code: code,
		DocumentID: certificateID, CompletedOn: time.Now().Format(time.DateOnly)})
}

// WorkWeek submits week n's hours (hoursPerDay on weekdays up to today
// when the week is the current one) and has the supervisor approve them.
func (j *Journey) WorkWeek(ctx context.Context, n int, hoursPerDay float64) error {
	st, err := j.Until(ctx, func(st workflows.JourneyStatus) bool { return len(st.Weeks) > n })
	if err != nil {
		return err
	}
	week := st.Weeks[n].Week
	monday, _ := time.Parse(time.DateOnly, week)
	var entries []workflows.TimesheetEntry
	today := time.Now().UTC().Format(time.DateOnly)
	for d := range 5 {
		day := monday.AddDate(0, 0, d).Format(time.DateOnly)
		if j.RealTime && day > today && d > 0 { // not worked yet (Monday is the week's first day)
			break
		}
		entries = append(entries, workflows.TimesheetEntry{Date: day, Hours: hoursPerDay})
	}
	key := j.Key + ":week:" + week
	if err := j.Service.SubmitTimesheet(ctx, j.ID, week, key+":submit", workflows.TimesheetInput{By: j.Student, Entries: entries}); err != nil {
		return fmt.Errorf("submit week %s: %w", week, err)
	}
	if err := j.Service.ReviewTimesheet(ctx, j.ID, week, key+":approve", workflows.TimesheetReviewInput{By: j.Employer, Approve: true}); err != nil {
		return fmt.Errorf("approve week %s: %w", week, err)
	}
	return nil
}

// Reflect submits the student's reflection with their 1-5 "would you
// recommend it to a friend" and a comment for staff.
func (j *Journey) Reflect(ctx context.Context, body string, recommend int, comment string) error {
	if err := j.At(ctx, workflows.StageCompleting); err != nil {
		return err
	}
	return act(ctx, j, j.Service.SubmitReflection, "reflection", workflows.ReflectionInput{By: j.Student, Body: body,
		Recommend: recommend, Comment: comment})
}

// Feedback gives the employer's ratings (4 out of 5 on every skill).
func (j *Journey) Feedback(ctx context.Context, comment string) error {
	ratings := map[string]int{}
	for _, s := range workflows.SoftSkills {
		ratings[s] = 4
	}
	return act(ctx, j, j.Service.GiveFeedback, "feedback", workflows.FeedbackInput{By: j.Employer, Ratings: ratings, Comment: comment})
}

// Deliver submits a micro-internship's deliverable and has it accepted.
func (j *Journey) Deliver(ctx context.Context, documentID string, hours float64) error {
	if err := j.At(ctx, workflows.StageDeliverable); err != nil {
		return err
	}
	if err := act(ctx, j, j.Service.SubmitDeliverable, "deliverable", workflows.DeliverableInput{By: j.Student, DocumentID: documentID, Hours: hours}); err != nil {
		return err
	}
	return act(ctx, j, j.Service.ReviewDeliverable, "deliverable-review", workflows.DeliverableReviewInput{By: j.Employer, Accept: true})
}
