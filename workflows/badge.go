package workflows

import (
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
)

// The "Intern Ready" badge: resume and cover letter uploaded, then approved
// by the coordinator (or returned with a comment for another round).

// BadgeDocumentInput records an uploaded resume or cover letter (the bytes
// are already stored; this names the document).
type BadgeDocumentInput struct {
	By         Actor  `json:"by"`
	Kind       string `json:"kind"` // resume or cover_letter
	DocumentID string `json:"document_id"`
}

// BadgeReviewInput is the coordinator's decision.
type BadgeReviewInput struct {
	By      Actor  `json:"by"`
	Approve bool   `json:"approve"`
	Comment string `json:"comment"`
}

type badgeState struct {
	Resume, CoverLetter string // document ids of the current round
	Round               int
	Approved            bool
	Comment             string // why it was last returned
}

func (b badgeState) uploaded() bool { return b.Resume != "" && b.CoverLetter != "" }

func (j *journey) validateBadgeDocument(in BadgeDocumentInput) error {
	if err := j.atStage("uploading documents", StageInternReady); err != nil {
		return err
	}
	if in.Kind != "resume" && in.Kind != "cover_letter" {
		return reject(BadgeKindRequired, "kind")
	}
	if strings.TrimSpace(in.DocumentID) == "" {
		return reject(BadgeFileRequired, "document_id")
	}
	if j.badge.uploaded() {
		return reject(BadgeInReview, "")
	}
	return nil
}

func (j *journey) uploadBadgeDocument(ctx workflow.Context, in BadgeDocumentInput) error {
	if in.Kind == "resume" {
		j.badge.Resume = in.DocumentID
	} else {
		j.badge.CoverLetter = in.DocumentID
	}
	j.note(ctx, "uploaded_"+in.Kind, in.By, map[string]string{"document_id": in.DocumentID})
	return j.flush(ctx, nil)
}

func (j *journey) validateBadgeReview(in BadgeReviewInput) error {
	if err := j.atStage("the badge review", StageInternReady); err != nil {
		return err
	}
	if !j.badge.uploaded() {
		return reject(BadgeNotUploaded, "")
	}
	if !in.Approve && strings.TrimSpace(in.Comment) == "" {
		return reject(BadgeCommentRequired, "comment")
	}
	return nil
}

func (j *journey) reviewBadge(ctx workflow.Context, in BadgeReviewInput) error {
	if in.Approve {
		j.badge.Approved = true
		j.note(ctx, "badge_approved", in.By, nil)
		// The text says "start applying": it opens the open postings.
		apply := &messaging.LinkSpec{Action: "apply", SingleUse: true}
		return j.flush(ctx, []messaging.Request{j.message("badge_approved", PartyStudent, "badge_approved", nil, apply)})
	}
	j.badge.Round++
	j.badge.Comment = in.Comment
	j.badge.Resume, j.badge.CoverLetter = "", ""
	// The comment is in the event so the student's upload page can show it
	// (event detail is activity input: no change to the workflow's commands).
	j.note(ctx, "badge_returned", in.By, map[string]any{"round": j.badge.Round, "comment": in.Comment})
	return j.flush(ctx, nil)
}

// runInternReady alternates between the student uploading and the
// coordinator reviewing until the badge is approved.
func (j *journey) runInternReady(ctx workflow.Context) error {
	for !j.badge.Approved && !j.isWaived(string(StageInternReady)) {
		round := itoa(int64(j.badge.Round))
		upload := j.newWait(ctx, "badge_upload:"+round, "badge_upload", PartyStudent, func() bool { return j.badge.uploaded() }).withLink("upload_badge", "")
		if j.badge.Round > 0 {
			upload.params = map[string]string{"comment": j.badge.Comment}
		}
		if err := j.stepThrough(ctx, upload, j.badgeReturnedTemplate()); err != nil {
			return err
		}
		if j.isWaived(string(StageInternReady)) {
			break
		}
		review := j.newWait(ctx, "badge_review:"+round, "badge_review", PartyCoordinator,
			func() bool { return j.badge.Approved || !j.badge.uploaded() })
		if err := j.begin(ctx, review); err != nil {
			return err
		}
		if err := j.await(ctx, review); err != nil {
			return err
		}
	}
	now := workflow.Now(ctx)
	j.ms.InternReady = &now
	return nil
}

// badgeReturnedTemplate replaces the first upload nudge of a later round
// with "your coordinator returned it, here is why".
func (j *journey) badgeReturnedTemplate() string {
	if j.badge.Round > 0 {
		return "badge_returned"
	}
	return ""
}
