package roster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"
)

// Job is a roster import running in the background for the upload page.
type Job struct {
	ID        string
	StartedAt time.Time
	Heartbeat time.Time
	Done      int
	Total     int
	Finished  bool
	Report    *Report
	Error     string
	Stopped   bool // the heartbeat stopped before it finished
	Percent   int
}

// jobHeartbeat is how often a running job says it is alive; a job silent
// for jobStale has stopped (its process ended).
const (
	jobHeartbeat = 10 * time.Second
	jobStale     = 2 * time.Minute
)

// startJob records a job and runs the import of the file at path in the
// background; the file is removed when it ends.
func (im *Importer) startJob(ctx context.Context, u Uploader, path string, open func() (*Bundle, error), opts Options) (string, error) {
	id, err := im.store.StartImportJob(ctx, u.DistrictID, u.StaffID)
	if err != nil {
		return "", fmt.Errorf("record import job: %w", err)
	}
	go im.runJob(id, path, open, opts)
	return id, nil
}

func (im *Importer) runJob(id, path string, open func() (*Bundle, error), opts Options) {
	defer os.Remove(path) //nolint:errcheck // a temp file
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	var last time.Time
	opts.Progress = func(done, total int) {
		if done > 0 && done < total && time.Since(last) < time.Second {
			return
		}
		last = time.Now()
		if err := im.store.ImportJobProgress(ctx, id, done, total); err != nil {
			slog.WarnContext(ctx, "import job progress", "job", id, "err", err)
		}
	}
	// Parsing a large file says nothing for a while: beat meanwhile.
	beat := time.NewTicker(jobHeartbeat)
	defer beat.Stop()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-beat.C:
				_ = im.store.ImportJobAlive(ctx, id)
			}
		}
	}()
	rep, err := func() (Report, error) {
		b, err := open()
		if err != nil {
			return Report{}, &InputError{err}
		}
		defer b.Close()
		return im.Import(ctx, b, opts)
	}()
	im.finishJob(ctx, id, rep, err)
}

func (im *Importer) finishJob(ctx context.Context, id string, rep Report, err error) {
	var body []byte
	var msg *string
	if err != nil {
		text := "The import failed part-way; batches already written are complete. Try again, or ask for help."
		var in *InputError
		if errors.As(err, &in) {
			text = in.Error()
		} else {
			slog.ErrorContext(ctx, "roster import job failed", "job", id, "err", err)
		}
		msg = &text
	} else {
		body, _ = json.Marshal(rep)
	}
	if err := im.store.FinishImportJob(context.WithoutCancel(ctx), id, body, msg); err != nil {
		slog.ErrorContext(ctx, "finish import job", "job", id, "err", err)
	}
}

// job reads a job of the district.
func (im *Importer) job(ctx context.Context, districtID, id string) (Job, error) {
	row, err := im.store.ImportJob(ctx, districtID, id)
	j := Job{ID: row.ID, StartedAt: row.StartedAt, Heartbeat: row.Heartbeat, Done: row.Done, Total: row.Total}
	if err != nil {
		return j, err
	}
	body, msg := row.Report, row.Error
	j.Finished = row.FinishedAt != nil
	if msg != nil {
		j.Error = *msg
	}
	if len(body) > 0 {
		var rep Report
		if err := json.Unmarshal(body, &rep); err == nil {
			j.Report = &rep
		}
	}
	j.Stopped = !j.Finished && time.Since(j.Heartbeat) > jobStale
	if j.Total > 0 {
		j.Percent = j.Done * 100 / j.Total
	}
	return j, nil
}

// errNoJob is job's answer for an id that is no job of the district.
var errNoJob = pgx.ErrNoRows
