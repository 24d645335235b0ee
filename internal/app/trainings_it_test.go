package app_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// TestIntegration_TrainingsBeforeHiring runs, on the real server, a
// journey whose program requires workplace safety and whose placement
// adds HIPAA: the student records workplace safety while applying, and
// the Trainings stage waits for HIPAA only. Its history joins the replay
// test (trainings_early_0).
func TestIntegration_TrainingsBeforeHiring(t *testing.T) {
	s := newStackScaled(t, 1)
	ctx := context.Background()
	f := apptest.NewFixture(t, s.Store, `{"trainings": ["workplace_safety"]}`)
	if err := s.Store.CreateTraining(ctx, "workplace_safety", "Workplace safety for young workers"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool.Exec(ctx, `UPDATE postings SET funding_source = 'employer_paid' WHERE id = $1`, f.Posting); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, s, f)
	d.survey()
	d.atStage(workflows.StageInternReady)
	d.up(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: d.student, Kind: "resume", DocumentID: apptest.Document(t, s.Store, d.id, "resume")})
	d.up(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: d.student, Kind: "cover_letter", DocumentID: apptest.Document(t, s.Store, d.id, "cover_letter")})
	d.up(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: d.coord, Approve: true})
	d.until("trainings open while applying", func(st workflows.JourneyStatus) bool {
		return st.Stage == workflows.StageApplying && slices.Equal(st.TrainingsAvailable, []string{"workplace_safety"})
	})
	d.up(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: d.student, Code: "workplace_safety",
		DocumentID: apptest.Document(t, s.Store, d.id, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	d.place()
	d.signPermit()
	d.up(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: f.Issuer}, Approve: true})
	st := d.until("the Trainings stage", func(st workflows.JourneyStatus) bool { return st.Stage == workflows.StageTrainings })
	if !slices.Equal(st.TrainingsOutstanding, []string{"hipaa"}) || !slices.Equal(st.TrainingsDone, []string{"workplace_safety"}) {
		t.Errorf("at the Trainings stage: outstanding %v, done %v; want only the placement's hipaa outstanding", st.TrainingsOutstanding, st.TrainingsDone)
	}
	d.up(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: d.student, Code: "hipaa",
		DocumentID: apptest.Document(t, s.Store, d.id, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	d.atStage(workflows.StageWorking)
	d.up(workflows.UpdateWithdraw, workflows.WithdrawInput{By: d.coord, Reason: "test ends here"})
	eventually(t, "withdrawn", func() bool { v, _ := s.Journeys.Status(ctx, d.id); return v.Stage == "withdrawn" })

	var told, asked int
	if err := s.Pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE template = 'trainings_available'),
		count(*) FILTER (WHERE template = 'training_nudge' AND params->>'training' = 'workplace_safety')
		FROM messages WHERE journey_id = $1`, d.id).Scan(&told, &asked); err != nil {
		t.Fatal(err)
	}
	if told != 1 || asked != 0 {
		t.Errorf("told trainings are open %d times (want 1); asked %d times for the training done early (want 0)", told, asked)
	}
	trainings, err := s.Store.JourneyTrainings(ctx, d.id)
	if err != nil {
		t.Fatal(err)
	}
	early := slices.IndexFunc(trainings, func(r store.TrainingRecord) bool { return r.Code == "workplace_safety" && r.BeforePlacement })
	late := slices.IndexFunc(trainings, func(r store.TrainingRecord) bool { return r.Code == "hipaa" && !r.BeforePlacement })
	if len(trainings) != 2 || early < 0 || late < 0 {
		t.Errorf("trainings recorded: %+v, want workplace safety before placement and hipaa after", trainings)
	}
	recordHistories(t, s, "trainings_early", d.workflowID)
}
