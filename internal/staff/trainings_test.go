package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/workflows"
)

// TestStudentPage_TrainingDoneBeforePlacement_Shown: the program now
// requires HIPAA of every intern, and the student's journey moves to that
// version. Once Intern Ready, the coordinator sees the training open to
// the student; after the student records it, still applying, the page
// shows it completed and marked as done before placement.
func TestStudentPage_TrainingDoneBeforePlacement_Shown(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.Store.UpdateProgramDefinition(ctx, e.f.Program, []byte(`{"trainings": ["hipaa"]}`)); err != nil {
		t.Fatal(err)
	}
	staff := workflows.Actor{Kind: "staff", Ref: e.f.Coordinator}
	if _, err := e.Journeys.MigrateProgram(ctx, e.f.Program, staff); err != nil {
		t.Fatal(err)
	}
	student := workflows.Actor{Kind: "student", Ref: e.f.Student}
	e.up(t, workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true})
	for _, kind := range []string{"resume", "cover_letter"} {
		e.up(t, workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student, Kind: kind,
			DocumentID: apptest.Document(t, e.Store, e.journeyA, kind)})
	}
	e.up(t, workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: staff, Approve: true})
	coach := e.signIn(t, coachA)
	page := e.waitStage(t, coach, "Applying")
	has(t, page, `id="trainings"`, "The student may record now: HIPAA basics")

	e.up(t, workflows.UpdateCompleteTraining, workflows.TrainingInput{By: student, Code: "hipaa",
		DocumentID: apptest.Document(t, e.Store, e.journeyA, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
	page = coach.Get("/staff/students/" + e.journeyA)
	has(t, page, "HIPAA basics: completed "+time.Now().Format("Jan 2"), "Done before placement")
	if strings.Contains(page.Body, "The student may record now") {
		t.Errorf("the page still offers a training the student recorded:\n%s", page.Body)
	}
}
