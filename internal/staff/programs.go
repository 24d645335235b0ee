package staff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// "Programs": district admins create and edit program definitions (what
// `internflow program set` takes as JSON), preview the reminder timeline
// of their ladders, see every kept version, and move running journeys to
// the current version (what `internflow program migrate` does). A
// definition passes journey.CheckProgram, as from the CLI, before anything
// is written; every change is audited.

// canEditPrograms: program definitions are district-wide policy, so
// district admins only (the role that imports rosters and names staff).
func canEditPrograms(p auth.Principal) bool { return p.Can("", auth.RoleDistrictAdmin) }

// CanPrograms shows the Programs entry.
func (b base) CanPrograms() bool { return canEditPrograms(b.P) }

// programForm is the program form as typed; field names in Errors are the
// definition's JSON names (ProgramError.Field), plus name and program_year.
type programForm struct {
	Name, Kind, Year                  string
	AppsOpen, AppsClose, Start, End   string
	Hours, MaxWeeks, MaxApps          string
	Trainings, TrainingsOpen, Ladders string
	Stages                            []string
	WorkPermit, MOUGate               bool
}

// readProgramForm reads the posted form.
func readProgramForm(r *http.Request) programForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	_ = r.ParseForm()
	return programForm{Name: v("name"), Kind: v("kind"), Year: v("program_year"),
		AppsOpen: v("applications_open"), AppsClose: v("applications_close"), Start: v("start"), End: v("end"),
		Hours: v("required_hours"), MaxWeeks: v("max_weeks"), MaxApps: v("max_applications"),
		Trainings: v("trainings"), TrainingsOpen: v("trainings_open"), Ladders: v("ladders"),
		Stages: r.PostForm["stages"], WorkPermit: v("work_permit") == "on", MOUGate: v("mou_gate") == "on"}
}

// programFormOf fills the form from a program and its definition.
func programFormOf(name string, year int, def workflows.Program) programForm {
	ladders, _ := json.MarshalIndent(def.Ladders, "", "  ")
	f := programForm{Name: name, Kind: def.Kind, Year: strconv.Itoa(year),
		AppsOpen: def.Calendar.ApplicationsOpen, AppsClose: def.Calendar.ApplicationsClose,
		Start: def.Calendar.Start, End: def.Calendar.End,
		Hours: number(def.RequiredHours), MaxWeeks: strconv.Itoa(def.MaxWeeks), MaxApps: strconv.Itoa(def.MaxApplications),
		Trainings: strings.Join(def.Trainings, ", "), TrainingsOpen: def.TrainingsOpen, Ladders: string(ladders),
		WorkPermit: def.WorkPermit, MOUGate: def.MOUGate}
	for _, s := range def.Stages {
		f.Stages = append(f.Stages, string(s))
	}
	return f
}

func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// definition maps the form onto base (the stored definition as written,
// so what the form does not show, such as hour rules and breaks, is
// kept). It refuses only what it cannot read; the rules are
// workflows.Program.Validate's and journey.CheckProgram's.
func (f programForm) definition(base workflows.Program) (workflows.Program, int, map[string]string) {
	errs := map[string]string{}
	def := base
	def.Version = 0 // the programs row numbers versions
	switch {
	case f.Name == "":
		errs["name"] = "Name the program, like “Summer Paid Internship 2027”."
	case utf8.RuneCountInString(f.Name) > 200:
		errs["name"] = "Keep the name under 200 characters."
	}
	def.Kind = f.Kind
	if !slices.Contains(workflows.ProgramKinds, f.Kind) {
		errs["kind"] = "Choose the kind of program."
	}
	year, err := strconv.Atoi(f.Year)
	if err != nil || year < 2000 || year > 2100 {
		errs["program_year"] = "Enter the program year, like 2027."
	}
	def.Calendar.ApplicationsOpen, def.Calendar.ApplicationsClose = f.AppsOpen, f.AppsClose
	def.Calendar.Start, def.Calendar.End = f.Start, f.End
	if def.RequiredHours, err = strconv.ParseFloat(f.Hours, 64); err != nil {
		errs["required_hours"] = "Enter the hours as a number, like 100."
	}
	if def.MaxWeeks, err = strconv.Atoi(f.MaxWeeks); err != nil {
		errs["max_weeks"] = "Enter the weeks as a whole number, like 16."
	}
	if def.MaxApplications, err = strconv.Atoi(f.MaxApps); err != nil {
		errs["max_applications"] = "Enter the applications as a whole number, like 10."
	}
	def.Trainings = nil
	for _, code := range strings.FieldsFunc(f.Trainings, func(r rune) bool { return r == ',' || unicode.IsSpace(r) }) {
		if !slices.Contains(def.Trainings, code) {
			def.Trainings = append(def.Trainings, code)
		}
	}
	def.TrainingsOpen = f.TrainingsOpen
	def.Stages = nil
	for _, s := range workflows.OptionalStages { // process order, whatever the form's
		if slices.Contains(f.Stages, string(s)) {
			def.Stages = append(def.Stages, s)
		}
	}
	def.WorkPermit, def.MOUGate = f.WorkPermit, f.MOUGate
	def.Ladders = nil
	if err := json.Unmarshal([]byte(f.Ladders), &def.Ladders); err != nil || def.Ladders == nil {
		errs["ladders"] = `Write the ladders as JSON, like {"survey": [{"after_days": 0, "template": "survey_invite"}]}.`
	}
	return def, year, errs
}

// programPage is the list, the new-program form and the edit form.
type programPage struct {
	base
	Programs  []store.ProgramSummary
	Program   store.ProgramSummary // the one edited; empty ID for a new one
	Form      programForm
	Errors    map[string]string
	Timeline  []workflows.WaitTimeline
	Versions  []store.ProgramVersion
	Catalogue []store.Training
	Previewed bool
}

// Kinds, stage and trainings-open choices for the form.
func (programPage) Kinds() []option {
	return []option{{"summer_paid", "Summer paid internship"}, {"micro", "Micro-internship"},
		{"in_district", "In-district internship"}, {"virtual", "Virtual internship"}}
}

func (programPage) StageChoices() []option {
	var out []option
	for _, s := range workflows.OptionalStages {
		out = append(out, option{string(s), stageLabel(string(s))})
	}
	return out
}

// Checked says whether a stage box is ticked.
func (d programPage) Checked(stage string) bool { return slices.Contains(d.Form.Stages, stage) }

func (h *Handler) programs(w http.ResponseWriter, r *http.Request) {
	if !canEditPrograms(principal(r)) {
		h.forbidden(w, r)
		return
	}
	def := workflows.DefaultProgramFor("summer_paid")
	d := programPage{Form: programFormOf("", 0, def), Errors: map[string]string{}, Timeline: def.ReminderTimeline()}
	d.Form.Year = ""
	h.renderPrograms(w, r, d, http.StatusOK)
}

func (h *Handler) renderPrograms(w http.ResponseWriter, r *http.Request, d programPage, status int) {
	title := "Programs"
	if d.Program.ID != "" {
		title = d.Program.Name
	}
	d.base = h.base(r, title, "programs")
	var err error
	if d.Programs, err = h.Store.DistrictProgramSummaries(r.Context(), d.P.DistrictID); err != nil {
		h.failed(w, r, "list programs", err)
		return
	}
	if d.Catalogue, err = h.Store.Trainings(r.Context()); err != nil {
		h.failed(w, r, "list trainings", err)
		return
	}
	if d.Program.ID != "" {
		if i := slices.IndexFunc(d.Programs, func(s store.ProgramSummary) bool { return s.ID == d.Program.ID }); i >= 0 {
			d.Program = d.Programs[i]
		}
		if d.Versions, err = h.Store.ProgramVersions(r.Context(), d.Program.ID); err != nil {
			h.failed(w, r, "list program versions", err)
			return
		}
	}
	render(w, r, status, "programs", d)
}

// districtProgram loads a program of the signed-in admin's district (any
// other is 404, as if it did not exist).
func (h *Handler) districtProgram(w http.ResponseWriter, r *http.Request) (store.Program, bool) {
	p := principal(r)
	if !canEditPrograms(p) {
		h.forbidden(w, r)
		return store.Program{}, false
	}
	id := chi.URLParam(r, "programID")
	if uuid.Validate(id) != nil {
		h.notFound(w, r)
		return store.Program{}, false
	}
	prog, err := h.Store.GetProgram(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && prog.DistrictID != p.DistrictID) {
		h.notFound(w, r)
		return store.Program{}, false
	}
	if err != nil {
		h.failed(w, r, "load program", err)
		return store.Program{}, false
	}
	return prog, true
}

func (h *Handler) program(w http.ResponseWriter, r *http.Request) {
	prog, ok := h.districtProgram(w, r)
	if !ok {
		return
	}
	def, err := journey.ProgramDefinition(prog)
	if err != nil {
		h.failed(w, r, "read program definition", err)
		return
	}
	d := programPage{Program: store.ProgramSummary{ID: prog.ID, Name: prog.Name}, Form: programFormOf(prog.Name, prog.ProgramYear, def),
		Errors: map[string]string{}, Timeline: def.ReminderTimeline()}
	h.renderPrograms(w, r, d, http.StatusOK)
}

// saveProgram creates (no programID) or edits a program: "Preview" shows
// the reminder timeline of what was typed and writes nothing; "Save"
// stores a new version once journey.CheckProgram accepts it.
func (h *Handler) saveProgram(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var prog store.Program
	if chi.URLParam(r, "programID") != "" {
		var ok bool
		if prog, ok = h.districtProgram(w, r); !ok {
			return
		}
	} else if !canEditPrograms(p) {
		h.forbidden(w, r)
		return
	}
	district, err := h.Store.GetDistrict(r.Context(), p.DistrictID)
	if err != nil {
		h.failed(w, r, "load district", err)
		return
	}
	// What the form does not show (hour rules, breaks, time scale) stays as written.
	var written workflows.Program
	if len(prog.Definition) > 0 {
		if err := json.Unmarshal(prog.Definition, &written); err != nil {
			h.failed(w, r, "read program definition", err)
			return
		}
	}
	form := readProgramForm(r)
	def, year, errs := form.definition(written)
	d := programPage{Program: store.ProgramSummary{ID: prog.ID, Name: prog.Name}, Form: form, Errors: errs,
		Timeline: def.ReminderTimeline(), Previewed: r.PostFormValue("action") == "preview"}
	raw, err := json.Marshal(def)
	if err != nil {
		h.failed(w, r, "write program definition", err)
		return
	}
	next := store.Program{ID: prog.ID, DistrictID: p.DistrictID, Name: form.Name, Kind: def.Kind, ProgramYear: year,
		Version: prog.Version + 1, Definition: raw, State: district.State}
	// The timeline is of the definition as journeys will run it: a wait
	// the ladders leave out keeps its default ladder.
	if merged, err := journey.ProgramDefinition(next); err == nil {
		d.Timeline = merged.ReminderTimeline()
	}
	if len(errs) == 0 {
		if _, err := journey.CheckProgram(r.Context(), h.Store, next); err != nil {
			var pe *workflows.ProgramError
			if !errors.As(err, &pe) {
				h.failed(w, r, "check program definition", err)
				return
			}
			errs[formField(pe.Field)] = sentence(pe.Message)
		}
	}
	switch {
	case len(errs) > 0:
		h.renderPrograms(w, r, d, http.StatusUnprocessableEntity)
		return
	case d.Previewed:
		h.renderPrograms(w, r, d, http.StatusOK)
		return
	}
	h.storeProgram(w, r, next)
}

// storeProgram writes the checked program as a new program or its next
// version, audits it and shows the program.
func (h *Handler) storeProgram(w http.ResponseWriter, r *http.Request, next store.Program) {
	p := principal(r)
	if next.ID == "" {
		id, err := h.Store.CreateProgramBy(r.Context(), next, p.StaffID)
		if err != nil {
			h.failed(w, r, "create program", err)
			return
		}
		h.audit(r, "program_created", "program", id, next.Name+", version 1")
		h.setFlash(w, false, "“"+next.Name+"” is made (version 1).")
		http.Redirect(w, r, "/staff/programs/"+id, http.StatusSeeOther)
		return
	}
	v, err := h.Store.UpdateProgram(r.Context(), next, p.StaffID)
	if err != nil {
		h.failed(w, r, "update program", err)
		return
	}
	h.audit(r, "program_changed", "program", next.ID, fmt.Sprintf("%s, version %d", next.Name, v))
	h.setFlash(w, false, fmt.Sprintf("“%s” is now version %d. Running journeys keep their version until you move them.", next.Name, v))
	http.Redirect(w, r, "/staff/programs/"+next.ID, http.StatusSeeOther)
}

// formField names the form field a definition field is shown next to
// (a ladder's error sits by the ladders box, a break's by the end date).
func formField(field string) string {
	switch {
	case strings.HasPrefix(field, "ladders."):
		return "ladders"
	case field == "calendar.breaks":
		return "end"
	}
	return strings.TrimPrefix(field, "calendar.")
}

// migratePage confirms moving running journeys to the current version.
type migratePage struct {
	base
	Program store.Program
	Behind  []store.ProgramVersion // older versions with running journeys
	Count   int
}

// From names the versions the journeys move from ("version 3", "versions 2 and 3").
func (d migratePage) From() string {
	var vs []string
	for i := len(d.Behind) - 1; i >= 0; i-- {
		vs = append(vs, strconv.Itoa(d.Behind[i].Version))
	}
	if len(vs) == 1 {
		return "version " + vs[0]
	}
	return "versions " + strings.Join(vs[:len(vs)-1], ", ") + " and " + vs[len(vs)-1]
}

// Journeys is "1 running journey" or "37 running journeys".
func (d migratePage) Journeys() string {
	if d.Count == 1 {
		return "1 running journey"
	}
	return strconv.Itoa(d.Count) + " running journeys"
}

func (h *Handler) confirmMigrate(w http.ResponseWriter, r *http.Request) {
	prog, ok := h.districtProgram(w, r)
	if !ok {
		return
	}
	versions, err := h.Store.ProgramVersions(r.Context(), prog.ID)
	if err != nil {
		h.failed(w, r, "list program versions", err)
		return
	}
	d := migratePage{Program: prog}
	for _, v := range versions {
		if v.Version < prog.Version && v.Open > 0 {
			d.Behind = append(d.Behind, v)
			d.Count += v.Open
		}
	}
	d.base = h.base(r, "Move journeys of "+prog.Name, "programs")
	render(w, r, http.StatusOK, "program_migrate", d)
}

// migrateProgram moves the running journeys to the version the admin
// confirmed, through the CLI's code path (journey.Service.MigrateProgram).
func (h *Handler) migrateProgram(w http.ResponseWriter, r *http.Request) {
	prog, ok := h.districtProgram(w, r)
	if !ok {
		return
	}
	back := "/staff/programs/" + prog.ID
	if r.PostFormValue("version") != strconv.Itoa(prog.Version) {
		h.setFlash(w, true, fmt.Sprintf("The program changed to version %d meanwhile: check it, then move the journeys again.", prog.Version))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	p := principal(r)
	// A closed tab does not stop the move halfway (it is idempotent, so
	// confirming again would finish it, but the admin should not have to).
	n, err := h.Journeys.MigrateProgram(context.WithoutCancel(r.Context()), prog.ID, workflows.Actor{Kind: "staff", Ref: p.StaffID})
	h.audit(r, "program_migrated", "program", prog.ID, fmt.Sprintf("%d journeys to version %d", n, prog.Version))
	if err != nil {
		h.failed(w, r, "migrate program", err)
		return
	}
	h.setFlash(w, false, fmt.Sprintf("Moved %d running journeys to version %d.", n, prog.Version))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// Line writes one rung of the reminder timeline: "Day 3: reminder to the
// student (survey_nudge)", "Day 10: escalation to the coordinator
// (coordinator_stuck)".
func (programPage) Line(r workflows.Reminder) string {
	what := "reminder"
	if r.Escalate {
		what = "escalation"
	}
	return fmt.Sprintf("Day %s: %s to %s (%s)", number(r.Day), what, reminderTo(r.To), r.Template)
}

// WaitName names a ladder's wait: "Survey", "Permit sign".
func (programPage) WaitName(wait string) string { return humanize(wait) }

func reminderTo(p workflows.Party) string {
	switch p {
	case workflows.PartyOps:
		return "district ops"
	case workflows.PartyMOU:
		return "the MOU approver"
	case workflows.PartyGuardian:
		return "the parent or guardian"
	case "signer":
		return "each signer not yet signed"
	case "":
		return "whoever the step waits on"
	}
	return "the " + strings.ReplaceAll(string(p), "_", " ")
}

// HoursOf reads a kept version's required hours ("default" when it
// states none, so the kind's default applies).
func (programPage) HoursOf(definition []byte) string {
	var v struct {
		RequiredHours *float64 `json:"required_hours"`
	}
	if json.Unmarshal(definition, &v) != nil || v.RequiredHours == nil {
		return "default"
	}
	return number(*v.RequiredHours)
}
