package staff

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// Forms become store values here; the store checks and normalises them
// (the same checks the JSON API gets).

func employerFromForm(r *http.Request, id string) store.Employer {
	f := r.PostFormValue
	return store.Employer{ID: id, Name: f("name"), IsDistrict: f("is_district") == "yes", ContactName: f("contact_name"),
		ContactEmail: f("contact_email"), ContactPhone: f("contact_phone"), Timezone: f("timezone")}
}

func worksiteFromForm(r *http.Request, employerID, id string) store.Worksite {
	f := r.PostFormValue
	return store.Worksite{ID: id, EmployerID: employerID, Name: f("name"), Remote: f("remote") == "yes",
		AddressLine1: f("address_line1"), City: f("city"), State: f("state"), PostalCode: f("postal_code"),
		SafetyNotes: f("safety_notes"), Timezone: f("timezone")}
}

func supervisorFromForm(r *http.Request, employerID, id string) store.Supervisor {
	f := r.PostFormValue
	return store.Supervisor{ID: id, EmployerID: employerID, Name: f("name"), Email: f("email"), Phone: f("phone"),
		Language: f("language"), Timezone: f("timezone"), StaffID: f("staff_id")}
}

// postingInput is the posting form as typed: numbers stay text so a
// mistyped one comes back as typed, next to its error.
type postingInput struct {
	Posting                     store.Posting
	Pay, Hours, Spots, Deadline string
}

func postingFromForm(r *http.Request, employerID, id string) postingInput {
	_ = r.ParseForm()
	f := r.PostFormValue
	return postingInput{
		Posting: store.Posting{ID: id, EmployerID: employerID, ProgramID: f("program_id"), WorksiteID: f("worksite_id"),
			SupervisorID: f("supervisor_id"), Title: f("title"), Description: f("description"), Pathway: f("pathway"),
			Schedule: f("schedule"), PayType: f("pay_type"), FundingSource: f("funding_source"), SpotType: f("spot_type"),
			Requirements: r.PostForm["requirements"], RequiredTrainings: r.PostForm["required_trainings"], Deliverable: f("deliverable")},
		Pay: strings.TrimSpace(f("pay")), Hours: strings.TrimSpace(f("hours_per_week")), Spots: strings.TrimSpace(f("spots")),
		Deadline: strings.TrimSpace(f("deadline")),
	}
}

// posting reads the typed numbers into the posting.
func (in *postingInput) posting() (store.Posting, error) {
	p := in.Posting
	var err error
	if p.PayCents, err = dollarsToCents(in.Pay); err != nil {
		return p, &store.FieldError{Field: "pay_cents", Message: "give the pay in dollars, e.g. 18.50"}
	}
	if in.Hours != "" {
		if p.HoursPerWeek, err = strconv.ParseFloat(in.Hours, 64); err != nil || math.IsNaN(p.HoursPerWeek) {
			return p, &store.FieldError{Field: "hours_per_week", Message: "give the hours per week as a number, e.g. 12 or 7.5"}
		}
	}
	if in.Spots != "" {
		if p.Spots, err = strconv.Atoi(in.Spots); err != nil || p.Spots < 1 {
			return p, &store.FieldError{Field: "spots", Message: "give the number of spots, 1 or more"}
		}
	}
	if in.Deadline != "" {
		d, err := time.Parse(time.DateOnly, in.Deadline)
		if err != nil {
			return p, &store.FieldError{Field: "deadline", Message: "give the deadline as a date (YYYY-MM-DD)"}
		}
		p.Deadline = &d
	}
	return p, nil
}

// dollarsToCents reads "18", "18.5", "$1,200.00" as cents ("" is 0).
func dollarsToCents(s string) (int, error) {
	s = strings.NewReplacer("$", "", ",", "", " ", "").Replace(s)
	if s == "" {
		return 0, nil
	}
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, fmt.Errorf("not an amount")
	}
	d, err := strconv.Atoi(whole + (frac + "00")[:2])
	if err != nil || d < 0 || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("not an amount")
	}
	return d, nil
}

// inputOf is the form's view of a stored posting.
func inputOf(p store.Posting) postingInput {
	in := postingInput{Posting: p, Spots: strconv.Itoa(p.Spots)}
	if p.PayCents > 0 {
		in.Pay = fmt.Sprintf("%d.%02d", p.PayCents/100, p.PayCents%100)
	}
	if p.HoursPerWeek > 0 {
		in.Hours = strconv.FormatFloat(p.HoursPerWeek, 'f', -1, 64)
	}
	if p.Deadline != nil {
		in.Deadline = p.Deadline.Format(time.DateOnly)
	}
	return in
}
