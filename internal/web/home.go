package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// A person's own page (issue 25): one link per person and journey that
// shows where they stand, reading the journey's live status (its query)
// and the records, never a copy. The student's page ("student_home") is
// the journey as a checklist with everything asked of them, their
// applications, placement, trainings, hours and documents; the parent's
// ("guardian_home") is what their child's journey needs from them, what
// they signed and whom to ask. Each button opens the person's own
// working link for that step (links.Ensure), so the page does what the
// texts do. The link is scoped to the person and journey like any other
// link: it expires, staff can turn it off, and its page shows only what
// the person already knows.

// homeStage is one line of the checklist.
type homeStage struct {
	Label, State, StateLabel string
}

// homeTask is something asked of the person now, with its button.
type homeTask struct {
	// Due: when the step turns overdue (its escalation to staff), until it has.
	Label, Href, Since, Due string
	Overdue                 bool
}

// homeApplication is one application as the student sees it. Note is the
// employer's message, shown only with an interview invite (the decision
// page tells employers so).
type homeApplication struct {
	Title, Employer, Status, Note, Updated string
}

// homePlacement is where the student works.
type homePlacement struct {
	Title, Employer, Where, Directions, Schedule, Supervisor, Pay, Hours string
}

// homeTraining is one required training: the course (URL), and where the
// student may record it now (Record: before hiring too, once open).
type homeTraining struct {
	Name, URL, Done, Record string
}

// homeWeek is one timesheet week.
type homeWeek struct {
	Week, Hours, Status string
}

// homeDoc is a document the person can download.
type homeDoc struct{ Label, Href string }

// homeHelper is whom to ask.
type homeHelper struct{ Name, Role, Reach string }

// studentHomeView is the student's page.
type studentHomeView struct {
	FirstName, Program string
	Completed          bool
	Stages             []homeStage
	Tasks              []homeTask
	// Others: who else the journey is waiting on (the student's part is done).
	Others       []string
	Applications []homeApplication
	Placement    *homePlacement
	Trainings    []homeTraining
	Hours        string
	HoursPercent int
	Weeks        []homeWeek
	Documents    []homeDoc
	Helper       *homeHelper
	// FoundHref opens the form for an internship the student found
	// themselves, while they are applying and have none in hand.
	FoundHref string
}

// guardianHomeView is the parent's page.
type guardianHomeView struct {
	ChildName, Program string
	Tasks              []homeTask
	Signed             []homeSigned
	Documents          []homeDoc
	Helper             *homeHelper
}

// homeSigned is one signature the parent gave.
type homeSigned struct{ What, When string }

func (p *Pages) formStudentHome(w http.ResponseWriter, r *http.Request, c *call, _ formErrors) {
	ctx := r.Context()
	st, err := p.homeStatus(ctx, c)
	if err != nil {
		p.failed(w, r, c, "query journey", err)
		return
	}
	v := studentHomeView{Completed: c.j.Status == "completed"}
	if v.FirstName, v.Program, err = p.homeNames(ctx, c); err != nil {
		p.failed(w, r, c, "load names", err)
		return
	}
	v.Stages = homeStages(c.lang, st)
	if v.Tasks, err = p.homeTasks(ctx, c, st); err != nil {
		p.failed(w, r, c, "links for tasks", err)
		return
	}
	v.Others = homeOthers(c.lang, st, workflows.PartyStudent)
	v.FoundHref = p.foundHref(ctx, c, &st)
	steps := []func(context.Context, *call, workflows.JourneyStatus, *studentHomeView) error{
		p.homeApplications, p.homePlacement, p.homeTrainings, p.homeDocuments,
	}
	for _, step := range steps {
		if err := step(ctx, c, st, &v); err != nil {
			p.failed(w, r, c, "load student page", err)
			return
		}
	}
	if st.HoursRequired > 0 && (st.HoursApproved > 0 || len(st.Weeks) > 0 || v.Placement != nil) {
		f := c.lang.F()
		v.Hours = c.lang.Tf("home.hours_of", f.Number(st.HoursApproved), f.Hours(st.HoursRequired))
		v.HoursPercent = min(100, int(st.HoursApproved*100/st.HoursRequired))
	}
	for i := len(st.Weeks) - 1; i >= 0; i-- { // newest week first
		wk := st.Weeks[i]
		v.Weeks = append(v.Weeks, homeWeek{Week: c.lang.Tf("home.week_of", weekDate(c.lang, wk.Week)),
			Hours: c.lang.F().Hours(wk.Hours), Status: weekStatusLabel(c.lang, wk.Status)})
	}
	if v.Helper, err = p.homeHelper(ctx, c); err != nil {
		p.failed(w, r, c, "load helper", err)
		return
	}
	p.showForm(w, r, c, "student_home", nil, v)
}

func (p *Pages) formGuardianHome(w http.ResponseWriter, r *http.Request, c *call, _ formErrors) {
	ctx := r.Context()
	st, err := p.homeStatus(ctx, c)
	if err != nil {
		p.failed(w, r, c, "query journey", err)
		return
	}
	var v guardianHomeView
	if v.ChildName, v.Program, err = p.homeNames(ctx, c); err != nil {
		p.failed(w, r, c, "load names", err)
		return
	}
	if v.Tasks, err = p.homeTasks(ctx, c, st); err != nil {
		p.failed(w, r, c, "links for tasks", err)
		return
	}
	if v.Signed, err = p.guardianSigned(ctx, c); err != nil {
		p.failed(w, r, c, "load signatures", err)
		return
	}
	if p.fileFor(ctx, c, "signed") != "" {
		v.Documents = append(v.Documents, homeDoc{Label: c.lang.T("home.doc.permit"), Href: c.path() + "/file/signed"})
	}
	if v.Helper, err = p.homeHelper(ctx, c); err != nil {
		p.failed(w, r, c, "load helper", err)
		return
	}
	p.showForm(w, r, c, "guardian_home", nil, v)
}

// actionLink is the person's working link for an action of their journey
// that is not a wait of its own (recording a training before hiring),
// "" if it cannot be had now.
func (p *Pages) actionLink(ctx context.Context, c *call, action string) string {
	id, err := p.book().Ensure(ctx, links.Spec{JourneyID: c.j.ID, PersonKind: c.link.PersonKind,
		PersonRef: c.link.PersonRef, Action: action})
	if err != nil {
		slog.WarnContext(ctx, "own page link", "link_id", c.link.ID, "journey_id", c.j.ID, "action", action, "err", err)
		return ""
	}
	u, err := p.Links.URL(id)
	if err != nil {
		return ""
	}
	return u + "?lang=" + c.lang.Code
}

// homeLink is the URL of the person's own page for the link's journey
// ("" for anyone without one, or if it cannot be had now: the page that
// offers it has already done its job). A parent who just signed finds
// their page here without waiting for a text.
func (p *Pages) homeLink(ctx context.Context, c *call) string {
	action := messaging.HomeActions[c.link.PersonKind]
	if action == "" || c.j.ID == "" || isHome(c.link.Action) {
		return ""
	}
	return p.actionLink(ctx, c, action)
}

// homeStatus is the journey's live status. A completed journey that no
// longer answers queries (past Temporal's retention) reads as all done.
func (p *Pages) homeStatus(ctx context.Context, c *call) (workflows.JourneyStatus, error) {
	st, err := p.Journeys.Query(ctx, c.j.ID)
	if err != nil && c.j.Status == "completed" {
		return workflows.JourneyStatus{Stage: workflows.StageCompleted}, nil
	}
	return st, err
}

// homeNames are the student's first (preferred) name and the program's.
func (p *Pages) homeNames(ctx context.Context, c *call) (first, program string, err error) {
	return p.Store.HomeNames(ctx, c.j.ID)
}

// homeStages is the checklist: every stage that is part of the journey.
func homeStages(l Lang, st workflows.JourneyStatus) []homeStage {
	var out []homeStage
	for _, s := range st.Plan {
		if s.State == "skipped" {
			continue
		}
		out = append(out, homeStage{Label: l.T("home.stage." + string(s.Stage)), State: s.State,
			StateLabel: l.T("home.state." + s.State)})
	}
	if len(out) == 0 && st.Stage == workflows.StageCompleted {
		out = append(out, homeStage{Label: l.T("home.stage.completing"), State: "done", StateLabel: l.T("home.state.done")})
	}
	return out
}

// homeTasks are the open waits on the link's person that have a page,
// each with the person's working link for it.
func (p *Pages) homeTasks(ctx context.Context, c *call, st workflows.JourneyStatus) ([]homeTask, error) {
	var out []homeTask
	for _, w := range st.Waits {
		if w.WaitingOn != c.party() || w.Action == "" || !homeActions[w.Action] {
			continue
		}
		sha, err := links.HexSHA(w.DocumentSHA256)
		if err != nil {
			return nil, err
		}
		id, err := p.book().Ensure(ctx, links.Spec{JourneyID: c.j.ID, PersonKind: c.link.PersonKind,
			PersonRef: c.link.PersonRef, Action: w.Action, SubjectRef: w.Subject, DocumentSHA256: sha,
			SingleUse: w.Action != "submit_timesheet"}) // as the step's own messages mint them
		if err != nil {
			return nil, err
		}
		href, err := p.Links.URL(id)
		if err != nil {
			return nil, err
		}
		t := homeTask{Label: taskLabel(c, w, st), Href: href + "?lang=" + c.lang.Code,
			Since: c.lang.F().Day(w.Since), Overdue: w.Overdue}
		if w.DueAt != nil && !w.Overdue {
			t.Due = c.lang.F().Day(*w.DueAt)
		}
		out = append(out, t)
	}
	return out, nil
}

// homeActions are the steps a student or parent does on a page of their
// own (a staff step or an employer's never shows as theirs).
var homeActions = map[string]bool{
	"survey": true, "upload_badge": true, "apply": true, "accept_offer": true, "sign_permit": true,
	"record_training": true, "submit_timesheet": true, "submit_deliverable": true, "submit_reflection": true,
	"report_found_placement": true,
}

// taskLabel says what the button does, in the person's words (which
// offer, when there may be several).
func taskLabel(c *call, w workflows.WaitStatus, st workflows.JourneyStatus) string {
	switch w.Action {
	case "submit_timesheet":
		return c.lang.Tf("home.task.submit_timesheet", weekDate(c.lang, w.Subject))
	case "accept_offer":
		for _, a := range st.Applications {
			if a.ID == w.Subject {
				return c.lang.T("home.task.accept_offer") + ": " + a.Title
			}
		}
	case "sign_permit":
		if c.party() == workflows.PartyGuardian {
			return c.lang.T("home.task.sign_permit_guardian")
		}
	}
	return c.lang.T("home.task." + w.Action)
}

// homeOthers says whom else the journey waits on, once each.
func homeOthers(l Lang, st workflows.JourneyStatus, self workflows.Party) []string {
	var out []string
	seen := map[workflows.Party]bool{self: true}
	for _, w := range st.Waits {
		if seen[w.WaitingOn] {
			continue
		}
		seen[w.WaitingOn] = true
		out = append(out, l.T("home.waiting."+string(w.WaitingOn)))
	}
	return out
}

// homeApplications are the student's applications, the live status from
// the journey, the employer's interview note from the records.
func (p *Pages) homeApplications(ctx context.Context, c *call, st workflows.JourneyStatus, v *studentHomeView) error {
	if len(st.Applications) == 0 {
		return nil
	}
	recs, err := p.Store.ApplicationNotes(ctx, c.j.ID)
	if err != nil {
		return err
	}
	for _, a := range st.Applications {
		r := recs[a.ID]
		app := homeApplication{Title: a.Title, Employer: r.Employer, Status: c.lang.T("appstatus." + a.Status)}
		if a.Status == "interview" {
			app.Note = r.Note
		}
		if !r.Updated.IsZero() {
			app.Updated = c.lang.F().Day(r.Updated)
		}
		v.Applications = append(v.Applications, app)
	}
	return nil
}

// homePlacement is the placement once the student accepted an offer.
func (p *Pages) homePlacement(ctx context.Context, c *call, _ workflows.JourneyStatus, v *studentHomeView) error {
	row, err := p.Store.HomePlacement(ctx, c.j.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	pl := homePlacement{Title: row.Title, Employer: row.Employer, Schedule: row.Schedule}
	site, line1, city, state, zip, remote := row.Site.Name, row.Site.Line1, row.Site.City, row.Site.State, row.Site.Zip, row.Site.Remote
	payType, supervisor, perWeek, payCents := row.PayType, row.Supervisor, row.HoursPerWeek, row.PayCents
	f := c.lang.F()
	pl.Where = f.Worksite(site, line1, city, state, zip, remote)
	if !remote && line1 != "" {
		pl.Directions = transitDirections(f.Worksite("", line1, city, state, zip, false))
	}
	pl.Supervisor = addressedAs(supervisor)
	pl.Pay = f.Pay(payType, payCents)
	if perWeek > 0 {
		pl.Hours = c.lang.Tf("home.per_week", f.Hours(perWeek))
	}
	v.Placement = &pl
	return nil
}

// transitDirections opens the phone's maps with public-transit directions
// to the address, from wherever the student is (no app needed).
func transitDirections(addr string) string {
	q := url.Values{"api": {"1"}, "destination": {addr}, "travelmode": {"transit"}}
	return "https://www.google.com/maps/dir/?" + q.Encode()
}

// addressedAs is how a supervisor is named to the student: their first
// name, with the title when the record starts with one ("Dr. Kim").
func addressedAs(name string) string {
	words := strings.Fields(name)
	switch {
	case len(words) == 0:
		return ""
	case len(words) > 1 && strings.HasSuffix(words[0], "."):
		return words[0] + " " + words[1]
	}
	return words[0]
}

// homeTrainings are the trainings required so far, done or not.
func (p *Pages) homeTrainings(ctx context.Context, c *call, st workflows.JourneyStatus, v *studentHomeView) error {
	if len(st.TrainingsRequired) == 0 {
		return nil
	}
	done, err := p.Store.TrainingsDone(ctx, c.j.ID, st.TrainingsRequired)
	if err != nil {
		return err
	}
	for _, d := range done {
		t := homeTraining{Name: d.Name, URL: d.URL}
		if d.Done != nil {
			t.Done = c.lang.F().Date(*d.Done)
		}
		if slices.Contains(st.TrainingsAvailable, d.Code) {
			t.Record = p.actionLink(ctx, c, "record_training")
		}
		v.Trainings = append(v.Trainings, t)
	}
	return nil
}

// homeDocuments are the signed permit and the certificate, once they exist.
func (p *Pages) homeDocuments(ctx context.Context, c *call, _ workflows.JourneyStatus, v *studentHomeView) error {
	if p.fileFor(ctx, c, "signed") != "" {
		v.Documents = append(v.Documents, homeDoc{Label: c.lang.T("home.doc.permit"), Href: c.path() + "/file/signed"})
	}
	if p.fileFor(ctx, c, "certificate") != "" {
		v.Documents = append(v.Documents, homeDoc{Label: c.lang.T("home.doc.certificate"), Href: c.path() + "/file/certificate"})
	}
	return nil
}

// homeFile is the document a home link may fetch as kind: the journey's
// approved permit signed by everyone, and (the student's) certificate.
func (p *Pages) homeFile(ctx context.Context, c *call, kind string) string {
	switch {
	case kind == "signed":
		return p.Store.LatestSignedPermitPDF(ctx, c.j.ID)
	case kind == "certificate" && c.link.Action == "student_home":
		return p.certificateFile(ctx, c)
	}
	return ""
}

// guardianSigned are the signatures this parent gave on the journey's
// permits, newest first.
func (p *Pages) guardianSigned(ctx context.Context, c *call) ([]homeSigned, error) {
	signed, err := p.Store.GuardianSignatures(ctx, c.j.ID, c.link.PersonRef)
	if err != nil {
		return nil, err
	}
	var out []homeSigned
	for _, g := range signed {
		out = append(out, homeSigned{What: c.lang.Tf("home.signed.permit", g.Version), When: c.lang.F().When(g.At)})
	}
	return out, nil
}

// homeHelper is the school's coordinator (else the district's office).
func (p *Pages) homeHelper(ctx context.Context, c *call) (*homeHelper, error) {
	h, err := messaging.ProgramHelper(ctx, p.Store.Pool, c.j.DistrictID, c.j.SchoolID)
	if err != nil || h.Name == "" {
		return nil, err
	}
	role := "home.helper." + h.Role
	if c.party() == workflows.PartyGuardian {
		role += "@guardian"
	}
	return &homeHelper{Name: h.Name, Role: c.lang.T(role), Reach: h.Reach}, nil
}

// weekDate is a week's Monday as the person reads dates.
func weekDate(l Lang, week string) string {
	d, err := time.Parse(time.DateOnly, week)
	if err != nil {
		return week
	}
	return l.F().Date(d)
}

// weekStatusLabel is a timesheet week's state in plain words.
func weekStatusLabel(l Lang, status string) string {
	switch status {
	case "submitted", "approved", "correction_requested":
		return l.T("home.weekstatus." + status)
	}
	return l.T("home.weekstatus.due")
}
