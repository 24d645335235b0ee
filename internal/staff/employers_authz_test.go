package staff_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/staff/stafftest"
)

// employerRoutes are the employer pages; {E} is an employer, {P} a
// posting, {W} a worksite, {S} a supervisor.
var employerRoutes = []struct {
	method, path string
	form         url.Values
}{
	{"GET", "/staff/employers/{E}", nil},
	{"GET", "/staff/employers/{E}/edit", nil},
	{"POST", "/staff/employers/{E}", url.Values{"name": {"Renamed"}}},
	{"GET", "/staff/employers/{E}/worksites/{W}", nil},
	{"POST", "/staff/employers/{E}/worksites/{W}", url.Values{"name": {"Site"}, "remote": {"yes"}}},
	{"POST", "/staff/employers/{E}/worksites/new", url.Values{"name": {"Site"}, "remote": {"yes"}}},
	{"GET", "/staff/employers/{E}/supervisors/{S}", nil},
	{"POST", "/staff/employers/{E}/supervisors/new", url.Values{"name": {"Lee"}, "email": {"lee@example.org"}}},
	{"GET", "/staff/employers/{E}/postings/new", nil},
	{"POST", "/staff/employers/{E}/postings", postingForm()},
	{"POST", "/staff/employers/{E}/mou", url.Values{"year": {"2030"}}},
	{"POST", "/staff/employers/{E}/applicants-link", nil},
	{"GET", "/staff/postings/{P}", nil},
	{"POST", "/staff/postings/{P}", postingForm()},
	{"POST", "/staff/postings/{P}/publish", nil},
	{"POST", "/staff/postings/{P}/close", nil},
}

func (e *env) employerPath(p string) string {
	return strings.NewReplacer("{E}", e.f.Employer, "{P}", e.f.Posting, "{W}", e.f.Worksite, "{S}", e.f.Supervisor).Replace(p)
}

// Ops of another district cannot learn this district's employers exist:
// every page and form about one is "not found", and nothing changes.
func TestEmployerPages_OtherDistrict_NotFound(t *testing.T) {
	e := newEnv(t)
	ops := e.signIn(t, otherOps)
	for _, rt := range employerRoutes {
		var r = ops.Get(e.employerPath(rt.path))
		if rt.method == "POST" {
			r = ops.Action(e.employerPath(rt.path), rt.form)
		}
		if r.Status != http.StatusNotFound || strings.Contains(r.Body, "Valley Clinic") {
			t.Errorf("%s %s from another district: %d", rt.method, rt.path, r.Status)
		}
	}
	if r := ops.Get("/staff/employers"); r.Status != 200 || strings.Contains(r.Body, "Valley Clinic") {
		t.Errorf("another district's list shows this district's employer (%d)", r.Status)
	}
	if e.postingStatus(t, e.f.Posting) != "published" || e.count(t, `SELECT count(*) FROM employers WHERE name = 'Renamed'`) != 0 {
		t.Error("another district changed this district's employer")
	}
	if n := e.count(t, `SELECT count(*) FROM action_links WHERE action = 'employer_applicants'`); n != 0 {
		t.Errorf("another district sent the applicants link (%d)", n)
	}
}

// Coordinators read employers and postings (to advise students) but do
// not change them; roles without employers in their work get 403.
func TestEmployerPages_CoordinatorReadsOnly(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	if r := coach.Get("/staff/employers"); r.Status != 200 || !strings.Contains(r.Body, "Valley Clinic") || strings.Contains(r.Body, "New employer") {
		t.Fatalf("coordinator's employer list: %d", r.Status)
	}
	page := coach.Get("/staff/employers/" + e.f.Employer)
	has(t, page, "Valley Clinic", "Clinic assistant", "Main clinic", "Dr. Kim")
	for _, button := range []string{"Draft MOU", "Email the applicants link", "New posting", "Add worksite"} {
		if strings.Contains(page.Body, button) {
			t.Errorf("the coordinator is offered %q", button)
		}
	}
	if r := coach.Get("/staff/postings/" + e.f.Posting); r.Status != 200 || !strings.Contains(r.Body, "<fieldset disabled") ||
		strings.Contains(r.Body, `id="publish"`) || strings.Contains(r.Body, `id="close"`) {
		t.Errorf("coordinator's posting page: %d", r.Status)
	}
	for _, rt := range employerRoutes {
		if rt.method != "POST" && !strings.HasSuffix(rt.path, "/edit") && !strings.HasSuffix(rt.path, "/new") &&
			!strings.Contains(rt.path, "/worksites/") && !strings.Contains(rt.path, "/supervisors/") {
			continue
		}
		r := coach.Get(e.employerPath(rt.path))
		if rt.method == "POST" {
			r = coach.Action(e.employerPath(rt.path), rt.form)
		}
		if r.Status != http.StatusForbidden {
			t.Errorf("coordinator %s %s: %d, want 403", rt.method, rt.path, r.Status)
		}
	}
	if r := coach.Action("/staff/employers", url.Values{"name": {"New Co"}}); r.Status != http.StatusForbidden {
		t.Errorf("coordinator creating an employer: %d", r.Status)
	}
	if e.postingStatus(t, e.f.Posting) != "published" {
		t.Error("a coordinator closed the posting")
	}
	issuer := e.signIn(t, issuerA)
	for _, path := range []string{"/staff/employers", "/staff/employers/" + e.f.Employer, "/staff/postings/" + e.f.Posting} {
		if r := issuer.Get(path); r.Status != http.StatusForbidden {
			t.Errorf("permit issuer GET %s: %d, want 403", path, r.Status)
		}
	}
	if strings.Contains(issuer.Get("/staff").Body, `href="/staff/employers"`) {
		t.Error("the permit issuer's nav offers Employers")
	}
}

// Without a session every employer page sends to sign-in and the API
// answers 401, before anything about the employer is looked up.
func TestEmployerRoutes_WithoutASession(t *testing.T) {
	e := newEnv(t)
	anon := stafftest.Anonymous(t, e.Stack)
	for _, rt := range append(employerRoutes, struct {
		method, path string
		form         url.Values
	}{"GET", "/staff/employers", nil}) {
		r := anon.Get(e.employerPath(rt.path))
		if rt.method == "POST" {
			r = anon.PostForm(e.employerPath(rt.path), rt.form)
		}
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login?next=") {
			t.Errorf("%s %s without a session: %d to %q", rt.method, rt.path, r.Status, r.Header.Get("Location"))
		}
	}
	for _, path := range []string{"/api/employers", "/api/employers/" + e.f.Employer, "/api/postings/" + e.f.Posting} {
		if r := anon.Get(path); r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, `"error"`) {
			t.Errorf("GET %s without a session: %d", path, r.Status)
		}
	}
}
