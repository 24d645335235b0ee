package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/store"

	"github.com/internflow/internflow/workflows"
)

// dayRow is one day of a timesheet week on the form: its hours, and when
// work ended (optional: the latest hour a minor may work is checked when
// it is given).
type dayRow struct {
	Date, Label, Field, Value string
	EndField, End             string
}

type timesheetView struct {
	Week       string
	WeekOf     string // the week's first day, as the person reads a date
	Days       []dayRow
	Status     string  // "", submitted, approved, correction_requested
	Hours      float64 // as submitted
	ReviewNote string  // the supervisor's correction request
	ReviewedAt string  // when it was last reviewed ("" never)
	// Rules: the hour rules for minors the hours sent break.
	Rules *hourAlert
}

// storedDay is a day's hours and end time as stored.
type storedDay = store.TimesheetDay

// loadTimesheet reads the week as stored (nothing yet: a fresh week).
func (p *Pages) loadTimesheet(ctx context.Context, c *call, week time.Time) (timesheetView, map[string]storedDay, error) {
	v := timesheetView{Week: week.Format(time.DateOnly), WeekOf: c.lang.F().Date(week)}
	days := map[string]storedDay{}
	t, err := p.Store.StoredTimesheet(ctx, c.j.ID, v.Week)
	if errors.Is(err, store.ErrNotFound) {
		return v, days, nil
	}
	v.Status, v.Hours, v.ReviewNote, v.ReviewedAt = t.Status, t.Hours, t.ReviewNote, t.ReviewedAt
	if err != nil {
		return v, days, err
	}
	v.Rules = newHourAlert(c.lang, t.Breaches, t.Withheld, "hours.withheld")
	return v, t.Days, nil
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
		row := dayRow{Date: d.Format(time.DateOnly), Label: c.lang.day(d), Field: "h_" + d.Format(time.DateOnly),
			EndField: "e_" + d.Format(time.DateOnly)}
		if sd, ok := stored[row.Date]; ok {
			row.Value, row.End = strconv.FormatFloat(sd.Hours, 'f', -1, 64), sd.End
		}
		if r.PostForm != nil {
			row.Value, row.End = r.PostForm.Get(row.Field), r.PostForm.Get(row.EndField)
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
		parts = append(parts, e.Date+"="+strconv.FormatFloat(e.Hours, 'f', -1, 64)+"@"+e.End)
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
	err = p.Journeys.SubmitTimesheet(ctx, c.j.ID, c.link.SubjectRef, key,
		workflows.TimesheetInput{By: c.actor(), Entries: entries})
	done := doneView{Body: c.lang.T("timesheet.done")}
	if err == nil {
		done.Hours = p.weekRules(r.Context(), c, c.link.SubjectRef)
	}
	p.outcome(w, r, c, err, key, entryField(entries), func(e formErrors) { p.formTimesheet(w, r, c, e) }, done)
}

// weekRules reads the hour rules the week just sent breaks, for the
// confirmation (the week wrote them before it accepted the hours). A
// failed read leaves them to the timesheet page.
func (p *Pages) weekRules(ctx context.Context, c *call, week string) *hourAlert {
	breaches, withheld, err := p.Store.TimesheetBreaches(ctx, c.j.ID, week)
	if err != nil {
		slog.WarnContext(ctx, "read hour-rule breaches", "journey_id", c.j.ID, "err", err)
		return nil
	}
	return newHourAlert(c.lang, breaches, withheld, "hours.withheld")
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
			errs.Add("h_"+date, c.lang.T("timesheet.bad_hours"))
			continue
		}
		if h > 0 && date > today && !compressed {
			errs.Add("h_"+date, c.lang.T("timesheet.future"))
			continue
		}
		end := strings.TrimSpace(r.PostForm.Get("e_" + date))
		if _, ok := hours.Minutes(end); end != "" && !ok {
			errs.Add("e_"+date, c.lang.T("timesheet.bad_end"))
			continue
		}
		if h > 0 {
			out = append(out, workflows.TimesheetEntry{Date: date, Hours: h, End: end})
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
		if strings.HasSuffix(f, ".end") {
			return "e_" + entries[i].Date
		}
		return "h_" + entries[i].Date
	}
}
