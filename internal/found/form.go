package found

import (
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/internflow/internflow/internal/contact"
)

// FromForm reads a report from the form the student's page and the
// coordinator's page share (the same field names), normalising the
// supervisor's phone and email and the pay. Problems are what the form
// itself could not read; Check finds the rest.
func FromForm(f url.Values) (Details, []Problem) {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	d := Details{
		EmployerName: get("employer_name"), SupervisorName: get("supervisor_name"),
		Remote: f.Get("remote") == "yes", Address: get("address"), City: get("city"), State: strings.ToUpper(get("state")),
		PostalCode: get("postal_code"), Title: get("title"), Duties: get("duties"), PayType: get("pay_type"),
		StartDate: get("start_date"), EndDate: get("end_date"), Schedule: get("schedule"),
	}
	var out []Problem
	if raw := get("supervisor_phone"); raw != "" {
		phone, err := contact.NormalizePhone(raw, "US")
		if err != nil {
			out = append(out, Problem{"supervisor_contact", "phone", "the supervisor's phone number is not a phone number"})
		}
		d.SupervisorPhone = phone
	}
	if raw := get("supervisor_email"); raw != "" {
		email, err := contact.NormalizeEmail(raw)
		if err != nil {
			out = append(out, Problem{"supervisor_contact", "email", "the supervisor's email is not an email address"})
		}
		d.SupervisorEmail = email
	}
	if raw := get("pay_rate"); raw != "" {
		cents, ok := parseMoney(raw)
		if !ok {
			out = append(out, Problem{"pay", "pay", "give the pay"})
		}
		d.PayCents = cents
	}
	if raw := get("hours_per_week"); raw != "" {
		h, err := strconv.ParseFloat(strings.Replace(raw, ",", ".", 1), 64)
		if err != nil {
			out = append(out, Problem{"hours_per_week", "hours", "give the hours a week (at most 40)"})
		}
		d.HoursPerWeek = h
	}
	return d, out
}

// FormProblems is every problem with a submitted form, one per field,
// in form order: what the form could not read first, then Check's.
func FormProblems(d Details, read []Problem) []Problem {
	out := append([]Problem(nil), read...)
	seen := map[string]bool{}
	for _, p := range read {
		seen[p.Field] = true
	}
	for _, p := range Check(d) {
		if !seen[p.Field] {
			out = append(out, p)
			seen[p.Field] = true
		}
	}
	return out
}

// ToForm is a report as the form's values (to show it again, pre-filled).
func ToForm(d Details) url.Values {
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("employer_name", d.EmployerName)
	set("supervisor_name", d.SupervisorName)
	set("supervisor_phone", contact.DisplayPhone(d.SupervisorPhone))
	set("supervisor_email", d.SupervisorEmail)
	if d.Remote {
		f.Set("remote", "yes")
	}
	set("address", d.Address)
	set("city", d.City)
	set("state", d.State)
	set("postal_code", d.PostalCode)
	set("title", d.Title)
	set("duties", d.Duties)
	set("pay_type", d.PayType)
	if d.PayCents > 0 {
		f.Set("pay_rate", strconv.FormatFloat(float64(d.PayCents)/100, 'f', 2, 64))
	}
	if d.HoursPerWeek > 0 {
		f.Set("hours_per_week", strconv.FormatFloat(d.HoursPerWeek, 'f', -1, 64))
	}
	set("start_date", d.StartDate)
	set("end_date", d.EndDate)
	set("schedule", d.Schedule)
	return f
}

// parseMoney reads "17", "17.50", "$1,200" as cents.
func parseMoney(raw string) (int, bool) {
	s := strings.NewReplacer("$", "", ",", "", " ", "").Replace(raw)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v > 1e6 {
		return 0, false
	}
	return int(math.Round(v * 100)), true
}
