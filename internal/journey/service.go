// Package journey is the application service in front of the journey
// workflow: enrol a student, deliver a person's input as a workflow update,
// and read status from the read model.
package journey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// Service enrols students and routes input to their journeys.
type Service struct {
	Store     *store.Store
	Temporal  client.Client
	TaskQueue string
	// TimeScale compresses program durations for load tests (1 = real time).
	TimeScale float64
}

// Enrolment is the result of Enroll.
type Enrolment struct {
	Journey store.Journey
	Created bool
}

// Enroll opens a journey for a student in a program and starts its
// workflow. Enrolling again returns the open journey (and makes sure its
// workflow runs), so a retried request or a crash between the insert and
// the start never leaves a journey without its process.
func (s *Service) Enroll(ctx context.Context, studentID, programID string) (Enrolment, error) {
	student, err := s.Store.GetStudent(ctx, studentID)
	if err != nil {
		return Enrolment{}, fmt.Errorf("student: %w", err)
	}
	program, err := s.Store.GetProgram(ctx, programID)
	if err != nil {
		return Enrolment{}, fmt.Errorf("program: %w", err)
	}
	if program.DistrictID != student.DistrictID {
		return Enrolment{}, fmt.Errorf("program: %w", store.ErrNotFound)
	}
	created := true
	j, err := s.Store.CreateJourney(ctx, studentID, programID)
	if errors.Is(err, store.ErrAlreadyEnrolled) {
		created = false
		j, err = s.Store.OpenJourneyFor(ctx, studentID, program.ProgramYear)
	}
	if err != nil {
		return Enrolment{}, err
	}
	def, err := ProgramDefinition(program)
	if err != nil {
		return Enrolment{}, err
	}
	if err := s.Start(ctx, j, student, program, def); err != nil {
		return Enrolment{}, err
	}
	return Enrolment{Journey: j, Created: created}, nil
}

// Start starts a recorded journey's workflow (or finds it running: the
// workflow id is the journey's, so starting twice is one workflow). def
// is ProgramDefinition(program), computed once by callers that start
// many journeys of one program.
func (s *Service) Start(ctx context.Context, j store.Journey, student store.Student, program store.Program, def workflows.Program) error {
	def.TimeScale = s.TimeScale
	age := ageOn(student.DateOfBirth, time.Now())
	in := workflows.JourneyInput{
		JourneyID: j.ID, StudentID: student.ID, DistrictID: student.DistrictID,
		SchoolID: student.SchoolID, ProgramID: program.ID, ProgramYear: program.ProgramYear, Program: def,
		StudentAge: age, StudentIsMinor: student.DateOfBirth == nil || age < 18,
	}
	if student.DateOfBirth != nil {
		in.StudentBirthDate = student.DateOfBirth.Format(time.DateOnly)
	}
	return s.start(ctx, j.WorkflowID, in)
}

func (s *Service) start(ctx context.Context, workflowID string, in workflows.JourneyInput) error {
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflowID,
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(
			workflows.SASchool.ValueSet(in.SchoolID),
			workflows.SAStage.ValueSet(string(workflows.StageSurvey)),
		),
	}, workflows.JourneyWorkflow, in)
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) { // closed workflow with this id: nothing to restart
		return nil
	}
	return err
}

// DraftMOU starts the employer's MOU workflow for a program year, so the
// employer is asked to sign before any student needs it (journeys that
// reach the MOU gate later join the same workflow by signal). A running
// MOU workflow is left as it is, and a finished one (expired) is not
// started again: an approved year is never drafted anew.
func (s *Service) DraftMOU(ctx context.Context, employerID, districtID string, year int) error {
	start := workflows.MOUStart{EmployerID: employerID, DistrictID: districtID, ProgramYear: year, TimeScale: s.TimeScale}
	_, err := s.Temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.MOUWorkflowID(employerID, year),
		TaskQueue:                s.TaskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.MOUWorkflow, workflows.MOUInput{MOUStart: start})
	var already *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &already) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start MOU workflow: %w", err)
	}
	return nil
}

// ageOn is the student's age in whole years (0 when the birth date is
// unknown, which counts as a minor: the safe default for permits).
func ageOn(dob *time.Time, now time.Time) int {
	if dob == nil {
		return 0
	}
	age, _ := hours.AgeOn(dob.Format(time.DateOnly), now)
	return age
}

// ProgramDefinition merges a program's stored definition over the default
// for its kind, in its district's state. Hour rules for minors are the
// law, not a preference: a definition that states none gets the federal
// rules and its state's.
func ProgramDefinition(p store.Program) (workflows.Program, error) {
	def := workflows.DefaultProgramIn(p.Kind, p.State)
	if len(p.Definition) > 0 && string(p.Definition) != "{}" {
		if err := json.Unmarshal(p.Definition, &def); err != nil {
			return def, fmt.Errorf("program %s definition: %w", p.ID, err)
		}
	}
	if err := def.Validate(); err != nil {
		return def, fmt.Errorf("program %s definition: %w", p.ID, err)
	}
	if len(def.HourRules) == 0 {
		def.HourRules = hours.For(p.State)
	}
	def.Version = p.Version
	return def, nil
}

// CheckProgram is what a program definition must pass before it is
// stored, from the CLI (program set) or the programs page: it parses and
// validates as journeys will run it, and every training it requires is
// in the catalogue. A refusal is a *workflows.ProgramError naming the
// field.
func CheckProgram(ctx context.Context, st *store.Store, p store.Program) (workflows.Program, error) {
	def, err := ProgramDefinition(p)
	if err != nil {
		return def, err
	}
	catalogue, err := st.Trainings(ctx)
	if err != nil {
		return def, err
	}
	for _, code := range def.Trainings {
		if !slices.ContainsFunc(catalogue, func(t store.Training) bool { return t.Code == code }) {
			return def, &workflows.ProgramError{Field: "trainings", Message: fmt.Sprintf("training %q is not in the catalogue", code)}
		}
	}
	return def, nil
}

// update sends an update to a workflow by id (journey, week or MOU) and
// waits for the workflow to accept or reject it. updateID makes a
// double-tapped submit one effect: Temporal deduplicates updates by id.
// An update the server aborted (its workflow task failed, typically
// because another event arrived while the task ran) is sent again a few
// times before the person is asked to try again: nothing was applied,
// and one update id across the attempts keeps it one effect even if an
// attempt did land.
func (s *Service) update(ctx context.Context, workflowID, name, updateID string, input any) error {
	if updateID == "" {
		updateID = uuid.NewString()
	}
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.updateOnce(ctx, workflowID, name, updateID, input)
		if !errors.Is(err, ErrTryAgain) || attempt == updateAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// updateAttempts bounds the resends of an aborted update (about 1.5 s
// of waiting in all).
const updateAttempts = 6

func (s *Service) updateOnce(ctx context.Context, workflowID, name, updateID string, input any) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflowID, UpdateName: name, UpdateID: updateID,
		Args: []any{input}, WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	return asInputError(err)
}

// Status reads the journey's row in the read model.
func (s *Service) Status(ctx context.Context, journeyID string) (store.JourneyView, error) {
	return s.Store.GetJourneyView(ctx, journeyID)
}

// asInputError turns a validator rejection back into the InputError the
// workflow raised, so the API can show the person what to fix.
func asInputError(err error) error {
	if err == nil {
		return nil
	}
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) && appErr.Type() == workflows.InputErrorType {
		var ie workflows.InputError
		if appErr.HasDetails() && appErr.Details(&ie) == nil {
			return &ie
		}
		return &workflows.InputError{Message: appErr.Message()}
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return workflows.NewInputError(workflows.JourneyClosed, "")
	}
	// The step's workflow was cancelled under the update: a timesheet week
	// the journey no longer needs (its hours are reached). Nothing to redo.
	var canceled *temporal.CanceledError
	if errors.As(err, &canceled) {
		return workflows.NewInputError(workflows.StepClosed, "")
	}
	// The server aborted the update (a workflow task failed, the server is
	// restarting): nothing was applied, and the same input works later.
	var notReady *serviceerror.WorkflowNotReady
	var unavailable *serviceerror.Unavailable
	if errors.As(err, &notReady) || errors.As(err, &unavailable) {
		return fmt.Errorf("%w: %w", ErrTryAgain, err)
	}
	// The journey did not answer in time (a saturated server or worker):
	// the update may still be applied, and the same input again is the
	// same update (its id), so trying again is safe and shows its answer.
	var waited *client.WorkflowUpdateServiceTimeoutOrCanceledError
	if errors.As(err, &waited) {
		return fmt.Errorf("%w: %w", ErrTryAgain, err)
	}
	return err
}

// The journey's sentences for an update that found no journey or step.
var (
	closedMessage     = workflows.JourneyClosed.English()
	stepClosedMessage = workflows.StepClosed.English()
)

// ErrTryAgain means the journey could not take an input just now (nothing
// was applied, or it did not answer in time and the same input again is
// the same update): callers answer 503 so the person tries again.
var ErrTryAgain = errors.New("the journey could not take this just now")

// signal sends a signal to a journey (staff nudge, retry).
func (s *Service) signal(ctx context.Context, journeyID, name string, arg any) error {
	err := s.Temporal.SignalWorkflow(ctx, workflows.JourneyWorkflowID(journeyID), "", name, arg)
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return workflows.NewInputError(workflows.JourneyEnded, "")
	}
	return err
}

// updateWeek delivers a timesheet submission or review to its week.
func (s *Service) updateWeek(ctx context.Context, journeyID, week, name, updateID string, input any) error {
	// A week shows in the journey a moment before its workflow starts.
	id := workflows.WeekWorkflowID(workflows.JourneyWorkflowID(journeyID), week)
	for attempt := 0; ; attempt++ {
		err := s.update(ctx, id, name, updateID, input)
		var ie *workflows.InputError
		if attempt >= 20 || !errors.As(err, &ie) || ie.Message != closedMessage {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Query asks the running journey for its live status (what it waits on,
// applications, permit, weeks). Dashboards use the read model instead.
func (s *Service) Query(ctx context.Context, journeyID string) (workflows.JourneyStatus, error) {
	var st workflows.JourneyStatus
	v, err := s.Temporal.QueryWorkflow(ctx, workflows.JourneyWorkflowID(journeyID), "", workflows.QueryStatus)
	if err != nil {
		return st, asInputError(err)
	}
	return st, v.Get(&st)
}

// MigrateProgram moves every open journey of a program to the program's
// current definition, explicitly (editing a program alone never changes
// running journeys). It returns how many journeys moved; journeys that
// refuse (closed meanwhile) are skipped.
func (s *Service) MigrateProgram(ctx context.Context, programID string, by workflows.Actor) (int, error) {
	p, err := s.Store.GetProgram(ctx, programID)
	if err != nil {
		return 0, err
	}
	def, err := ProgramDefinition(p)
	if err != nil {
		return 0, err
	}
	ids, err := s.Store.JourneysBehind(ctx, programID, p.Version)
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, id := range ids {
		in := workflows.MigrateProgramInput{By: by, Program: def}
		err := s.update(ctx, workflows.JourneyWorkflowID(id), workflows.UpdateMigrateProgram, fmt.Sprintf("migrate:%s:v%d", id, p.Version), in)
		var ie *workflows.InputError
		if errors.As(err, &ie) {
			continue
		}
		if err != nil {
			return moved, err
		}
		moved++
	}
	return moved, nil
}
