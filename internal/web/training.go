package web

import (
	"context"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows"
)

// trainingRow is one outstanding required training on the form.
type trainingRow struct{ Code, Name, CertField, DateField string }

// outstandingTrainings asks the journey what is still required and names
// each from the catalogue.
func (p *Pages) outstandingTrainings(ctx context.Context, c *call) ([]trainingRow, error) {
	st, err := p.Journeys.Query(ctx, c.j.ID)
	if err != nil {
		return nil, err
	}
	rows, err := p.Store.Pool.Query(ctx, `SELECT code, name FROM trainings WHERE code = ANY($1)`, st.TrainingsOutstanding)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	var code, name string
	if _, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error { names[code] = name; return nil }); err != nil {
		return nil, err
	}
	var out []trainingRow
	for _, code := range st.TrainingsOutstanding {
		n := names[code]
		if n == "" {
			n = code
		}
		out = append(out, trainingRow{Code: code, Name: n, CertField: "cert_" + code, DateField: "date_" + code})
	}
	return out, nil
}

type trainingView struct {
	Rows  []trainingRow
	MaxMB int64
	Today string
}

func (p *Pages) formTraining(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	rows, err := p.outstandingTrainings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list trainings", err)
		return
	}
	p.showForm(w, r, c, "training", errs, trainingView{Rows: rows, MaxMB: p.MaxUpload >> 20, Today: p.Now().In(c.lang.F().Location()).Format(time.DateOnly)})
}

// trainingEntry is one filled row, checked.
type trainingEntry struct {
	row  trainingRow
	file *upload
	date string
}

// submitTraining records every row the student filled (certificate plus
// date); rows left empty stay outstanding.
func (p *Pages) submitTraining(w http.ResponseWriter, r *http.Request, c *call) {
	rows, err := p.outstandingTrainings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list trainings", err)
		return
	}
	entries, errs := p.readTrainingRows(r, c, rows)
	if len(errs) == 0 && len(entries) == 0 {
		errs = formErrors{"": c.lang.T("training.none")}
	}
	if len(errs) > 0 {
		p.formTraining(w, r, c, errs)
		return
	}
	var sending []*upload
	for _, e := range entries {
		sending = append(sending, e.file)
	}
	if !p.uploadAllowed(w, r, c, func(e formErrors) { p.formTraining(w, r, c, e) }, sending...) {
		return
	}
	var key string
	for _, e := range entries {
		id, err := p.saveUpload(r.Context(), c, "certificate", e.file)
		if err != nil {
			p.saveFailed(w, r, c, err, func(fe formErrors) { p.formTraining(w, r, c, fe) })
			return
		}
		key = updateID(c, "training", e.row.Code, e.date, hex.EncodeToString(e.file.SHA256))
		in := workflows.TrainingInput{By: c.actor(), Code: e.row.Code, DocumentID: id, CompletedOn: e.date}
		if err := p.update(r.Context(), c, workflows.UpdateCompleteTraining, key, in); err != nil {
			fields := map[string]string{"code": e.row.CertField, "document_id": e.row.CertField, "completed_on": e.row.DateField}
			p.outcome(w, r, c, err, key, func(f string) string { return fields[f] }, func(fe formErrors) { p.formTraining(w, r, c, fe) }, doneView{})
			return
		}
	}
	body := c.lang.T("training.done")
	if len(entries) < len(rows) {
		body = c.lang.T("training.done_more")
	}
	p.done(w, r, c, key, doneView{Body: body})
}

func (p *Pages) readTrainingRows(r *http.Request, c *call, rows []trainingRow) ([]trainingEntry, formErrors) {
	errs := formErrors{}
	var out []trainingEntry
	for _, row := range rows {
		date := strings.TrimSpace(r.PostForm.Get(row.DateField))
		u, err := p.readUpload(r, row.CertField)
		if errorsIsNoFile(err) && date == "" {
			continue // not this one today
		}
		if msg, bad := p.uploadProblem(c, err, "training.missing_cert"); bad {
			errs.add(row.CertField, msg)
		} else if err != nil {
			errs.add("", c.lang.T("status.error.body"))
		}
		if _, perr := time.Parse(time.DateOnly, date); perr != nil {
			errs.add(row.DateField, c.lang.T("training.date_required"))
		}
		out = append(out, trainingEntry{row: row, file: u, date: date})
	}
	return out, errs
}

func errorsIsNoFile(err error) bool { return err == errNoFile }
