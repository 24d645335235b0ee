package web

import (
	"context"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/workflows"
)

// trainingRow is one required training the student may record now.
type trainingRow struct{ Code, Name, CertField, DateField string }

// trainingList is what the journey lets the student record now: the
// required trainings still to do, named from the catalogue, and whether
// this is ahead of the Trainings stage (before the student is hired).
type trainingList struct {
	Rows  []trainingRow
	Early bool
}

// openTrainings asks the journey which trainings the student may record
// now (workflows: TrainingsAvailable) and names each from the catalogue.
func (p *Pages) openTrainings(ctx context.Context, c *call) (trainingList, error) {
	st, err := p.Journeys.Query(ctx, c.j.ID)
	if err != nil {
		return trainingList{}, err
	}
	names, err := p.Store.TrainingNames(ctx, st.TrainingsAvailable)
	if err != nil {
		return trainingList{}, err
	}
	list := trainingList{Early: st.Stage != workflows.StageTrainings}
	for i, code := range st.TrainingsAvailable {
		list.Rows = append(list.Rows, trainingRow{Code: code, Name: names[i], CertField: "cert_" + code, DateField: "date_" + code})
	}
	return list, nil
}

type trainingView struct {
	Rows  []trainingRow
	Intro string
	MaxMB int64
	Today string
}

func (p *Pages) formTraining(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	list, err := p.openTrainings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list trainings", err)
		return
	}
	intro := c.lang.T("training.intro")
	if list.Early {
		intro = c.lang.T("training.intro_early")
	}
	p.showForm(w, r, c, "training", errs, trainingView{Rows: list.Rows, Intro: intro, MaxMB: p.MaxUpload >> 20,
		Today: p.Now().In(c.lang.F().Location()).Format(time.DateOnly)})
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
	list, err := p.openTrainings(r.Context(), c)
	if err != nil {
		p.failed(w, r, c, "list trainings", err)
		return
	}
	rows := list.Rows
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
		if err := deliver(r.Context(), p, c, p.Journeys.CompleteTraining, key, in); err != nil {
			fields := map[string]string{"code": e.row.CertField, "document_id": e.row.CertField, "completed_on": e.row.DateField}
			p.outcome(w, r, c, err, key, func(f string) string { return fields[f] }, func(fe formErrors) { p.formTraining(w, r, c, fe) }, doneView{})
			return
		}
	}
	p.done(w, r, c, key, doneView{Body: c.lang.T(trainingDoneKey(list.Early, len(entries) < len(rows)))})
}

// trainingDoneKey is the confirmation: before the student is hired it says
// the training counts and will not be asked for again; with trainings
// left, how the rest are recorded (at the stage, the reminders bring a
// new link).
func trainingDoneKey(early, more bool) string {
	key := "training.done"
	if more {
		key = "training.done_more"
	}
	if early {
		key += "_early"
	}
	return key
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
			errs.Add(row.CertField, msg)
		} else if err != nil {
			errs.Add("", c.lang.T("status.error.body"))
		}
		if _, perr := time.Parse(time.DateOnly, date); perr != nil {
			errs.Add(row.DateField, c.lang.T("training.date_required"))
		}
		out = append(out, trainingEntry{row: row, file: u, date: date})
	}
	return out, errs
}

func errorsIsNoFile(err error) bool { return err == errNoFile }
