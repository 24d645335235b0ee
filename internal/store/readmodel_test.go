package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// fixture creates a district, school, program, student and journey.
func fixture(t *testing.T, st *store.Store) (store.Journey, store.Student) {
	t.Helper()
	ctx := context.Background()
	d, err := st.CreateDistrict(ctx, store.District{Name: "D"})
	must(t, err)
	sc, err := st.CreateSchool(ctx, store.School{DistrictID: d, Name: "S"})
	must(t, err)
	p, err := st.CreateProgram(ctx, store.Program{DistrictID: d, Name: "P", Kind: "summer_paid", ProgramYear: 2027})
	must(t, err)
	stu := store.Student{DistrictID: d, SchoolID: sc, FirstName: "A", LastName: "B", Phone: "+15555550100"}
	stu.ID, err = st.CreateStudent(ctx, stu)
	must(t, err)
	j, err := st.CreateJourney(ctx, stu.ID, p)
	must(t, err)
	return j, stu
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpsertJourneyView_OlderSequenceNeverOverwrites(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	j, stu := fixture(t, st)
	base := store.JourneyView{JourneyID: j.ID, StudentID: stu.ID, DistrictID: stu.DistrictID, SchoolID: stu.SchoolID,
		ProgramID: j.ProgramID, StageSince: time.Now()}

	v5 := base
	v5.Stage, v5.UpdatedSeq = "applying", 5
	if ok, err := st.UpsertJourneyView(ctx, v5); err != nil || !ok {
		t.Fatalf("first write: applied=%v err=%v", ok, err)
	}
	v3 := base
	v3.Stage, v3.UpdatedSeq = "survey", 3
	if ok, err := st.UpsertJourneyView(ctx, v3); err != nil || ok {
		t.Fatalf("older write: applied=%v err=%v, want not applied", ok, err)
	}
	if ok, _ := st.UpsertJourneyView(ctx, v5); ok {
		t.Fatal("replaying the same sequence applied again")
	}
	got, err := st.GetJourneyView(ctx, j.ID)
	must(t, err)
	if got.Stage != "applying" || got.UpdatedSeq != 5 {
		t.Fatalf("row = %s/%d, want applying/5", got.Stage, got.UpdatedSeq)
	}
}

func TestUpsertJourneyView_MilestonesAreNeverCleared(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	j, stu := fixture(t, st)
	done := time.Now().UTC().Truncate(time.Microsecond)
	v := store.JourneyView{JourneyID: j.ID, StudentID: stu.ID, DistrictID: stu.DistrictID, SchoolID: stu.SchoolID,
		ProgramID: j.ProgramID, Stage: "intern_ready", StageSince: done, SurveyDoneAt: &done, UpdatedSeq: 1}
	_, err := st.UpsertJourneyView(ctx, v)
	must(t, err)
	v.SurveyDoneAt, v.UpdatedSeq, v.Stage = nil, 2, "withdrawn"
	_, err = st.UpsertJourneyView(ctx, v)
	must(t, err)
	got, _ := st.GetJourneyView(ctx, j.ID)
	if got.SurveyDoneAt == nil || !got.SurveyDoneAt.Equal(done) {
		t.Fatalf("survey milestone = %v, want %v kept", got.SurveyDoneAt, done)
	}
}

func TestCreateJourney_SecondOpenJourneySameYear_Refused(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	j, stu := fixture(t, st)
	_, err := st.CreateJourney(ctx, stu.ID, j.ProgramID)
	if !errors.Is(err, store.ErrAlreadyEnrolled) {
		t.Fatalf("second journey: err = %v, want ErrAlreadyEnrolled", err)
	}
}

func TestSchema_RejectsImpossibleHours(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	j, _ := fixture(t, st)
	var ts string
	err := st.Pool.QueryRow(ctx, `INSERT INTO timesheets (journey_id, week_start, hours_total, submitted_at)
		VALUES ($1, '2027-06-14', 10, now()) RETURNING id`, j.ID).Scan(&ts)
	must(t, err)
	for _, hours := range []float64{-1, 24.5} {
		_, err := st.Pool.Exec(ctx, `INSERT INTO timesheet_entries (timesheet_id, work_date, hours) VALUES ($1, '2027-06-15', $2)`, ts, hours)
		if !store.IsConstraintViolation(err) {
			t.Errorf("hours %v: err = %v, want a check violation", hours, err)
		}
	}
	_, err = st.Pool.Exec(ctx, `INSERT INTO timesheets (journey_id, week_start, hours_total, submitted_at) VALUES ($1, '2027-06-16', 1, now())`, j.ID)
	if !store.IsConstraintViolation(err) {
		t.Errorf("a week starting on a Wednesday was accepted: %v", err)
	}
}
