package found

import (
	"net/url"
	"testing"

	"github.com/internflow/internflow/internal/hours"
)

func TestSameEmployer_IgnoresCaseSuffixesAndPunctuation(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"Valley Clinic, Inc.", "valley clinic", true},
		{"The Sunrise Bakery LLC", "Sunrise Bakery", true},
		{"Smith & Sons Co.", "Smith and Sons", true},
		{"Valley Clinic", "Valley Dental", false},
		{"Inc.", "LLC", false}, // nothing left to compare
	} {
		if got := SameEmployer(c.a, c.b); got != c.same {
			t.Errorf("SameEmployer(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestFromForm_NormalisesContactsAndPay_KeepsEveryProblem(t *testing.T) {
	f := url.Values{"employer_name": {" Sunrise Bakery "}, "supervisor_name": {"Ana"}, "supervisor_phone": {"(510) 555-0101"},
		"supervisor_email": {"Ana@Bakery.example.org"}, "remote": {"yes"}, "title": {"Baker"},
		"duties": {"Bake bread and serve customers at the counter."}, "pay_type": {"stipend"}, "pay_rate": {"$1,200"},
		"hours_per_week": {"12,5"}, "start_date": {"2027-06-21"}, "end_date": {"2027-08-13"}, "schedule": {"Sat 8-2"}}
	d, read := FromForm(f)
	if len(read) != 0 || len(Check(d)) != 0 {
		t.Fatalf("a whole form: %v %v", read, Check(d))
	}
	if d.EmployerName != "Sunrise Bakery" || d.SupervisorPhone != "+15105550101" || d.SupervisorEmail != "ana@bakery.example.org" ||
		d.PayCents != 120000 || d.HoursPerWeek != 12.5 || !d.Remote {
		t.Fatalf("read as %+v", d)
	}
	if back := ToForm(d); back.Get("pay_rate") != "1200.00" || back.Get("supervisor_phone") == "" || back.Get("remote") != "yes" {
		t.Errorf("shown again as %v", back)
	}
	bad := url.Values{"supervisor_phone": {"call me"}, "pay_rate": {"lots"}, "hours_per_week": {"50"}, "start_date": {"2027-08-13"},
		"end_date": {"2027-06-21"}}
	d, read = FromForm(bad)
	got := map[string]string{}
	for _, p := range FormProblems(d, read) {
		got[p.Field] = p.Code
	}
	want := map[string]string{"employer_name": "required", "supervisor_name": "required", "supervisor_contact": "phone",
		"address": "address", "title": "required", "duties": "duties", "pay": "pay", "hours_per_week": "hours",
		"end_date": "end_before_start", "schedule": "required"}
	for field, code := range want {
		if got[field] != code {
			t.Errorf("%s: %q, want %q (all: %v)", field, got[field], code, got)
		}
	}
}

func TestVet_MinimumWageAndMinorsWeeklyLimit(t *testing.T) {
	d := Details{PayType: "hourly", PayCents: 1500, HoursPerWeek: 20}
	h := Vet(d, "CA", 15, hours.For("CA"), false)
	if !h.BelowMinimum || h.MinimumCents != 1650 || h.WeeklyLimit != 18 || !h.OverLimit {
		t.Fatalf("15-year-old, school weeks, CA: %+v", h)
	}
	if h := Vet(d, "TX", 16, hours.For("TX"), true); h.BelowMinimum || h.MinimumCents != 725 || h.WeeklyLimit != 0 || h.OverLimit {
		t.Fatalf("16-year-old in Texas in summer: %+v", h)
	}
	if h := Vet(Details{PayType: "stipend", PayCents: 50000, HoursPerWeek: 10}, "CA", 16, hours.For("CA"), true); h.BelowMinimum {
		t.Fatal("a stipend is never below the hourly minimum")
	}
}
