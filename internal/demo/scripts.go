package demo

import (
	"context"

	"github.com/internflow/internflow/workflows"
)

// Each script takes a demo journey a step further than the one before, so
// the dashboard shows every stage and every kind of wait.

func nothing(context.Context, *scene) error { return nil }

func surveyed(ctx context.Context, s *scene) error {
	return s.j.Survey(ctx, "Health Science and Medical Technology", "transit")
}

func uploaded(ctx context.Context, s *scene) error {
	if err := surveyed(ctx, s); err != nil {
		return err
	}
	if err := s.j.At(ctx, workflows.StageInternReady); err != nil {
		return err
	}
	resume, err := document(ctx, s.st, s.j.ID, "resume")
	if err != nil {
		return err
	}
	cover, err := document(ctx, s.st, s.j.ID, "cover_letter")
	if err != nil {
		return err
	}
	return s.j.UploadBadge(ctx, resume, cover)
}

func internReady(ctx context.Context, s *scene) error {
	if err := uploaded(ctx, s); err != nil {
		return err
	}
	return s.j.ApproveBadge(ctx)
}

func applied(ctx context.Context, s *scene) error {
	if err := internReady(ctx, s); err != nil {
		return err
	}
	s.j.Employer = workflows.Actor{Kind: "supervisor", Ref: s.p.supervisors[s.p.parksPosting]}
	_, err := s.j.Apply(ctx, s.p.parksPosting)
	return err
}

func offered(ctx context.Context, s *scene) error {
	if err := internReady(ctx, s); err != nil {
		return err
	}
	s.j.Employer = workflows.Actor{Kind: "supervisor", Ref: s.p.supervisors[s.p.parksPosting]}
	app, err := s.j.Apply(ctx, s.p.parksPosting)
	if err != nil {
		return err
	}
	return s.j.Decide(ctx, app, "offer")
}

// placedAt takes a journey through the badge and an accepted offer.
func placedAt(ctx context.Context, s *scene, posting string) error {
	if err := internReady(ctx, s); err != nil {
		return err
	}
	s.j.Employer = workflows.Actor{Kind: "supervisor", Ref: s.p.supervisors[posting]}
	return s.j.Place(ctx, posting)
}

func waitingOnMOU(ctx context.Context, s *scene) error {
	return placedAt(ctx, s, s.p.clinicPosting)
}

func guardianToSign(ctx context.Context, s *scene) error {
	if err := placedAt(ctx, s, s.p.parksPosting); err != nil {
		return err
	}
	if err := s.j.Sign(ctx, "student"); err != nil {
		return err
	}
	return s.j.Sign(ctx, "employer")
}

func issuerToApprove(ctx context.Context, s *scene) error {
	if err := guardianToSign(ctx, s); err != nil {
		return err
	}
	return s.j.Sign(ctx, "guardian")
}

func training(ctx context.Context, s *scene) error {
	if err := issuerToApprove(ctx, s); err != nil {
		return err
	}
	return s.j.ApprovePermit(ctx)
}

// working is an in-district placement (no MOU, no trainings) with its
// first week's ten hours approved.
func working(ctx context.Context, s *scene) error {
	if err := placedAt(ctx, s, s.p.helpDeskPosting); err != nil {
		return err
	}
	for _, role := range []string{"student", "guardian", "employer"} {
		if err := s.j.Sign(ctx, role); err != nil {
			return err
		}
	}
	if err := s.j.ApprovePermit(ctx); err != nil {
		return err
	}
	return s.j.WorkWeek(ctx, 0, 2)
}

// adultWorking is an 18-year-old: no work permit.
func adultWorking(ctx context.Context, s *scene) error {
	if err := placedAt(ctx, s, s.p.helpDeskPosting); err != nil {
		return err
	}
	return s.j.WorkWeek(ctx, 0, 3)
}

func microInProgress(ctx context.Context, s *scene) error {
	if err := s.j.Survey(ctx, "Arts, Media, and Entertainment", "remote_only"); err != nil {
		return err
	}
	s.j.Employer = workflows.Actor{Kind: "supervisor", Ref: s.p.supervisors[s.p.microPosting]}
	return s.j.Place(ctx, s.p.microPosting)
}

func microCompleted(ctx context.Context, s *scene) error {
	if err := microInProgress(ctx, s); err != nil {
		return err
	}
	doc, err := document(ctx, s.st, s.j.ID, "deliverable")
	if err != nil {
		return err
	}
	if err := s.j.Deliver(ctx, doc, 7); err != nil {
		return err
	}
	if err := s.j.Reflect(ctx, "I learned how a small studio plans posts a month ahead and measures what works.", 5,
		"They let me pitch my own ideas and used two of them. Everyone was friendly even though it was all online."); err != nil {
		return err
	}
	return s.j.Feedback(ctx, "Clear, practical suggestions. We are using two of them.")
}

func withdrawn(ctx context.Context, s *scene) error {
	if err := surveyed(ctx, s); err != nil {
		return err
	}
	return s.j.Service.Withdraw(ctx, s.j.ID, s.j.Key+":withdraw",
		workflows.WithdrawInput{By: s.j.Staff, Reason: "Family moved out of the district"})
}
