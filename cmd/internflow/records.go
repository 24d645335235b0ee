package main

import (
	"bytes"
	"context"
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
//	internflow student export STUDENT_ID > record.zip
//	internflow student export --out record.zip STUDENT_ID
//	internflow student purge --staff STAFF_ID --reason "request #42" STUDENT_ID
func runStudent(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) < 2 {
		return errors.New(`usage: internflow student export [--staff STAFF_ID] [--out FILE.zip] STUDENT_ID | purge --staff STAFF_ID --reason TEXT STUDENT_ID`)
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	svc := a.Records()
	switch args[0] {
	case "export":
		return exportStudent(ctx, svc, args[1:])
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
			fmt.Printf("purged: %d journeys, %d workflow runs deleted; only the purge's audit entry remains\n", res.Journeys, res.Workflows)
		}
		return err
	}
	return fmt.Errorf("unknown student command %q", args[0])
}

// exportStudent writes the record archive (a zip with manifest.json) to
// --out or standard output, and audits the export (by --staff, or by the
// operator's command line when no staff id is given).
func exportStudent(ctx context.Context, svc *records.Service, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	out := fs.String("out", "", "write the archive to this file (default: standard output)")
	staff := fs.String("staff", "", "id of the staff member the record is exported for (audited)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("export needs one STUDENT_ID")
	}
	var buf bytes.Buffer
	m, err := svc.Export(ctx, fs.Arg(0), &buf)
	if err != nil {
		return err
	}
	by := records.Requester{Kind: "system", Ref: "cli"}
	if *staff != "" {
		by = records.Requester{Kind: "staff", Ref: *staff}
	}
	if *out == "" {
		_, err = os.Stdout.Write(buf.Bytes())
	} else {
		err = os.WriteFile(*out, buf.Bytes(), 0o600)
	}
	if err != nil {
		return err
	}
	if err := svc.AuditExport(ctx, by, m); err != nil {
		return fmt.Errorf("the archive was written but its export is not in the audit log: %w", err)
	}
	if *out == "" {
		return nil
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d files, schema %d\n", *out, len(m.Files)+1, m.SchemaVersion)
	return nil
}
