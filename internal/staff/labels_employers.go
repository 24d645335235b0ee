package staff

import (
	"fmt"
	"slices"
	"time"

	"github.com/internflow/internflow/internal/store"
)

// employerOptions are the choices of the employer pages, by field, with
// the words staff use.
var employerOptions = map[string][]option{
	"pay_type":       {{"hourly", "Hourly wage"}, {"stipend", "Stipend (one amount)"}, {"unpaid", "Unpaid"}},
	"funding_source": {{"employer_paid", "Employer-paid"}, {"district_cte", "District CTE-funded"}, {"city_program", "City program"}},
	"spot_type": {{"competitive", "Competitive: the employer chooses"},
		{"guaranteed", "Guaranteed: every student who applies gets an offer"}},
	"requirements":   {{"tb_test", "TB test"}, {"background_check", "Background check"}},
	"posting_status": {{"draft", "Draft"}, {"published", "Published"}, {"closed", "Closed"}},
	"mou_status": {{"drafted", "Drafted: waiting for the employer's signature"},
		{"employer_signed", "Signed by the employer: waiting for district approval"},
		{"approved", "Approved"}, {"active", "Active"}, {"expired", "Expired"}, {"", "Not drafted"}},
	"language": {{"en", "English"}, {"es", "Spanish"}},
	"mou_term": {{"interns", "interns planned"}, {"worksites", "worksites"}, {"signer_name", "signer's name"},
		{"signer_title", "signer's title"}},
}

// employerFuncs are the employer pages' template helpers.
var employerFuncs = map[string]any{
	// choices lists a field's options; choice names one value.
	"choices": func(field string) []option { return employerOptions[field] },
	"choice":  func(field, v string) string { return label(employerOptions[field], v) },
	"dollars": func(cents int) string { return fmt.Sprintf("$%d.%02d", cents/100, cents%100) },
	"date":    func(t *time.Time) string { return t.Format("Jan 2, 2006") },
	"in":      func(xs []string, x string) bool { return slices.Contains(xs, x) },
	// recommend says the students' recommendation score ("" when none).
	"recommend": func(avg float64, n int) string { return recommendWords(store.RecommendScore{Average: avg, Count: n}) },
}
