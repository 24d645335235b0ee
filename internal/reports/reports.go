// Package reports answers the questions district staff report on: the
// funnel by school and pathway, placements by funding source, approved
// hours, completion, where journeys are stuck, messages and opt-outs, and
// Perkins-style work-based learning counts. Every query is scoped to a
// district and, for coordinators, to their schools; each report renders
// as a page table and as CSV.
package reports

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/store"
)

// Scope is what the signed-in staff member may see.
type Scope struct {
	DistrictID string
	// SchoolIDs limits every report to these schools. nil means the whole
	// district (district roles); an empty, non-nil slice means no school,
	// so a coordinator with no schools sees nothing rather than everything.
	SchoolIDs []string
}

func (s Scope) check() error {
	if _, err := uuid.Parse(s.DistrictID); err != nil {
		return fmt.Errorf("scope: district id %q is not a UUID", s.DistrictID)
	}
	for _, id := range s.SchoolIDs {
		if _, err := uuid.Parse(id); err != nil {
			return fmt.Errorf("scope: school id %q is not a UUID", id)
		}
	}
	return nil
}

// Filter narrows a report within the scope.
type Filter struct {
	// ProgramYear keeps journeys (and their messages) of one program year;
	// 0 means every year.
	ProgramYear int
}

// Queries runs the reports.
type Queries struct {
	store *store.Store
	// Now is the clock for "days stuck".
	Now func() time.Time
}

// New returns Queries on the store.
func New(st *store.Store) *Queries { return &Queries{store: st, Now: time.Now} }

// of is the scope and filter as the store's reports take them, once the
// scope's ids are checked.
func (s Scope) of(f Filter) (store.ReportScope, error) {
	if err := s.check(); err != nil {
		return store.ReportScope{}, err
	}
	return store.ReportScope{DistrictID: s.DistrictID, SchoolIDs: s.SchoolIDs, ProgramYear: f.ProgramYear}, nil
}
