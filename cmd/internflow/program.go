package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// runProgram edits program definitions and migrates running journeys:
//
//	internflow program set PROGRAM_ID definition.json   (new version; running journeys keep theirs)
//	internflow program migrate --staff STAFF_ID PROGRAM_ID   (move open journeys to the current version)
func runProgram(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) < 2 {
		return errors.New("usage: internflow program set PROGRAM_ID FILE.json | migrate --staff STAFF_ID PROGRAM_ID")
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "set":
		if len(args) != 3 {
			return errors.New("usage: internflow program set PROGRAM_ID FILE.json")
		}
		return setProgram(ctx, a.Store, args[1], args[2])
	case "migrate":
		fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
		staff := fs.String("staff", "", "id of the staff member migrating (audited)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 || *staff == "" {
			return errors.New("migrate needs --staff and one PROGRAM_ID")
		}
		n, err := a.Journeys.MigrateProgram(ctx, fs.Arg(0), workflows.Actor{Kind: "staff", Ref: *staff})
		fmt.Printf("migrated %d open journeys\n", n)
		return err
	}
	return fmt.Errorf("unknown program command %q", args[0])
}

// setProgram validates a definition (journey.CheckProgram, as the
// programs page does) and stores it as the program's next version.
func setProgram(ctx context.Context, st *store.Store, id, file string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	p, err := st.GetProgram(ctx, id)
	if err != nil {
		return err
	}
	p.Definition = raw
	if _, err := journey.CheckProgram(ctx, st, p); err != nil {
		return err
	}
	v, err := st.UpdateProgramDefinition(ctx, id, raw)
	if err == nil {
		fmt.Printf("program %s is now version %d; running journeys keep their version until migrated\n", id, v)
	}
	return err
}
