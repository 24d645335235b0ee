package staff

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/reports"
	"github.com/internflow/internflow/internal/store"
)

// exportStudents downloads the student list as the dashboard filters it
// (every page, up to store.MaxListLimit rows). It holds names, so it is
// audited with the filter (never the names).
func (h *Handler) exportStudents(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.ReportRoles...) {
		h.forbidden(w, r)
		return
	}
	sc := p.ScopeFor(auth.ReportRoles...)
	schools, err := h.Store.SchoolsInScope(r.Context(), sc)
	if err != nil {
		h.failed(w, r, "schools", err)
		return
	}
	lq := parseListQuery(r, schools)
	if lq.SearchError != "" {
		http.Error(w, lq.SearchError, http.StatusBadRequest)
		return
	}
	page, err := h.Store.ListJourneys(r.Context(), sc, lq.filter(), nil, store.MaxListLimit)
	if err != nil {
		h.failed(w, r, "export list", err)
		return
	}
	t := reports.Table{Name: "students", Columns: []string{"Student", "Grade", "School", "Stage", "Waiting on",
		"In stage since", "Days in stage", "Overdue", "Unreachable", "Journey id",
		// Added last, so scripts reading columns by position keep working.
		"Student number", "State student id"}}
	for _, row := range page.Rows {
		t.Rows = append(t.Rows, studentCSVRow(row))
	}
	h.audit(r, "students_exported", "export", "students", fmt.Sprintf("%s; %d rows", lq.values().Encode(), len(t.Rows)))
	writeCSV(w, r, "students-"+time.Now().Format("2006-01-02"), t)
}

func studentCSVRow(row store.ListRow) []string {
	name := row.FirstName + " " + row.LastName
	if row.PreferredName != "" && row.PreferredName != row.FirstName {
		name = row.FirstName + " (" + row.PreferredName + ") " + row.LastName
	}
	grade := ""
	if row.Grade > 0 {
		grade = strconv.Itoa(row.Grade)
	}
	return []string{name, grade, row.SchoolName, stageLabel(row.Stage), partyLabel(row.WaitingOn),
		row.StageSince.UTC().Format(time.RFC3339), strconv.Itoa(int(time.Since(row.StageSince).Hours() / 24)),
		yesNo(row.Overdue), yesNo(row.Unreachable), row.JourneyID, row.StudentNumber, row.StateID}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// exportFunnel downloads the funnel per school in scope, with a total.
func (h *Handler) exportFunnel(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	if !p.HasAny(auth.ReportRoles...) {
		h.forbidden(w, r)
		return
	}
	sc := p.ScopeFor(auth.ReportRoles...)
	school := r.URL.Query().Get("school")
	if school != "" && !inScope(sc, school) {
		school = ""
	}
	rows, err := h.Store.FunnelBySchool(r.Context(), sc, school)
	if err != nil {
		h.failed(w, r, "export funnel", err)
		return
	}
	t := reports.Table{Name: "funnel", Columns: []string{"School", "Signed up", "Survey done", "Intern Ready", "Applied",
		"Placed", "Permit done", "Trainings done", "Working", "Completed", "Withdrawn"}}
	for _, f := range rows {
		if f.Funnel.SignedUp > 0 {
			t.Rows = append(t.Rows, funnelCSVRow(f.SchoolName, f.Funnel))
		}
		if f.Micro.SignedUp > 0 {
			t.Rows = append(t.Rows, microCSVRow(f.SchoolName+" (micro-internships)", f.Micro))
		}
	}
	total := store.FunnelTotal(rows)
	if total.Micro.SignedUp > 0 {
		t.Rows = append(t.Rows, microCSVRow("Total (micro-internships)", total.Micro))
	}
	t.Total = funnelCSVRow("Total", total.Funnel)
	h.audit(r, "funnel_exported", "export", "funnel", fmt.Sprintf("%d schools", len(rows)))
	writeCSV(w, r, "funnel-"+time.Now().Format("2006-01-02"), t)
}

func funnelCSVRow(name string, f store.Funnel) []string {
	out := []string{name}
	for _, n := range []int{f.SignedUp, f.SurveyDone, f.InternReady, f.Applied, f.Placed, f.PermitDone,
		f.TrainingsDone, f.Working, f.Completed, f.Withdrawn} {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// microCSVRow is a micro-internship row: no badge, permit, trainings or
// timesheets, so those cells stay empty rather than 0.
func microCSVRow(name string, f store.Funnel) []string {
	row := funnelCSVRow(name, f)
	for _, i := range []int{3, 6, 7, 8} { // Intern Ready, Permit done, Trainings done, Working
		row[i] = ""
	}
	return row
}

// inScope reports whether a school is in the scope (every school of a
// district scope; SchoolsInScope is the caller's check there).
func inScope(sc store.Scope, school string) bool {
	if sc.SchoolIDs == nil {
		return true
	}
	for _, id := range sc.SchoolIDs {
		if id == school {
			return true
		}
	}
	return false
}

func writeCSV(w http.ResponseWriter, r *http.Request, filename string, t reports.Table) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if err := reports.WriteCSV(w, t); err != nil {
		slog.ErrorContext(r.Context(), "write csv", "name", t.Name, "err", err)
	}
}
