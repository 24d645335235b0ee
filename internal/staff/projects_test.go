package staff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/simulate"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// TestProjects_MicroInternshipsGroupedByProjectInScope: a coordinator sees
// their school's micro-internships by project; another school's do not show.
func TestProjects_MicroInternshipsGroupedByProjectInScope(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	micro, err := e.Store.CreateProgram(ctx, store.Program{DistrictID: e.f.District, Name: "Micro", Kind: "micro", ProgramYear: 2031})
	if err != nil {
		t.Fatal(err)
	}
	posting, err := e.Store.CreatePosting(ctx, store.Posting{EmployerID: e.f.Employer, WorksiteID: e.f.Worksite, SupervisorID: e.f.Supervisor,
		Title: "Audit our social media", PayType: "stipend", Status: "published", ProgramID: micro})
	if err != nil {
		t.Fatal(err)
	}
	place := func(studentID string) {
		t.Helper()
		en, err := e.Journeys.Enroll(ctx, studentID, micro)
		if err != nil {
			t.Fatal(err)
		}
		j := &simulate.Journey{Service: e.Journeys, ID: en.Journey.ID, Key: "p", Student: workflows.Actor{Kind: "student", Ref: studentID},
			Employer: workflows.Actor{Kind: "supervisor", Ref: e.f.Supervisor}}
		if err := j.Survey(ctx, "Arts", "remote_only"); err != nil {
			t.Fatal(err)
		}
		if err := j.Place(ctx, posting); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the placement in the read model", func() bool {
			v, err := e.Store.GetJourneyView(ctx, en.Journey.ID)
			return err == nil && v.Stage == "deliverable" && v.ProjectTitle != ""
		})
	}
	place(e.f.Student)
	place(e.studentB)

	coachA := e.signIn(t, coachA)
	page := coachA.Get("/staff/projects")
	has(t, page, "Audit our social media", "Maya")
	if strings.Contains(page.Body, "Bruno") {
		t.Fatal("a coordinator sees another school's student on a project")
	}
	admin := e.signIn(t, adminEmail).Get("/staff/projects")
	has(t, admin, "Audit our social media", "Maya", "Bruno")
}
