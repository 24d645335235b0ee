// Package found is an internship a student found for themselves, as they
// report it: its fields, the check of what they typed (the page shows
// every problem at once, the journey refuses with the first), and what a
// coordinator weighs when vetting it (minimum wage, minors' weekly hours,
// matching the employer to one the district already knows).
package found

import (
	"regexp"
	"strings"
	"time"
)

// Details is the placement as the student reports it. Pay is in
// cents: an hourly rate, or the whole stipend.
type Details struct {
	EmployerName    string  `json:"employer_name"`
	SupervisorName  string  `json:"supervisor_name"`
	SupervisorPhone string  `json:"supervisor_phone,omitempty"` // E.164
	SupervisorEmail string  `json:"supervisor_email,omitempty"`
	Remote          bool    `json:"remote"`
	Address         string  `json:"address,omitempty"`
	City            string  `json:"city,omitempty"`
	State           string  `json:"state,omitempty"`
	PostalCode      string  `json:"postal_code,omitempty"`
	Title           string  `json:"title"`
	Duties          string  `json:"duties"`
	PayType         string  `json:"pay_type"` // hourly, stipend
	PayCents        int     `json:"pay_cents"`
	HoursPerWeek    float64 `json:"hours_per_week"`
	StartDate       string  `json:"start_date"` // 2006-01-02
	EndDate         string  `json:"end_date"`
	Schedule        string  `json:"schedule"`
}

// Problem is one field of a report that cannot be accepted. Code
// names the problem for the page's words; Message says it in English.
type Problem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// Check lists every field that cannot be accepted, in form order, so
// the page shows them all at once (the workflow refuses with the first).
func Check(d Details) []Problem {
	var out []Problem
	add := func(field, code, msg string) { out = append(out, Problem{field, code, msg}) }
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	if blank(d.EmployerName) {
		add("employer_name", "required", "give the employer's name")
	}
	if blank(d.SupervisorName) {
		add("supervisor_name", "required", "give your supervisor's name")
	}
	switch {
	case blank(d.SupervisorPhone) && blank(d.SupervisorEmail):
		add("supervisor_contact", "contact", "give your supervisor's phone or email")
	case !blank(d.SupervisorPhone) && !e164.MatchString(d.SupervisorPhone):
		add("supervisor_contact", "phone", "the supervisor's phone number is not a phone number")
	case !blank(d.SupervisorEmail) && !strings.Contains(d.SupervisorEmail, "@"):
		add("supervisor_contact", "email", "the supervisor's email is not an email address")
	}
	if !d.Remote && (blank(d.Address) || blank(d.City)) {
		add("address", "address", "give the worksite's street address and city, or say it is remote")
	}
	if blank(d.Title) {
		add("title", "required", "give the job title")
	}
	if len(strings.TrimSpace(d.Duties)) < 20 {
		add("duties", "duties", "say in a sentence or two what you will do")
	}
	switch {
	case d.PayType != "hourly" && d.PayType != "stipend":
		add("pay", "pay_type", "say whether you are paid by the hour or a stipend")
	case d.PayCents <= 0:
		add("pay", "pay", "give the pay")
	}
	if d.HoursPerWeek <= 0 || d.HoursPerWeek > 40 {
		add("hours_per_week", "hours", "give the hours a week (at most 40)")
	}
	start, errStart := time.Parse(time.DateOnly, d.StartDate)
	end, errEnd := time.Parse(time.DateOnly, d.EndDate)
	switch {
	case errStart != nil:
		add("start_date", "date", "give the start date")
	case errEnd != nil:
		add("end_date", "date", "give the end date")
	case end.Before(start):
		add("end_date", "end_before_start", "the end date is before the start date")
	}
	if blank(d.Schedule) {
		add("schedule", "required", "give the days and times you will work")
	}
	return out
}
