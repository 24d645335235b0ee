package store

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/internflow/internflow/internal/contact"
	"github.com/internflow/internflow/internal/pathways"
)

// FieldError is input staff must fix: the field it concerns ("" for the
// whole form) and what is wrong, as a sentence. Pages show it next to the
// field; the API answers it as {"error", "field"}.
type FieldError struct {
	Field   string
	Message string
	// Err is what the error also is (errors.Is), e.g. ErrNoWorksite.
	Err error
}

func (e *FieldError) Error() string { return e.Message }

// Unwrap lets errors.Is see the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// PostingRequirements are the checks a posting can require besides
// trainings (those come from the trainings catalogue).
var PostingRequirements = []string{"tb_test", "background_check"}

// Allowed values of a posting's enumerations (the schema CHECKs them too).
var (
	PayTypes       = []string{"hourly", "stipend", "unpaid"}
	FundingSources = []string{"employer_paid", "district_cte", "city_program"}
	SpotTypes      = []string{"competitive", "guaranteed"}
)

// checkText trims s and checks its length; required text must not be empty.
func checkText(field, label string, s *string, max int, required bool) error {
	*s = strings.TrimSpace(*s)
	switch {
	case required && *s == "":
		return fieldErr(field, "%s is required", label)
	case utf8.RuneCountInString(*s) > max:
		return fieldErr(field, "%s is too long (at most %d characters)", label, max)
	case strings.ContainsRune(*s, 0):
		return fieldErr(field, "%s contains a character that cannot be stored", label)
	}
	return nil
}

func checkEmail(field string, s *string) error {
	if strings.TrimSpace(*s) == "" {
		*s = ""
		return nil
	}
	v, err := contact.NormalizeEmail(*s)
	if err != nil {
		return fieldErr(field, "that is not an email address we can send to")
	}
	*s = v
	return nil
}

func checkPhone(field string, s *string) error {
	if strings.TrimSpace(*s) == "" {
		*s = ""
		return nil
	}
	v, err := contact.NormalizePhone(*s, "US")
	if err != nil {
		return fieldErr(field, "that is not a phone number we can text (10 digits, or +country code)")
	}
	*s = v
	return nil
}

func checkTimezone(field string, s *string) error {
	v, err := contact.NormalizeTimezone(*s)
	if err != nil {
		return fieldErr(field, "that is not a time zone (use a name such as America/Los_Angeles)")
	}
	*s = v
	return nil
}

// Normalize checks an employer's fields and puts contacts in their
// canonical form (lower-case email, E.164 phone).
func (e *Employer) Normalize() error {
	return firstError(
		checkText("name", "The employer's name", &e.Name, 200, true),
		checkText("contact_name", "The contact's name", &e.ContactName, 200, false),
		checkEmail("contact_email", &e.ContactEmail),
		checkPhone("contact_phone", &e.ContactPhone),
		checkTimezone("timezone", &e.Timezone),
	)
}

// Normalize checks a worksite: a remote one needs no address; any other
// needs a street address and a city.
func (w *Worksite) Normalize() error {
	err := firstError(
		checkText("name", "The worksite's name", &w.Name, 200, true),
		checkText("address_line1", "The street address", &w.AddressLine1, 200, false),
		checkText("city", "The city", &w.City, 100, false),
		checkText("state", "The state", &w.State, 50, false),
		checkText("postal_code", "The ZIP code", &w.PostalCode, 20, false),
		checkText("safety_notes", "Safety notes", &w.SafetyNotes, 4000, false),
		checkTimezone("timezone", &w.Timezone),
	)
	switch {
	case err != nil:
		return err
	case !w.Remote && w.AddressLine1 == "":
		return fieldErr("address_line1", "give the street address, or mark the worksite remote")
	case !w.Remote && w.City == "":
		return fieldErr("city", "give the city, or mark the worksite remote")
	}
	return nil
}

// Normalize checks a supervisor: an email or a phone to reach them.
func (sv *Supervisor) Normalize() error {
	if sv.Language == "" {
		sv.Language = "en"
	}
	err := firstError(
		checkText("name", "The supervisor's name", &sv.Name, 200, true),
		checkEmail("email", &sv.Email),
		checkPhone("phone", &sv.Phone),
		checkTimezone("timezone", &sv.Timezone),
	)
	switch {
	case err != nil:
		return err
	case !slices.Contains(contact.Languages, sv.Language):
		return fieldErr("language", "choose English (en) or Spanish (es)")
	case sv.Email == "" && sv.Phone == "" && sv.StaffID == "":
		return fieldErr("email", "give an email or a phone number to reach the supervisor")
	}
	return nil
}

// Normalize checks a posting's own fields and fills defaults; what it
// refers to (worksite, supervisor, trainings, program) is checked when it
// is saved.
func (p *Posting) Normalize() error {
	p.PayType = orDefault(p.PayType, "hourly")
	p.FundingSource = orDefault(p.FundingSource, "employer_paid")
	p.SpotType = orDefault(p.SpotType, "competitive")
	if p.Spots == 0 {
		p.Spots = 1
	}
	if err := firstError(
		checkText("title", "The title", &p.Title, 200, true),
		checkText("description", "The description", &p.Description, 5000, true),
		checkText("pathway", "The pathway", &p.Pathway, 100, false),
		checkText("schedule", "The schedule", &p.Schedule, 500, false),
		checkText("deliverable", "The deliverable", &p.Deliverable, 2000, false),
		oneOf("pay_type", "the pay type", p.PayType, PayTypes),
		oneOf("funding_source", "the funding source", p.FundingSource, FundingSources),
		oneOf("spot_type", "the kind of spots", p.SpotType, SpotTypes),
	); err != nil {
		return err
	}
	if err := p.checkPathway(); err != nil {
		return err
	}
	if err := p.checkNumbers(); err != nil {
		return err
	}
	p.Requirements = dedupe(p.Requirements)
	for _, r := range p.Requirements {
		if !slices.Contains(PostingRequirements, r) {
			return fieldErr("requirements", "%q is not a requirement we know (use %s)", r, strings.Join(PostingRequirements, ", "))
		}
	}
	p.RequiredTrainings = dedupe(p.RequiredTrainings)
	return nil
}

// checkPathway keeps a posting's pathway to the one list students choose
// from in the survey (under its sector's name), so the two match.
func (p *Posting) checkPathway() error {
	if p.Pathway == "" {
		return nil
	}
	name := pathways.Canonical(p.Pathway)
	if name == "" || name == pathways.NotSure.Name {
		return fieldErr("pathway", "choose one of the pathways (California's 15 industry sectors), e.g. %s", pathways.Sectors[8].Name)
	}
	p.Pathway = name
	return nil
}

func (p *Posting) checkNumbers() error {
	p.HoursPerWeek = math.Round(p.HoursPerWeek*10) / 10
	switch {
	case p.HoursPerWeek < 0 || p.HoursPerWeek > 40:
		return fieldErr("hours_per_week", "hours per week must be more than 0 and at most 40")
	case p.Spots < 1 || p.Spots > 1000:
		return fieldErr("spots", "the number of spots goes from 1 to 1000")
	case p.PayCents < 0 || p.PayCents > 10_000_000:
		return fieldErr("pay_cents", "the pay must be between $0 and $100,000")
	case p.PayType == "unpaid" && p.PayCents != 0:
		return fieldErr("pay_cents", "an unpaid posting has no pay amount")
	case p.PayType != "unpaid" && p.PayCents == 0:
		return fieldErr("pay_cents", "give the %s amount in dollars", map[string]string{"hourly": "hourly pay", "stipend": "stipend"}[p.PayType])
	}
	return nil
}

func oneOf(field, label, v string, allowed []string) error {
	if !slices.Contains(allowed, v) {
		return fieldErr(field, "%s must be one of %s", label, strings.Join(allowed, ", "))
	}
	return nil
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	return v
}

// dedupe trims, drops empty values and repeats, keeping order.
func dedupe(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// constraintError turns a CHECK the schema enforced (the last line of
// defence behind Normalize) into a FieldError, so a form shows it instead
// of failing. Other errors pass through.
func constraintError(err error) error {
	var pg *pgconn.PgError
	if !errors.As(err, &pg) || !strings.HasPrefix(pg.Code, "23") {
		return err
	}
	switch pg.ConstraintName {
	case "postings_check":
		return &FieldError{Field: "worksite_id", Message: ErrNoWorksite.Error(), Err: ErrNoWorksite}
	case "worksites_check":
		return fieldErr("address_line1", "give the street address and city, or mark the worksite remote")
	case "supervisors_check":
		return fieldErr("email", "give an email or a phone number to reach the supervisor")
	}
	return fieldErr(pg.ColumnName, "this could not be saved: a value is not allowed (%s)", pg.ConstraintName)
}
