package staff

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/found"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
)

// An internship the student found themselves (workflows/found.go), on the
// student page: the coordinator enters one for the student, and vets a
// reported one with a checklist, choosing an employer the district
// already has when it matches (so the same company is not created twice).

// foundPanel is the found internship as the student page shows it.
type foundPanel struct {
	ID, Status       string
	Details          found.Details
	Comment, Reason  string
	Pay, Where       string
	Hints            found.Hints
	MinWage, Weekly  string
	Matches          []store.FoundMatch
	Checklist        []option
	CanVet, CanEnter bool
}

// foundChecks are the checklist's items, as workflows.FoundChecklist
// names them.
var foundChecks = []option{
	{"worksite", "Worksite address given (or it is remote)"},
	{"supervisor", "Supervisor named and reachable"},
	{"pay", "Pay at or above minimum wage, or a stated stipend"},
	{"hours", "Hours within the program's rules for minors"},
	{"duties", "Duties meaningful and safe"},
}

// fundings are who pays the wages: the district's pay goes through the
// employer's MOU.
var fundings = []option{
	{"employer_paid", "The employer pays (no MOU needed)"},
	{"district_cte", "The district pays (CTE funds: the employer's MOU is needed)"},
	{"city_program", "A city program pays"},
}

// loadFound fills the panel while the journey is applying.
func (h *Handler) loadFound(ctx context.Context, d *studentPage) error {
	if d.Live == nil || d.Live.Stage != workflows.StageApplying {
		return nil
	}
	f := d.Live.Found
	panel := &foundPanel{Checklist: foundChecks, CanEnter: f == nil || f.Status == workflows.FoundDeclined ||
		f.Status == workflows.FoundChangesRequested}
	d.Found = panel
	if f == nil {
		return nil
	}
	panel.ID, panel.Status, panel.Details, panel.Comment, panel.Reason = f.ID, f.Status, f.Details, f.Comment, f.Reason
	panel.CanVet = f.Status == workflows.FoundSubmitted
	panel.Pay = payText(f.Details.PayType, f.Details.PayCents)
	panel.Where = "Remote"
	if !f.Details.Remote {
		panel.Where = strings.Join(nonEmpty(f.Details.Address, f.Details.City, f.Details.State, f.Details.PostalCode), ", ")
	}
	if !panel.CanVet {
		return nil
	}
	v, err := h.Store.FoundVettingFor(ctx, d.J.View.JourneyID)
	if err != nil {
		return err
	}
	age, ok := hours.AgeOn(v.BirthDate, time.Now())
	if !ok {
		age = 16 // unknown: hold the report to the rules of a minor
	}
	panel.Hints = found.Vet(f.Details, v.State, age, v.HourRules, v.ProgramKind == "summer_paid")
	panel.MinWage = fmt.Sprintf("$%.2f an hour (%s)", float64(panel.Hints.MinimumCents)/100, v.State)
	if panel.Hints.WeeklyLimit > 0 {
		panel.Weekly = fmt.Sprintf("%g hours a week at age %d", panel.Hints.WeeklyLimit, age)
	}
	panel.Matches, err = h.Store.FoundMatches(ctx, d.J.View.DistrictID, f.Details)
	return err
}

func payText(kind string, cents int) string {
	if kind == "stipend" {
		return fmt.Sprintf("$%.2f stipend", float64(cents)/100)
	}
	return fmt.Sprintf("$%.2f an hour", float64(cents)/100)
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// foundInputs are the found-internship form's fields a refusal can name.
var foundInputs = []string{"employer_name", "supervisor_name", "supervisor_contact", "address", "title", "duties",
	"pay", "hours_per_week", "start_date", "end_date", "schedule"}

// enterFound reports an internship for the student (the same form and
// checks as the student's own page).
func (h *Handler) enterFound(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	d, read := found.FromForm(r.PostForm)
	if problems := found.FormProblems(d, read); len(problems) > 0 {
		return "", &workflows.InputError{Field: problems[0].Field, Message: problems[0].Message}
	}
	in := workflows.FoundPlacementInput{By: by, Details: d}
	if err := h.Journeys.ReportFoundPlacement(r.Context(), j.View.JourneyID, updateID(r, "found_report"), in); err != nil {
		return "", err
	}
	return "Internship recorded for the student; check it below to approve it.", nil
}

// vetFound approves the report (with the employer chosen) or sends it
// back to the student with a comment.
func (h *Handler) vetFound(r *http.Request, j store.StudentJourney, by workflows.Actor) (string, error) {
	in := workflows.VetFoundInput{By: by, Approve: r.PostFormValue("decision") == "approve",
		Checked: r.PostForm["checked"], Comment: strings.TrimSpace(r.PostFormValue("comment")),
		Funding: r.PostFormValue("funding")}
	if in.Approve {
		// "new", or "employerID" / "employerID supervisorID" of a match.
		if m := r.PostFormValue("employer_id"); m != "" && m != "new" {
			employer, supervisor, _ := strings.Cut(m, " ")
			if !uuidRe.MatchString(employer) || (supervisor != "" && !uuidRe.MatchString(supervisor)) {
				return "", &workflows.InputError{Field: "employer_id", Message: "choose an employer from the list"}
			}
			in.EmployerID, in.SupervisorID = employer, supervisor
		}
	}
	if err := h.Journeys.VetFoundPlacement(r.Context(), j.View.JourneyID, updateID(r, "found_vet"), in); err != nil {
		return "", err
	}
	if in.Approve {
		return "Approved; the supervisor is asked to confirm it.", nil
	}
	return "Sent back to the student with your comment.", nil
}

// FoundFundings are the funding choices of the vetting form.
func (d studentPage) FoundFundings() []option { return fundings }

// foundFuncs format the entry form's initial values.
var foundFuncs = map[string]any{
	"foundYes": func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	},
	"foundDollars": func(cents int) string {
		if cents == 0 {
			return ""
		}
		return fmt.Sprintf("%.2f", float64(cents)/100)
	},
	"foundHours": func(h float64) string {
		if h == 0 {
			return ""
		}
		return fmt.Sprintf("%g", h)
	},
}
