package roster

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Counts is what an import did to one kind of record.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Removed counts guardians a student's roster no longer lists.
	Removed int `json:"removed,omitempty"`
	// Stale counts students kept as stored because the file's row is
	// older (dateLastModified) than the data already imported.
	Stale int `json:"stale,omitempty"`
}

// Report says what an import did (or, for a dry run, would do). It holds
// source ids, line numbers and reasons, never names or contact details.
type Report struct {
	RunID      string `json:"run_id"`
	DistrictID string `json:"district_id"`
	Format     string `json:"format"`
	Version    string `json:"version,omitempty"`
	DryRun     bool   `json:"dry_run"`
	// Partial is true when absent students were not flagged missing.
	Partial   bool   `json:"partial"`
	Schools   Counts `json:"schools"`
	Staff     Counts `json:"staff"`
	Students  Counts `json:"students"`
	Guardians Counts `json:"guardians"`
	// StaffRolesGranted counts roles added by Options.StaffRoles.
	StaffRolesGranted int `json:"staff_roles_granted"`
	// FlaggedMissing counts students newly flagged missing from the roster.
	FlaggedMissing int `json:"flagged_missing"`
	// Reappeared counts flagged students the roster lists again.
	Reappeared int `json:"reappeared"`
	// Skipped counts rows not for internflow (see Roster.Skipped).
	Skipped   int         `json:"skipped"`
	Rejected  []Rejection `json:"rejected"`
	Warnings  []string    `json:"warnings,omitempty"`
	StartedAt time.Time   `json:"started_at"`
	Seconds   float64     `json:"seconds"`
}

func newReport(r *Roster, opts Options, started time.Time) Report {
	return Report{DistrictID: opts.DistrictID, Format: r.Format, Version: r.Version, DryRun: opts.DryRun,
		Partial: opts.Partial || r.Delta, Skipped: r.Skipped, Rejected: append([]Rejection(nil), r.Rejected...),
		Warnings: append([]string(nil), r.Warnings...), StartedAt: started}
}

func (rep *Report) finish(now time.Time) {
	rep.Seconds = now.Sub(rep.StartedAt).Seconds()
	sortRejections(rep.Rejected)
	if rep.Rejected == nil {
		rep.Rejected = []Rejection{}
	}
}

// WriteText prints the report for a terminal: counts, then every rejected
// row with its file, line, source id and reason.
func (rep Report) WriteText(w io.Writer) error {
	mode := "import"
	if rep.DryRun {
		mode = "dry run (nothing written)"
	}
	p := &printer{w: w}
	p.f("%s: %s %s in %.2fs\n", strings.TrimSpace(rep.Format+" "+rep.Version), mode, rep.RunID, rep.Seconds)
	p.f("%-10s %8s %8s %9s %8s\n", "", "created", "updated", "unchanged", "removed")
	for _, c := range []struct {
		name string
		c    Counts
	}{{"schools", rep.Schools}, {"staff", rep.Staff}, {"students", rep.Students}, {"guardians", rep.Guardians}} {
		p.f("%-10s %8d %8d %9d %8d\n", c.name, c.c.Created, c.c.Updated, c.c.Unchanged, c.c.Removed)
	}
	missing := fmt.Sprint(rep.FlaggedMissing)
	if rep.Partial {
		missing = "not checked (partial import)"
	}
	p.f("flagged missing: %s; reappeared: %d; staff roles granted: %d; skipped: %d; rejected: %d\n",
		missing, rep.Reappeared, rep.StaffRolesGranted, rep.Skipped, len(rep.Rejected))
	if rep.Students.Stale > 0 {
		p.f("kept as stored: %d students whose stored record is newer than this file (dateLastModified)\n", rep.Students.Stale)
	}
	for _, w := range rep.Warnings {
		p.f("warning: %s\n", w)
	}
	for _, r := range rep.Rejected {
		p.f("rejected %s:%d %s: %s\n", r.File, r.Line, r.SourceID, r.Reason)
	}
	return p.err
}

// printer keeps the first write error so WriteText reads as a list.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
