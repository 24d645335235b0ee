package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func fieldOf(err error) string {
	var fe *store.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return fmt.Sprintf("(not a field error: %v)", err)
}

// Input is checked field by field before it reaches the database, with
// the field to fix named.
func TestNormalize_NamesTheFieldToFix(t *testing.T) {
	cases := []struct {
		name  string
		check func() error
		field string
	}{
		{"employer without a name", func() error { e := store.Employer{Name: "  "}; return e.Normalize() }, "name"},
		{"employer email with a display name", func() error {
			e := store.Employer{Name: "X", ContactEmail: "Ana <ana@x.org>"}
			return e.Normalize()
		}, "contact_email"},
		{"employer phone with letters", func() error { e := store.Employer{Name: "X", ContactPhone: "555-CALL-NOW"}; return e.Normalize() }, "contact_phone"},
		{"employer in no time zone", func() error { e := store.Employer{Name: "X", Timezone: "Mars/Olympus"}; return e.Normalize() }, "timezone"},
		{"worksite neither remote nor addressed", func() error { w := store.Worksite{Name: "Site", City: "Fresno"}; return w.Normalize() }, "address_line1"},
		{"worksite without a city", func() error { w := store.Worksite{Name: "Site", AddressLine1: "1 Main"}; return w.Normalize() }, "city"},
		{"supervisor nobody can reach", func() error { s := store.Supervisor{Name: "Kim"}; return s.Normalize() }, "email"},
		{"supervisor in French", func() error {
			s := store.Supervisor{Name: "Kim", Email: "k@x.org", Language: "fr"}
			return s.Normalize()
		}, "language"},
		{"posting without a description", func() error { p := posting(); p.Description = ""; return p.Normalize() }, "description"},
		{"hourly posting without pay", func() error { p := posting(); p.PayCents = 0; return p.Normalize() }, "pay_cents"},
		{"unpaid posting with pay", func() error { p := posting(); p.PayType = "unpaid"; return p.Normalize() }, "pay_cents"},
		{"weekly pay", func() error { p := posting(); p.PayType = "weekly"; return p.Normalize() }, "pay_type"},
		{"41 hours a week", func() error { p := posting(); p.HoursPerWeek = 41; return p.Normalize() }, "hours_per_week"},
		{"a driving test", func() error {
			p := posting()
			p.Requirements = []string{"tb_test", "driving_test"}
			return p.Normalize()
		}, "requirements"},
		{"city funding misspelt", func() error { p := posting(); p.FundingSource = "city"; return p.Normalize() }, "funding_source"},
	}
	for _, c := range cases {
		if got := fieldOf(c.check()); got != c.field {
			t.Errorf("%s: field %s, want %s", c.name, got, c.field)
		}
	}
}

func posting() store.Posting {
	return store.Posting{Title: "Helper", Description: "Help out", PayType: "hourly", PayCents: 1800}
}

func TestNormalize_PutsContactsInCanonicalForm(t *testing.T) {
	e := store.Employer{Name: " Harbor Library ", ContactEmail: " Jobs@Harbor.Example.ORG ", ContactPhone: "(559) 555-0199"}
	if err := e.Normalize(); err != nil {
		t.Fatal(err)
	}
	if e.Name != "Harbor Library" || e.ContactEmail != "jobs@harbor.example.org" || e.ContactPhone != "+15595550199" {
		t.Fatalf("normalised: %+v", e)
	}
	p := posting()
	p.Requirements = []string{"tb_test", " tb_test", ""}
	if err := p.Normalize(); err != nil || len(p.Requirements) != 1 || p.SpotType != "competitive" || p.Spots != 1 {
		t.Fatalf("posting: %v %+v", err, p)
	}
}

// The schema refuses a published posting without a worksite even when a
// save slips past the checks above (here: removing the worksite of a
// published posting); the store reports it as the form error it is, and
// the posting keeps its worksite.
func TestSavePosting_SchemaCheck_IsAFieldErrorNotAFailure(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	d, err := st.CreateDistrict(ctx, store.District{Name: "D"})
	must(t, err)
	by := store.Editor{DistrictID: d, StaffID: "ops"}
	e, err := st.SaveEmployer(ctx, by, store.Employer{Name: "Harbor Library", ContactEmail: "jobs@harbor.example.org"})
	must(t, err)
	w, err := st.SaveWorksite(ctx, by, store.Worksite{EmployerID: e.ID, Name: "Branch", Remote: true})
	must(t, err)
	p := posting()
	p.EmployerID, p.WorksiteID = e.ID, w.ID
	p, err = st.SavePosting(ctx, by, p)
	must(t, err)
	_, err = st.SetPostingStatus(ctx, by, p.ID, "published")
	must(t, err)

	p.WorksiteID = ""
	_, err = st.SavePosting(ctx, by, p)
	if fieldOf(err) != "worksite_id" || !errors.Is(err, store.ErrNoWorksite) {
		t.Fatalf("removing a published posting's worksite: %v", err)
	}
	got, err := st.DistrictPosting(ctx, d, p.ID)
	if err != nil || got.WorksiteID != w.ID || got.Status != "published" {
		t.Fatalf("posting after the refused save: %+v %v", got, err)
	}
	var n int
	must(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE entity_id = $1 AND action = 'posting_updated'`, p.ID).Scan(&n))
	if n != 0 {
		t.Fatalf("a refused save was audited %d times", n)
	}

	other, err := st.CreateDistrict(ctx, store.District{Name: "Other"})
	must(t, err)
	if _, err := st.SetPostingStatus(ctx, store.Editor{DistrictID: other}, p.ID, "closed"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another district closing the posting: %v", err)
	}
}
