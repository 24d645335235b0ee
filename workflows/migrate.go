package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/workflows/facts"
)

// Journeys keep the program definition they started with; editing a
// program changes only new journeys until staff migrate running ones
// explicitly with this update.

// MigrateProgramInput carries the new definition.
type MigrateProgramInput struct {
	By      Actor   `json:"by"`
	Program Program `json:"program"`
}

func (j *journey) validateMigrate(in MigrateProgramInput) error {
	if j.withdrawn != nil || j.stage.Closed() {
		return reject(JourneyEnded, "")
	}
	if in.Program.Version <= j.in.Program.Version {
		return reject(ProgramSameVersion, "program", j.in.Program.Version)
	}
	if in.Program.RequiredHours < 0 {
		return reject(ProgramNegativeHours, "program")
	}
	if err := in.Program.Validate(); err != nil {
		return reject(ProgramInvalid, "program", err.Error())
	}
	return nil
}

// migrateProgram swaps the definition; waits pick up the new ladders at
// once (the rungs already sent stay sent), later stages follow the new
// stage list and parameters.
func (j *journey) migrateProgram(ctx workflow.Context, in MigrateProgramInput) error {
	from := j.in.Program.Version
	in.Program.TimeScale = j.in.Program.TimeScale
	j.in.Program = in.Program
	j.ladderVersion++
	// A program that now opens its trainings at enrolment opens them at
	// once (only on journeys that can take trainings early at all).
	if j.trainings.Early && in.Program.TrainingsOpen == TrainingsOpenEnrolment {
		j.trainings.Open = true
	}
	j.note(ctx, "program_migrated", in.By, map[string]int{"from": from, "to": in.Program.Version})
	return j.flush(ctx, nil, func(r *facts.Record) { r.ProgramVersion = in.Program.Version })
}
