// Package reports answers the questions district staff report on: the
// funnel by school and pathway, placements by funding source, approved
// hours, completion, where journeys are stuck, messages and opt-outs, and
// Perkins-style work-based learning counts. Every query is scoped to a
// district and, for coordinators, to their schools; each report renders
// as a page table and as CSV.
package reports

import (
	"time"

	"github.com/internflow/internflow/internal/store"
)

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

// reportScope is the scope and filter as the store's reports take them,
// once the scope's ids are checked.
func reportScope(s store.Scope, f Filter) (store.ReportScope, error) {
	if err := s.Check(); err != nil {
		return store.ReportScope{}, err
	}
	return store.ReportScope{DistrictID: s.DistrictID, SchoolIDs: s.SchoolIDs, ProgramYear: f.ProgramYear}, nil
}
