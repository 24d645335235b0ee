package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/hours"
)

// runDistrict sets a district's settings that have no staff page yet:
//
//	internflow district state --staff STAFF_ID DISTRICT_ID CA
//
// The state picks the hour rules for minors (with the federal ones) that
// programs enrolling students from then on follow.
func runDistrict(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) == 0 || args[0] != "state" {
		return errors.New("usage: internflow district state --staff STAFF_ID DISTRICT_ID STATE")
	}
	fs := flag.NewFlagSet("district state", flag.ContinueOnError)
	staff := fs.String("staff", "", "id of the staff member making the change (audited); required")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 2 || *staff == "" {
		return errors.New("usage: internflow district state --staff STAFF_ID DISTRICT_ID STATE")
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	district, state := fs.Arg(0), fs.Arg(1)
	if err := a.Store.SetDistrictState(ctx, district, state, *staff); err != nil {
		return err
	}
	if !hours.Known(state) {
		fmt.Printf("district %s is in %s; no state hour rules for %s are written yet, so its programs follow the federal rules only\n", district, state, state)
		return nil
	}
	fmt.Printf("district %s is in %s: new journeys follow the federal and %s hour rules for minors (running journeys keep theirs until migrated)\n", district, state, state)
	return nil
}
