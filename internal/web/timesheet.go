package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/internflow/internflow/workflows"
)

// dayRow is one day of a timesheet week on the form.
type dayRow struct {
	Date, Label, Field, Value string
}

type timesheetView struct {
	Week       string
	WeekOf     string // the week's first day, as the person reads a date
	Days       []dayRow
	Status     string  // "", submitted, approved, correction_requested
	Hours      float64 // as submitted
	ReviewNote string  // the supervisor's correction request
	ReviewedAt string  // when it was last reviewed ("" never)
}

// loadTimesheet reads the week as stored (nothing yet: a fresh week).
func (p *Pages) loadTimesheet(ctx context.Context, c *call, week time.Time) (timesheetView, map[string]float64, error) {
	v := timesheetView{Week: week.Format(time.DateOnly), WeekOf: c.lang.F().Date(week)}
	hours := map[string]float64{}
	var id string
	err := p.Store.Pool.QueryRow(ctx, `SELECT id, status, hours_total::float8, COALESCE(review_note,''), COALESCE(reviewed_at::text,'')
		FROM timesheets WHERE journey_id = $1 AND week_start = $2`, c.j.ID, v.Week).Scan(&id, &v.Status, &v.Hours, &v.ReviewNote, &v.ReviewedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, hours, nil
	}
	if err != nil {
		return v, hours, err
	}
	rows, err := p.Store.Pool.Query(ctx, `SELECT work_date::text, hours::float8 FROM timesheet_entries WHERE timesheet_id = $1`, id)
	if err != nil {
		return v, hours, err
	}
	var d string
	var h float64
	_, err = pgx.ForEachRow(rows, []any{&d, &h}, func() error { hours[d] = h; return nil })
	return v, hours, err
}

func (p *Pages) formTimesheet(w http.ResponseWriter, r *http.Request, c *call, errs formErrors) {
	week, err := time.Parse(time.DateOnly, c.link.SubjectRef)
	if err != nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "invalid")
		return
	}
	v, stored, err := p.loadTimesheet(r.Context(), c, week)
	if err != nil {
		p.failed(w, r, c, "load timesheet", err)
		return
	}
	for i := range 7 {
		d := week.AddDate(0, 0, i)
		row := dayRow{Date: d.Format(time.DateOnly), Label: c.lang.day(d), Field: "h_" + d.Format(time.DateOnly)}
		if h, ok := stored[row.Date]; ok {
			row.Value = strconv.FormatFloat(h, 'f', -1, 64)
		}
		if r.PostForm != nil {
			row.Value = r.PostForm.Get(row.Field)
		}
		v.Days = append(v.Days, row)
	}
	p.showForm(w, r, c, "timesheet", errs, v)
}

// day is "Mon Jun 2" in the page's language.
func (l Lang) day(d time.Time) string {
	return fmt.Sprintf("%s %d", l.T("weekday."+strconv.Itoa(int(d.Weekday()))), d.Day())
}

func (p *Pages) submitTimesheet(w http.ResponseWriter, r *http.Request, c *call) {
	week, err := time.Parse(time.DateOnly, c.link.SubjectRef)
	if err != nil {
		p.renderStatus(w, r, c, http.StatusNotFound, "invalid")
		return
	}
	entries, errs := readHours(r, c, week, p.Now(), p.Journeys.TimeScale > 1)
	if len(errs) == 0 && len(entries) == 0 {
		errs = formErrors{"": c.lang.T("timesheet.none")}
	}
	if len(errs) > 0 {
		p.formTimesheet(w, r, c, errs)
		return
	}
	var parts []string
	for _, e := range entries {
		parts = append(parts, e.Date+"="+strconv.FormatFloat(e.Hours, 'f', -1, 64))
	}
	// A week comes back for correction on the same link: the round it is
	// in is part of the id, so fixing it is a new update, not a replay.
	v, _, err := p.loadTimesheet(r.Context(), c, week)
	if err != nil {
		p.failed(w, r, c, "load timesheet", err)
		return
	}
	key := updateID(c, "timesheet", v.ReviewedAt, strings.Join(parts, ","))
	ctx, cancel := context.WithTimeout(r.Context(), updateTimeout)
	defer cancel()
	err = p.Journeys.UpdateWeek(ctx, c.j.ID, c.link.SubjectRef, workflows.UpdateSubmitTimesheet, key,
		workflows.TimesheetInput{By: c.actor(), Entries: entries})
	p.outcome(w, r, c, err, key, entryField(entries), func(e formErrors) { p.formTimesheet(w, r, c, e) },
		doneView{Body: c.lang.T("timesheet.done")})
}

// readHours reads the days that have hours (a blank or 0 day is a day off).
// Hours for a day that has not happened yet (in the person's time zone)
// are refused beside that day, as the journey refuses them (this answers
// on the page, with the other problems). Compressed time (load tests) has
// no calendar to check against.
func readHours(r *http.Request, c *call, week, now time.Time, compressed bool) ([]workflows.TimesheetEntry, formErrors) {
	errs := formErrors{}
	today := now.In(c.lang.F().Location()).Format(time.DateOnly)
	var out []workflows.TimesheetEntry
	for i := range 7 {
		date := week.AddDate(0, 0, i).Format(time.DateOnly)
		raw := strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get("h_"+date), ",", "."))
		if raw == "" {
			continue
		}
		h, err := strconv.ParseFloat(raw, 64)
		if err != nil || h < 0 || h > 24 {
			errs.add("h_"+date, c.lang.T("timesheet.bad_hours"))
			continue
		}
		if h > 0 && date > today && !compressed {
			errs.add("h_"+date, c.lang.T("timesheet.future"))
			continue
		}
		if h > 0 {
			out = append(out, workflows.TimesheetEntry{Date: date, Hours: h})
		}
	}
	return out, errs
}

var entryRe = regexp.MustCompile(`^entries\[(\d+)\]\.`)

// entryField puts an error about entries[i] next to that day's box.
func entryField(entries []workflows.TimesheetEntry) fieldMap {
	return func(f string) string {
		m := entryRe.FindStringSubmatch(f)
		if m == nil {
			return ""
		}
		i, _ := strconv.Atoi(m[1])
		if i >= len(entries) {
			return ""
		}
		return "h_" + entries[i].Date
	}
}
