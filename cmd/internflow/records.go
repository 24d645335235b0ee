package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/records"
)

// runStudent answers FERPA record requests:
//
//	internflow student export STUDENT_ID > record.json
//	internflow student purge --staff STAFF_ID --reason "request #42" STUDENT_ID
func runStudent(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) < 2 {
		return errors.New(`usage: internflow student export STUDENT_ID | purge --staff STAFF_ID --reason TEXT STUDENT_ID`)
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	svc := &records.Service{Pool: a.Pool, Temporal: a.Temporal, Namespace: cfg.TemporalNamespace}
	switch args[0] {
	case "export":
		exp, err := svc.Export(ctx, args[1])
		if err != nil {
			return err
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(exp)
	case "purge":
		fs := flag.NewFlagSet("purge", flag.ContinueOnError)
		staff := fs.String("staff", "", "id of the staff member carrying out the request")
		reason := fs.String("reason", "", "the record request (kept in the audit log)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 || *staff == "" || *reason == "" {
			return errors.New("purge needs --staff, --reason and one STUDENT_ID")
		}
		res, err := svc.Purge(ctx, fs.Arg(0), *staff, *reason)
		if err == nil {
			fmt.Printf("purged: %d journeys, %d workflows deleted; the audit log keeps the request\n", res.Journeys, res.Workflows)
		}
		return err
	}
	return fmt.Errorf("unknown student command %q", args[0])
}
