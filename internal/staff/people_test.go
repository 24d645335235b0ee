package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Only a district admin manages people, and only their district's: a
// coordinator gets 403; another district's admin cannot touch this
// district's staff or grant a role at its schools.
func TestPeople_OnlyTheDistrictsAdminsManageItsStaff(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	for _, path := range []string{"/staff/people", "/staff/schools"} {
		if r := coach.Get(path); r.Status != http.StatusForbidden {
			t.Fatalf("a coordinator opening %s: %d", path, r.Status)
		}
	}
	rivera := e.staffID(t, coachA)
	if r := coach.Action("/staff/people/"+rivera+"/grant", url.Values{"role": {"district_admin"}}); r.Status != http.StatusForbidden {
		t.Fatalf("a coordinator granting themselves admin: %d", r.Status)
	}

	other := e.signIn(t, otherOps)
	if r := other.Action("/staff/people/"+rivera+"/revoke", url.Values{"role": {"coordinator"}, "school_id": {e.f.School}}); r.Status != http.StatusNotFound {
		t.Fatalf("another district's admin revoking our coordinator: %d", r.Status)
	}
	if r := other.Get("/staff/people"); r.Status != 200 || strings.Contains(r.Body, coachA) {
		t.Fatalf("another district's staff page (%d) lists our coordinator", r.Status)
	}
	otherAdmin := e.staffID(t, otherOps)
	r := other.Action("/staff/people/"+otherAdmin+"/grant", url.Values{"role": {"coordinator"}, "school_id": {e.f.School}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose one of the district&#39;s schools.") {
		t.Fatalf("granting a role at another district's school: %d\n%s", r.Status, r.Body)
	}
	if n := e.count(t, `SELECT count(*) FROM staff_roles WHERE staff_id = $1 AND school_id = $2`, otherAdmin, e.f.School); n != 0 {
		t.Fatal("a role at another district's school was granted")
	}
	if n := e.count(t, `SELECT count(*) FROM staff_roles WHERE staff_id = $1 AND role = 'coordinator'`, rivera); n != 1 {
		t.Fatal("our coordinator lost the role")
	}
}

// Inviting someone who already signs in for another district is refused
// next to the email; a coordinator needs a school; an invitation of a
// roster teacher (already in the district) grants the role without a
// second staff row.
func TestPeople_InviteRefusesOtherDistrictsEmailAndGrantsARosterTeacher(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn(t, adminEmail)
	r := admin.Action("/staff/people/invite", url.Values{"email": {otherOps}, "role": {"district_ops"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "This email signs in for another district.") {
		t.Fatalf("inviting another district's staff: %d\n%s", r.Status, r.Body)
	}
	r = admin.Action("/staff/people/invite", url.Values{"email": {"new.coach@district.example.org"}, "name": {"New Coach"}, "role": {"coordinator"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Choose the school this coordinator serves.") ||
		e.count(t, `SELECT count(*) FROM staff WHERE email = 'new.coach@district.example.org'`) != 0 {
		t.Fatalf("a coordinator without a school: %d (or a row was written)\n%s", r.Status, r.Body)
	}
	e.exec(t, `INSERT INTO staff (district_id, name, email, source_id) VALUES ($1, 'Terry Teacher', 'terry@district.example.org', 'T-17')`, e.f.District)
	r = admin.Action("/staff/people/invite", url.Values{"email": {"Terry@District.example.org"}, "role": {"permit_issuer"}, "school_id": {e.schoolB}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("inviting a roster teacher: %d\n%s", r.Status, r.Body)
	}
	if n := e.count(t, `SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id WHERE s.email = 'terry@district.example.org'
		AND r.role = 'permit_issuer' AND r.school_id = $1`, e.schoolB); n != 1 {
		t.Fatalf("roster teacher's role rows: %d", n)
	}
	if mail := e.lastEmail(t, "terry@district.example.org"); !strings.Contains(mail, "Admin invited you to sign in to internflow, where Fixture USD runs") {
		t.Fatalf("the roster teacher's invitation:\n%s", mail)
	}
	if n := e.auditCount(t, adminEmail, "role_granted", "") + e.auditCount(t, adminEmail, "staff_invited", ""); n != 2 {
		t.Fatalf("%d audit rows for the invitation and its role, want 2", n)
	}
}

// A school with a mistyped time zone or a name the district has is
// refused next to the field, and nothing is added.
func TestSchools_BadInputIsRefusedNextToTheFieldAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn(t, adminEmail)
	before := e.count(t, `SELECT count(*) FROM schools`)
	cases := []struct {
		form url.Values
		want string
	}{
		{url.Values{"name": {"Harbor View High School"}, "timezone": {"Pacific/Nowhere"}},
			"Unknown time zone: use a name like America/Chicago, or leave it blank for the district&#39;s."},
		{url.Values{"name": {"second high"}}, "The district already has a school with this name."},
		{url.Values{"name": {"  "}}, "Give the school&#39;s name."},
	}
	for _, c := range cases {
		r := admin.Action("/staff/schools", c.form)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `<span class="field-error" role="alert">`+c.want+`</span>`) {
			t.Fatalf("%v: %d\n%s", c.form, r.Status, r.Body)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM schools`); n != before {
		t.Fatalf("%d schools after refused forms, want %d", n, before)
	}
}

// The district's state (whose hour rules for minors its programs follow)
// is set on the Schools page, as `internflow district state` does: a bad
// code is refused next to the field with nothing changed, a state without
// rules written says its programs follow the federal rules only, every
// change is audited, and only the district's admins may change it.
func TestSchools_DistrictState_SetFromThePageAudited(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn(t, adminEmail)
	state := func() string {
		var s string
		if err := e.Pool.QueryRow(context.Background(), `SELECT state FROM districts WHERE id = $1`, e.f.District).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if page := admin.Get("/staff/schools"); !strings.Contains(page.Body, "The district is in <strong>CA</strong>: its programs follow the federal rules and CA") {
		t.Fatalf("the Schools page does not say the district's state:\n%s", page.Body)
	}
	bad := admin.Action("/staff/schools/state", url.Values{"state": {"Cal"}})
	if bad.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(bad.Body, `<span class="field-error" role="alert">Give the two-letter code of a US state, like CA.</span>`) {
		t.Fatalf("a bad state: %d\n%s", bad.Status, bad.Body)
	}
	if s := state(); s != "CA" {
		t.Fatalf("after a refused state the district is in %s", s)
	}
	if r := admin.Action("/staff/schools/state", url.Values{"state": {" tx "}}); r.Status != http.StatusSeeOther {
		t.Fatalf("setting TX: %d\n%s", r.Status, r.Body)
	}
	done := admin.Get("/staff/schools")
	if !strings.Contains(done.Body, "No TX hour rules are written in internflow yet, so its programs follow the federal rules only.") {
		t.Fatalf("setting TX: %d\n%s", done.Status, done.Body)
	}
	if s := state(); s != "TX" {
		t.Fatalf("the district is in %s, want TX", s)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'district_state_set'`); n != 1 {
		t.Fatalf("%d audit entries for the state, want 1", n)
	}
	coordinator := e.signIn(t, coachA)
	if r := coordinator.Action("/staff/schools/state", url.Values{"state": {"NY"}}); r.Status != http.StatusForbidden || state() != "TX" {
		t.Fatalf("a coordinator setting the state: %d, district in %s", r.Status, state())
	}
}
