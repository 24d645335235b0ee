package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/roster"
)

const importUsage = `usage: internflow import --district ID [flags] DIR|ZIP|FILE.csv

Imports a district's roster: a OneRoster 1.1/1.2 CSV bundle (a directory or
.zip holding users.csv, orgs.csv, ...) or the plain CSV described in
internal/roster/README.md. Prints what changed and every rejected row with
its line number and reason (never names or contact details). Flags go
before the path.
`

// runImport is `internflow import`.
func runImport(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), importUsage); fs.PrintDefaults() }
	district := fs.String("district", "", "district id (UUID); required")
	format := fs.String("format", "", "oneroster or csv (default: detect from the file names)")
	dryRun := fs.Bool("dry-run", false, "report what would change and write nothing")
	partial := fs.Bool("partial", false, "the files are not the whole district: flag no absent student as missing")
	batch := fs.Int("batch-size", roster.DefaultBatchSize, "students written per transaction")
	roles := staffRoleFlag{}
	fs.Var(roles, "staff-role", "grant an internflow role by SIS role, e.g. teacher=coordinator (repeatable; default none)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *district == "" || fs.NArg() != 1 {
		fs.Usage()
		return exitCode(2)
	}
	b, err := roster.OpenPath(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("open roster: %w", err)
	}
	defer b.Close()
	st, err := migrate(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Pool.Close()
	im := roster.NewImporter(st)
	im.BatchSize = *batch
	rep, err := im.Import(ctx, b, roster.Options{DistrictID: *district, Format: *format, DryRun: *dryRun,
		Partial: *partial, StaffRoles: roles, ActorKind: "system", ActorRef: "cli"})
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	return rep.WriteText(os.Stdout)
}

// staffRoleFlag collects --staff-role sis=internflow pairs.
type staffRoleFlag map[string]string

func (f staffRoleFlag) String() string { return fmt.Sprint(map[string]string(f)) }

func (f staffRoleFlag) Set(v string) error {
	sis, role, ok := strings.Cut(v, "=")
	if !ok || sis == "" || role == "" {
		return fmt.Errorf("want SIS_ROLE=INTERNFLOW_ROLE, got %q", v)
	}
	f[sis] = role
	return nil
}
