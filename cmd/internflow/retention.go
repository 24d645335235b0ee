package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/retention"
)

const retentionUsage = `usage: internflow retention --older-than PERIOD --staff STAFF_ID [--dry-run] [--limit N]

Purges every student whose journeys all closed more than PERIOD ago (5y,
18mo, 90d: the district's retention policy), exactly as "student purge"
does: their records and workflows are deleted; each purge's audit entry keeps who ran
the sweep and why. Run it with --dry-run first; it prints student ids only.
`

// runRetention is `internflow retention`, typically a yearly CronJob.
func runRetention(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("retention", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(fs.Output(), retentionUsage); fs.PrintDefaults() }
	period := fs.String("older-than", "", "retention period after the last journey closed, e.g. 5y; required")
	staff := fs.String("staff", "", "id of the staff member running the sweep (named in the audit log); required")
	dryRun := fs.Bool("dry-run", false, "list who would be purged; purge nobody")
	limit := fs.Int("limit", 500, "students purged per run at most")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *period == "" || *staff == "" || fs.NArg() != 0 {
		fs.Usage()
		return exitCode(2)
	}
	cutoff, err := retention.Cutoff(*period, time.Now())
	if err != nil {
		return err
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	sw := &retention.Sweeper{Pool: a.Pool, Records: a.Records()}
	res, err := sw.Sweep(ctx, retention.Policy{ClosedBefore: cutoff, Period: *period, StaffID: *staff, Limit: *limit, DryRun: *dryRun})
	if *dryRun {
		for _, id := range res.Due {
			fmt.Println(id)
		}
		fmt.Printf("dry run: %d students past %s (journeys all closed before %s); nothing purged\n", len(res.Due), *period, cutoff.Format(time.DateOnly))
		return err
	}
	fmt.Printf("purged %d of %d students past %s: %d journeys, %d workflows; the audit log keeps each purge\n",
		res.Purged, len(res.Due), *period, res.Journeys, res.Workflows)
	return err
}
