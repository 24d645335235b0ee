package workflows_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows"
)

// withTrainings is the default program requiring trainings of its own
// (placements may add theirs).
func withTrainings(open string, codes ...string) workflows.Program {
	p := workflows.DefaultProgram()
	p.Trainings, p.TrainingsOpen = codes, open
	return p
}

func recordTraining(code, on string) workflows.TrainingInput {
	return workflows.TrainingInput{By: student, Code: code, DocumentID: "cert-" + code, CompletedOn: on}
}

// employerPaid makes posting A need no MOU, and require these trainings.
func (w *world) employerPaid(trainings ...string) {
	p := w.postings[postingA]
	p.FundingSource, p.RequiredTrainings = "employer_paid", trainings
	w.postings[postingA] = p
}

// toTrainingsStage places the student on posting A and gets the permit
// approved; the Trainings stage begins right after.
func (w *world) toTrainingsStage(from time.Duration) time.Duration {
	placed := w.toPlaced(from, postingA)
	w.signAll(placed+time.Hour, 1)
	w.at(placed+2*time.Hour, func() {
		w.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: issuer, Approve: true})
	})
	return placed + 2*time.Hour
}

// refusal is how the journey refused an update: the field and the
// message the page shows beside it (empty until the journey answered).
type refusal struct{ field, message string }

// refuse sends an update that the journey should refuse; the refusal is
// filled in once the journey answers (check it after run).
func (w *world) refuse(name string, arg any) *refusal {
	w.updates++
	r := &refusal{}
	fail := func(err error) {
		var appErr *temporal.ApplicationError
		if !errors.As(err, &appErr) {
			w.t.Errorf("%s failed with %v, want an input error", name, err)
			return
		}
		var ie workflows.InputError
		if err := appErr.Details(&ie); err != nil {
			w.t.Errorf("%s refused without a field: %v", name, err)
		}
		r.field, r.message = ie.Field, ie.Message
	}
	w.env.UpdateWorkflow(name, fmt.Sprintf("refused%d", w.updates), &testsuite.TestUpdateCallback{
		OnReject: fail, OnAccept: func() {},
		OnComplete: func(_ any, err error) {
			if err != nil {
				fail(err)
			}
		},
	}, arg)
	return r
}

func TestTrainings_RecordedAtInternReady_CountedAndNotAskedAgain(t *testing.T) {
	w := newWorld(t)
	w.employerPaid() // the placement adds no training
	ready := w.toApplying()
	w.at(ready, func() {
		st := w.status()
		if st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsAvailable, []string{"workplace_safety"}) || len(st.TrainingsDone) != 0 {
			t.Errorf("Intern Ready, not placed: stage %s, available %v, done %v; want workplace_safety available",
				st.Stage, st.TrainingsAvailable, st.TrainingsDone)
		}
		w.update(workflows.UpdateCompleteTraining, recordTraining("workplace_safety", "2027-06-09"))
	})
	w.at(ready+time.Hour, func() {
		st := w.status()
		if len(st.TrainingsAvailable) != 0 || !slices.Equal(st.TrainingsDone, []string{"workplace_safety"}) || len(st.TrainingsOutstanding) != 0 {
			t.Errorf("after recording it early: available %v, done %v, outstanding %v", st.TrainingsAvailable, st.TrainingsDone, st.TrainingsOutstanding)
		}
	})
	trainings := w.toTrainingsStage(ready + 2*time.Hour)
	w.stopAt(trainings+10*day, func() {
		v := w.view()
		if v.Stage != "working" || v.TrainingsDoneAt == nil {
			t.Errorf("ten days after the permit: stage %s, trainings done %v; want working with trainings done", v.Stage, v.TrainingsDoneAt)
		}
	})
	w.run(input(withTrainings("", "workplace_safety")))
	w.noRejections()

	// Told once, at Intern Ready, with a link that serves the semester.
	got := w.templates(func(s sent) bool { return s.Template == "trainings_available" })
	if want := []string{"d2 trainings_available→student"}; !slices.Equal(got, want) {
		t.Fatalf("trainings_available sent %v, want %v (once, as the badge was approved)", got, want)
	}
	told := w.sentTemplate("trainings_available")
	if l := told[0].Link; l == nil || l.Action != "record_training" || l.SingleUse || l.TTL < 90*day {
		t.Errorf("the trainings link is %+v, want a record_training link usable many times for months", l)
	}
	// The Trainings stage asked for nothing: the certificate counted.
	if got := w.sentTemplate("training_nudge"); len(got) != 0 {
		t.Errorf("the student was asked again for a training done early: %v", w.templates(func(s sent) bool { return s.Template == "training_nudge" }))
	}
	var fact bool
	for _, r := range w.records {
		if f := r.Record.Training; f != nil && f.Code == "workplace_safety" && f.DocumentID == "cert-workplace_safety" && r.Record.View.Stage == "applying" {
			fact = true
		}
	}
	if !fact {
		t.Error("the early certificate was not written while applying")
	}
}

func TestTrainings_PlacementAddsOne_StageWaitsOnlyForIt(t *testing.T) {
	w := newWorld(t)
	w.employerPaid("hipaa") // the clinic adds HIPAA to the program's training
	ready := w.toApplying()
	w.at(ready, func() { w.update(workflows.UpdateCompleteTraining, recordTraining("workplace_safety", "2027-06-09")) })
	trainings := w.toTrainingsStage(ready + 2*time.Hour)
	w.at(trainings+day, func() {
		st := w.status()
		if st.Stage != workflows.StageTrainings || !slices.Equal(st.TrainingsOutstanding, []string{"hipaa"}) ||
			!slices.Equal(st.TrainingsAvailable, []string{"hipaa"}) || !slices.Equal(st.TrainingsDone, []string{"workplace_safety"}) {
			t.Errorf("a day into trainings: stage %s, outstanding %v, available %v, done %v; want only hipaa outstanding",
				st.Stage, st.TrainingsOutstanding, st.TrainingsAvailable, st.TrainingsDone)
		}
	})
	w.at(trainings+4*day, func() { w.update(workflows.UpdateCompleteTraining, recordTraining("hipaa", "2027-06-15")) })
	w.stopAt(trainings+5*day, func() {
		if v := w.view(); v.Stage != "working" {
			t.Errorf("with both trainings recorded the journey is at %s, want working", v.Stage)
		}
	})
	w.run(input(withTrainings(workflows.TrainingsOpenInternReady, "workplace_safety")))
	w.noRejections()
	asked := w.sentTemplate("training_nudge")
	if len(asked) != 2 { // day 0 and day 3 of the stage
		t.Fatalf("training reminders: %v, want the request and one reminder", w.templates(func(s sent) bool { return s.Template == "training_nudge" }))
	}
	for _, m := range asked {
		if m.Params["training"] != "hipaa" {
			t.Errorf("the Trainings stage asked about %q, want only the placement's hipaa", m.Params["training"])
		}
	}
}

func TestTrainings_BeforeInternReady_RefusedBesideTheTraining(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	var early *refusal
	w.at(day, func() {
		if st := w.status(); st.Stage != workflows.StageInternReady || len(st.TrainingsAvailable) != 0 {
			t.Errorf("before the badge: stage %s, available %v; want none available", st.Stage, st.TrainingsAvailable)
		}
		early = w.refuse(workflows.UpdateCompleteTraining, recordTraining("workplace_safety", "2027-06-07"))
	})
	w.stopAt(day+time.Hour, func() {
		if st := w.status(); len(st.TrainingsDone) != 0 {
			t.Errorf("a refused training was recorded: %v", st.TrainingsDone)
		}
	})
	w.run(input(withTrainings("", "workplace_safety")))
	if *early != (refusal{"code", "trainings open once you are Intern Ready"}) {
		t.Errorf("a training before Intern Ready: refused %+v, want beside the training, saying when trainings open", *early)
	}
	if n := len(w.sentTemplate("trainings_available")); n != 0 {
		t.Errorf("told %d times that trainings are open before being Intern Ready", n)
	}
}

func TestTrainings_ProgramOpensAtEnrolment_AcceptedDuringSurvey(t *testing.T) {
	w := newWorld(t)
	w.employerPaid()
	var other *refusal
	w.at(time.Hour, func() {
		if st := w.status(); !slices.Equal(st.TrainingsAvailable, []string{"workplace_safety"}) {
			t.Errorf("at enrolment: available %v, want workplace_safety", st.TrainingsAvailable)
		}
		other = w.refuse(workflows.UpdateCompleteTraining, recordTraining("hipaa", "2027-06-07"))
		w.update(workflows.UpdateCompleteTraining, recordTraining("workplace_safety", "2027-06-07"))
	})
	ready := w.toApplying()
	w.stopAt(ready+time.Hour, func() {
		st := w.status()
		if st.Stage != workflows.StageApplying || !slices.Equal(st.TrainingsDone, []string{"workplace_safety"}) || len(st.TrainingsAvailable) != 0 {
			t.Errorf("Intern Ready: stage %s, done %v, available %v", st.Stage, st.TrainingsDone, st.TrainingsAvailable)
		}
	})
	w.run(input(withTrainings(workflows.TrainingsOpenEnrolment, "workplace_safety")))
	w.noRejections()
	if *other != (refusal{"code", "that training is not required by your program"}) {
		t.Errorf("a training the program does not require: refused %+v", *other)
	}
	// Nothing left to do: no "your trainings are open" text.
	if n := len(w.sentTemplate("trainings_available")); n != 0 {
		t.Errorf("told %d times that trainings are open, with all of them done", n)
	}
}

func TestProgram_TrainingsOpen_Validated(t *testing.T) {
	for _, open := range []string{"", workflows.TrainingsOpenInternReady, workflows.TrainingsOpenEnrolment} {
		if err := withTrainings(open, "hipaa").Validate(); err != nil {
			t.Errorf("trainings_open %q refused: %v", open, err)
		}
	}
	err := withTrainings("placement", "hipaa").Validate()
	if err == nil || !strings.Contains(err.Error(), `trainings_open is "placement"`) || !strings.Contains(err.Error(), `"enrolment"`) {
		t.Errorf("trainings_open \"placement\": %v, want a refusal naming the values allowed", err)
	}

	// A running journey is not migrated to a definition that does not validate.
	w := newWorld(t)
	bad := withTrainings("before_hiring", "hipaa")
	bad.Version = 2
	var migrate *refusal
	w.at(time.Hour, func() {
		migrate = w.refuse(workflows.UpdateMigrateProgram, workflows.MigrateProgramInput{By: coord, Program: bad})
	})
	w.stopAt(2*time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	if migrate.field != "program" || !strings.Contains(migrate.message, `trainings_open is "before_hiring"`) {
		t.Errorf("migrating to a bad trainings_open: refused %+v", *migrate)
	}
}

// Journeys that started before trainings opened early keep taking them
// at the Trainings stage only, and are not told anything new.
func TestTrainings_JourneyStartedBeforeTheChange_OnlyAtTheStage(t *testing.T) {
	w := newWorld(t)
	w.env.OnGetVersion("trainings-before-placement", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	w.employerPaid()
	ready := w.toApplying()
	var early *refusal
	w.at(ready, func() {
		if st := w.status(); len(st.TrainingsAvailable) != 0 {
			t.Errorf("an older journey offers trainings while applying: %v", st.TrainingsAvailable)
		}
		early = w.refuse(workflows.UpdateCompleteTraining, recordTraining("workplace_safety", "2027-06-09"))
	})
	w.stopAt(ready+time.Hour, func() {})
	w.run(input(withTrainings("", "workplace_safety")))
	if *early != (refusal{"", "recording a training is not open right now (the journey is at applying)"}) {
		t.Errorf("an older journey refused an early training with %+v, want its old answer", *early)
	}
	if n := len(w.sentTemplate("trainings_available")); n != 0 {
		t.Errorf("an older journey sent trainings_available %d times", n)
	}
}

// A reminder during the Trainings stage names a training still missing,
// never one the student recorded since the stage asked.
func TestTrainings_ReminderNamesOnlyWhatIsStillMissing(t *testing.T) {
	w := newWorld(t)
	w.employerPaid("hipaa")
	trainings := w.toTrainingsStage(w.toApplying())
	w.at(trainings+day, func() { w.update(workflows.UpdateCompleteTraining, recordTraining("hipaa", "2027-06-10")) })
	w.stopAt(trainings+4*day, func() {})
	w.run(input(withTrainings("", "workplace_safety")))
	w.noRejections()
	var named []string
	for _, m := range w.sentTemplate("training_nudge") {
		named = append(named, m.Params["training"])
	}
	if want := []string{"hipaa", "workplace_safety"}; !slices.Equal(named, want) {
		t.Fatalf("the Trainings stage named %v, want %v (the day-3 reminder after hipaa was recorded on day 1)", named, want)
	}
}
