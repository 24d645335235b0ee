package roster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/internflow/internflow/internal/store"
)

// DefaultBatchSize is how many students one transaction writes: large
// enough for COPY to pay off, small enough that a failed batch costs
// little to retry row by row.
const DefaultBatchSize = 5000

// Importer writes rosters into PostgreSQL.
type Importer struct {
	store *store.Store
	// BatchSize is the number of students per transaction.
	BatchSize int
	// Now is the clock: it decides who is a minor and stamps the run.
	Now func() time.Time
	// BackgroundOver is the upload size above which the upload page runs
	// the import in the background and follows it with a progress page
	// (default 1 MB: about 3,000 students).
	BackgroundOver int64
}

// NewImporter returns an Importer on st with the default batch size.
func NewImporter(st *store.Store) *Importer {
	return &Importer{store: st, BatchSize: DefaultBatchSize, Now: time.Now}
}

// staffRoleNames are the internflow roles StaffRoles may grant.
var staffRoleNames = map[string]bool{"coordinator": true, "permit_issuer": true, "mou_approver": true,
	"district_ops": true, "district_admin": true}

// Options say where an import goes and how.
type Options struct {
	DistrictID string
	// Format is FormatOneRoster, FormatCSV, or "" to detect it.
	Format string
	// DryRun computes the report and writes nothing but the run's record.
	DryRun bool
	// Partial means the files are not the whole district (a delta or one
	// school's file): students absent from them are not flagged missing.
	Partial bool
	// StaffRoles grants internflow roles by SIS role (teacher →
	// coordinator). Staff get no role unless configured: access to minors'
	// records is granted on purpose, not by default. A coordinator role
	// is granted for each of the person's schools.
	StaffRoles map[string]string
	// Progress, when set, hears how many students are written of how many
	// after each batch (the upload page's progress bar).
	Progress func(done, total int)
	// ActorKind ("staff" or "system") and ActorRef (a staff id, or "cli")
	// say who ran the import, for the audit log.
	ActorKind, ActorRef string
}

func (o *Options) check() error {
	if _, err := uuid.Parse(o.DistrictID); err != nil {
		return fmt.Errorf("district id %q is not a UUID", o.DistrictID)
	}
	if o.ActorKind == "" {
		o.ActorKind = "system"
	}
	if o.ActorKind != "staff" && o.ActorKind != "system" {
		return fmt.Errorf("actor kind %q (want staff or system)", o.ActorKind)
	}
	roles := map[string]string{}
	for sis, role := range o.StaffRoles {
		if !staffRoleNames[role] {
			return fmt.Errorf("staff role %q for %q is not an internflow role", role, sis)
		}
		roles[strings.ToLower(sis)] = role
	}
	o.StaffRoles = roles
	return nil
}

// Import reads b, validates it and writes the valid rows; see Report.
// Rejected rows are in the report, not errors. An error means the import
// stopped: batches already committed stay (each is complete and valid),
// and no student is flagged missing.
func (im *Importer) Import(ctx context.Context, b *Bundle, opts Options) (Report, error) {
	started := im.Now()
	if err := opts.check(); err != nil {
		return Report{}, &InputError{err}
	}
	if err := im.checkDistrict(ctx, opts.DistrictID); err != nil {
		return Report{}, err
	}
	r, err := Parse(b, opts.Format, started)
	if err != nil {
		return Report{}, &InputError{fmt.Errorf("read roster: %w", err)}
	}
	rep := newReport(r, opts, started)
	if opts.DryRun {
		err = im.dryRun(ctx, r, opts, &rep)
	} else {
		err = im.locked(ctx, opts.DistrictID, func() error { return im.write(ctx, im.store.Importing(), r, opts, &rep) })
	}
	if err != nil {
		return rep, err
	}
	rep.finish(im.Now())
	if err := im.record(ctx, opts, &rep); err != nil {
		return rep, fmt.Errorf("record import run: %w", err)
	}
	slog.InfoContext(ctx, "roster imported", "district_id", opts.DistrictID, "run_id", rep.RunID, "dry_run", opts.DryRun,
		"students_created", rep.Students.Created, "students_updated", rep.Students.Updated,
		"rejected", len(rep.Rejected), "flagged_missing", rep.FlaggedMissing, "seconds", rep.Seconds)
	return rep, nil
}

func (im *Importer) checkDistrict(ctx context.Context, id string) error {
	ok, err := im.store.DistrictExists(ctx, id)
	if err != nil {
		return fmt.Errorf("look up district: %w", err)
	}
	if !ok {
		return &InputError{fmt.Errorf("district %s not found", id)}
	}
	return nil
}

// ErrBusy means another import into the same district is running (a
// double-clicked upload, say); running both would race on the missing flag.
var ErrBusy = errors.New("another roster import for this district is running; try again when it has finished")

// locked runs fn holding the district's import lock, a session advisory
// lock on a connection kept for the purpose (batches commit separately).
func (im *Importer) locked(ctx context.Context, districtID string, fn func() error) error {
	ran, err := im.store.WithImportLock(ctx, districtID, fn)
	if err == nil && !ran {
		return &InputError{ErrBusy}
	}
	return err
}

// InputError means the files or options are wrong (a missing column, an
// unknown district): the message is safe to show the person importing.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// dryRun runs the real write inside one transaction and rolls it back, so
// its report is exactly what the import would do.
func (im *Importer) dryRun(ctx context.Context, r *Roster, opts Options, rep *Report) error {
	return im.store.InRolledBackTx(ctx, func(tx pgx.Tx) error { return im.write(ctx, tx, r, opts, rep) })
}

func (im *Importer) write(ctx context.Context, db store.Beginner, r *Roster, opts Options, rep *Report) error {
	w := &writer{db: db, district: opts.DistrictID, roster: r, rep: rep}
	if err := w.schools(ctx); err != nil {
		return fmt.Errorf("import schools: %w", err)
	}
	schools, err := w.schoolIDs(ctx)
	if err != nil {
		return fmt.Errorf("load schools: %w", err)
	}
	if err := w.staff(ctx, schools, opts.StaffRoles); err != nil {
		return fmt.Errorf("import staff: %w", err)
	}
	students := w.resolveSchools(schools)
	size := max(im.BatchSize, 1)
	progress := opts.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	progress(0, len(students))
	for i := 0; i < len(students); i += size {
		batch := students[i:min(i+size, len(students))]
		if err := w.batch(ctx, batch); err != nil {
			return fmt.Errorf("import students (batch from %s line %d): %w", batch[0].File, batch[0].Line, err)
		}
		progress(i+len(batch), len(students))
	}
	if err := w.flagMissing(ctx, opts.Partial, im.Now()); err != nil {
		return fmt.Errorf("flag missing students: %w", err)
	}
	return nil
}

// isRowError reports a database error caused by a row's data (class 22
// data exception, 23 integrity violation): the row is bad, not the
// database.
func isRowError(err error) (*pgconn.PgError, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "22") || strings.HasPrefix(pgErr.Code, "23")) {
		return pgErr, true
	}
	return nil, false
}

// sortRejections orders rejections by file and line for reading.
func sortRejections(rs []Rejection) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].File != rs[j].File {
			return rs[i].File < rs[j].File
		}
		return rs[i].Line < rs[j].Line
	})
}
