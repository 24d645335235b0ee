package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// Deliverable (micro-internships): the student submits the project's
// deliverable; the employer accepts it or asks for changes.

// DeliverableInput is a submission of the project's deliverable.
type DeliverableInput struct {
	By         Actor   `json:"by"`
	DocumentID string  `json:"document_id"`
	Note       string  `json:"note"`
	Hours      float64 `json:"hours"`
}

// DeliverableReviewInput is the employer's answer.
type DeliverableReviewInput struct {
	By      Actor  `json:"by"`
	Accept  bool   `json:"accept"`
	Comment string `json:"comment"`
}

type deliverableState struct {
	Version   int
	Submitted bool // the current version awaits review
	Accepted  bool
	Hours     float64
	Comment   string
}

func (j *journey) validateDeliverable(in DeliverableInput) error {
	if err := j.atStage("submitting the deliverable", StageDeliverable); err != nil {
		return err
	}
	if j.deliverable.Submitted {
		return reject(DeliverableInReview, "")
	}
	if strings.TrimSpace(in.DocumentID) == "" && strings.TrimSpace(in.Note) == "" {
		return reject(DeliverableWorkRequired, "document_id")
	}
	if in.Hours <= 0 || in.Hours > 40 {
		return reject(DeliverableHoursRange, "hours")
	}
	return nil
}

func (j *journey) submitDeliverable(ctx workflow.Context, in DeliverableInput) error {
	d := &j.deliverable
	d.Version++
	d.Submitted, d.Hours = true, in.Hours
	j.note(ctx, "deliverable_submitted", in.By, map[string]any{"version": d.Version})
	fact := &facts.DeliverableFact{Version: d.Version, DocumentID: in.DocumentID, Note: in.Note, Hours: in.Hours, Status: "submitted", At: workflow.Now(ctx)}
	return j.flush(ctx, nil, func(r *facts.Record) { r.Deliverable = fact })
}

func (j *journey) validateDeliverableReview(in DeliverableReviewInput) error {
	if err := j.atStage("reviewing the deliverable", StageDeliverable); err != nil {
		return err
	}
	if !j.deliverable.Submitted {
		return reject(DeliverableNoneWaiting, "")
	}
	if !in.Accept && strings.TrimSpace(in.Comment) == "" {
		return reject(DeliverableCommentRequired, "comment")
	}
	return nil
}

func (j *journey) reviewDeliverable(ctx workflow.Context, in DeliverableReviewInput) error {
	d := &j.deliverable
	d.Submitted = false
	now := workflow.Now(ctx)
	status := "changes_requested"
	if in.Accept {
		status, d.Accepted = "accepted", true
		j.work.approved = d.Hours
	}
	d.Comment = in.Comment
	j.note(ctx, "deliverable_"+status, in.By, map[string]any{"version": d.Version})
	fact := &facts.DeliverableFact{Version: d.Version, Status: status, Comment: in.Comment, At: now, ReviewedAt: &now, Hours: d.Hours}
	return j.flush(ctx, nil, func(r *facts.Record) { r.Deliverable = fact })
}

func (j *journey) runDeliverable(ctx workflow.Context) error {
	now := workflow.Now(ctx)
	j.ms.Working = &now
	title := map[string]string{"project_title": j.placement.Info.Title}
	for !j.deliverable.Accepted && !j.isWaived(string(StageDeliverable)) {
		v := itoa(int64(j.deliverable.Version + 1))
		submit := j.newWait(ctx, "deliverable:v"+v, "deliverable", PartyStudent, func() bool { return j.deliverable.Submitted }).
			with(map[string]string{"project_title": title["project_title"], "comment": j.deliverable.Comment}).withLink("submit_deliverable", "")
		first := ""
		if j.deliverable.Version > 0 {
			first = "deliverable_changes"
		}
		if err := j.stepThrough(ctx, submit, first); err != nil {
			return err
		}
		if j.isWaived(string(StageDeliverable)) {
			break
		}
		review := j.newWait(ctx, "deliverable_review:v"+v, "deliverable_review", PartyEmployer,
			func() bool { return !j.deliverable.Submitted }).with(title)
		review.link = &messaging.LinkSpec{Action: "review_deliverable", SubjectRef: "v" + v}
		if err := j.stepThrough(ctx, review, ""); err != nil {
			return err
		}
	}
	return nil
}
