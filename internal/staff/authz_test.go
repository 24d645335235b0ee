package staff_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/staff/stafftest"
)

// route is one staff route; {J} is a journey id, {DOC} a document of it,
// {MOU} an MOU, {STUDENT} a student.
type route struct {
	method, path string
	form         url.Values
	api          bool
}

func (e *env) routes() []route {
	post := func(path string, kv ...string) route {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return route{method: "POST", path: path, form: v}
	}
	return []route{
		{method: "GET", path: "/staff"},
		{method: "GET", path: "/staff/export/students.csv"},
		{method: "GET", path: "/staff/export/funnel.csv"},
		{method: "GET", path: "/staff/students/{J}"},
		{method: "GET", path: "/staff/students/{J}/documents/{DOC}"},
		post("/staff/students/{J}/nudge"),
		post("/staff/students/{J}/resend", "party", "student"),
		post("/staff/students/{J}/revoke_links", "party", "student", "confirm", "yes"),
		post("/staff/students/{J}/badge", "decision", "approve"),
		post("/staff/students/{J}/waive", "step", "survey", "reason", "test"),
		post("/staff/students/{J}/withdraw", "reason", "test"),
		post("/staff/students/{J}/retry"),
		post("/staff/students/{J}/permit", "decision", "approve"),
		{method: "GET", path: "/staff/ops"},
		post("/staff/ops/nudge", "journey", "{J}"),
		{method: "GET", path: "/staff/mous"},
		{method: "GET", path: "/staff/mous/{MOU}/document"},
		post("/staff/mous/{MOU}/decide", "decision", "approve"),
		{method: "GET", path: "/staff/certificates?code=2345-6789-ABCD"},
		post("/staff/certificates/revoke", "code", "2345-6789-ABCD", "reason", "test"),
		post("/staff/logout"),
		{method: "GET", path: "/reports"},
		{method: "GET", path: "/reports/funnel-by-school.csv"},
		{method: "GET", path: "/admin/import"},
		{method: "GET", path: "/api/me", api: true},
		{method: "POST", path: "/api/journeys", api: true},
		{method: "GET", path: "/api/journeys/{J}", api: true},
	}
}

// fill puts the ids of school B's journey (and its document) in a route.
func (e *env) fill(s string, journey, doc string) string {
	return strings.NewReplacer("{J}", journey, "{DOC}", doc, "{MOU}", e.mou, "{STUDENT}", e.studentB).Replace(s)
}

func (e *env) send(c *stafftest.Client, rt route, journey, doc string) stafftest.Response {
	path := e.fill(rt.path, journey, doc)
	switch {
	case rt.api && rt.method == "POST":
		body, _ := json.Marshal(map[string]string{"student_id": e.studentB, "program_id": e.f.Program})
		return c.JSON("POST", path, string(body))
	case rt.api:
		return c.Get(path)
	case rt.method == "POST":
		v := url.Values{}
		for k, vs := range rt.form {
			v[k] = []string{e.fill(vs[0], journey, doc)}
		}
		return c.Action(path, v)
	}
	return c.Get(path)
}

func TestEveryRoute_WithoutASession_SendsToSignIn(t *testing.T) {
	e := newEnv(t)
	anon := stafftest.Anonymous(t, e.Stack)
	for _, rt := range e.routes() {
		r := e.send(anon, rt, e.journeyB, e.docB)
		switch {
		case rt.api:
			if r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, `"error"`) {
				t.Errorf("%s %s without a session: %d %s, want 401 JSON", rt.method, rt.path, r.Status, r.Body)
			}
		case r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/staff/login?next="):
			t.Errorf("%s %s without a session: %d to %q, want the sign-in page", rt.method, rt.path, r.Status, r.Header.Get("Location"))
		}
	}
}

// The top API risk: a coordinator of school A must not learn that school
// B's students exist, by any route that takes an id.
func TestEveryRoute_CoordinatorOfSchoolA_GetsNotFoundForSchoolB(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	for _, rt := range e.routes() {
		if !strings.Contains(rt.path, "{J}") && !(rt.api && rt.method == "POST") && !strings.Contains(rt.form.Get("journey"), "{J}") {
			continue
		}
		r := e.send(coach, rt, e.journeyB, e.docB)
		want := http.StatusNotFound
		if rt.path == "/staff/ops/nudge" {
			want = http.StatusForbidden // not an ops role at all
		}
		if r.Status != want {
			t.Errorf("%s %s for school B: %d, want %d\n%s", rt.method, rt.path, r.Status, want, r.Body)
		}
		if strings.Contains(r.Body, "Bruno") || strings.Contains(r.Body, e.journeyB) {
			t.Errorf("%s %s leaked school B's student", rt.method, rt.path)
		}
	}
	// The same routes answer for school A's own student, so the 404s above
	// are about scope, not broken routes.
	for _, path := range []string{"/staff/students/" + e.journeyA, "/api/journeys/" + e.journeyA} {
		if r := coach.Get(path); r.Status != http.StatusOK {
			t.Errorf("own student %s: %d", path, r.Status)
		}
	}
	// Nothing of school B shows in the list, the search, or the exports.
	for _, path := range []string{"/staff?stage=all", "/staff?stage=all&q=bruno", "/staff/export/students.csv?stage=all",
		"/staff/export/funnel.csv", "/staff?school=" + e.schoolB} {
		if r := coach.Get(path); r.Status != 200 || strings.Contains(r.Body, "Bruno") || strings.Contains(r.Body, "Second High") {
			t.Errorf("%s shows school B (%d)", path, r.Status)
		}
	}
	if r := coach.Get("/staff?stage=all"); !strings.Contains(r.Body, "Maya") {
		t.Error("the coordinator's own student is missing from the list")
	}
}

// Ops of another district: every id of this district is not found.
func TestEveryRoute_OtherDistrict_GetsNotFound(t *testing.T) {
	e := newEnv(t)
	ops := e.signIn(t, otherOps)
	for _, rt := range e.routes() {
		if !strings.Contains(rt.path, "{J}") && !strings.Contains(rt.path, "{MOU}") && !(rt.api && rt.method == "POST") {
			continue
		}
		if r := e.send(ops, rt, e.journeyB, e.docB); r.Status != http.StatusNotFound {
			t.Errorf("%s %s from another district: %d, want 404", rt.method, rt.path, r.Status)
		}
	}
	r := e.send(ops, route{method: "POST", path: "/staff/ops/nudge", form: url.Values{"journey": {"{J}"}}}, e.journeyB, "")
	if r.Status != http.StatusSeeOther || e.auditCount(t, otherOps, "nudge_requested", e.journeyB) != 0 {
		t.Errorf("bulk nudge of another district's journey: %d, audited %d", r.Status, e.auditCount(t, otherOps, "nudge_requested", e.journeyB))
	}
	for _, path := range []string{"/staff/ops", "/staff/mous", "/staff?stage=all", "/reports"} {
		if r := ops.Get(path); r.Status != 200 || strings.Contains(r.Body, "Maya") || strings.Contains(r.Body, "Valley Clinic") {
			t.Errorf("%s from another district shows this district (%d)", path, r.Status)
		}
	}
}

// Roles: reading a journey is not acting on it, and district pages need
// district roles.
func TestRoutes_WrongRole_IsRefused(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		who, method, path string
		form              url.Values
		want              int
	}{
		{coachA, "GET", "/staff/ops", nil, 403},
		{coachA, "POST", "/staff/ops/nudge", url.Values{"journey": {"{A}"}}, 403},
		{coachA, "GET", "/staff/mous", nil, 403},
		{coachA, "GET", "/staff/mous/{MOU}/document", nil, 403},
		{coachA, "POST", "/staff/mous/{MOU}/decide", url.Values{"decision": {"approve"}}, 403},
		{coachA, "POST", "/staff/students/{A}/retry", nil, 403},
		{coachA, "POST", "/staff/students/{A}/permit", url.Values{"decision": {"approve"}}, 403},
		{coachA, "GET", "/admin/import", nil, 403},
		{coachA, "POST", "/staff/certificates/revoke", url.Values{"code": {"2345-6789-ABCD"}, "reason": {"x"}}, 403},
		{issuerA, "GET", "/staff/students/{A}", nil, 200},
		{issuerA, "POST", "/staff/students/{A}/nudge", nil, 403},
		{issuerA, "POST", "/staff/students/{A}/withdraw", url.Values{"reason": {"x"}}, 403},
		{issuerA, "GET", "/staff/students/{B}", nil, 404},
		{issuerA, "GET", "/reports", nil, 403},
		{issuerA, "GET", "/staff/export/students.csv", nil, 403},
		{issuerA, "GET", "/staff/ops", nil, 403},
		{approverOps, "GET", "/admin/import", nil, 403},
		{adminEmail, "GET", "/admin/import", nil, 200},
		{adminEmail, "GET", "/staff/ops", nil, 200},
		{adminEmail, "GET", "/staff/mous", nil, 200}, // was "Not allowed" for the district admin
		{approverOps, "GET", "/staff/mous", nil, 200},
	}
	clients := map[string]*stafftest.Client{}
	ids := strings.NewReplacer("{A}", e.journeyA, "{B}", e.journeyB, "{MOU}", e.mou)
	for _, c := range cases {
		cl := clients[c.who]
		if cl == nil {
			cl = e.signIn(t, c.who)
			clients[c.who] = cl
		}
		var r stafftest.Response
		path := ids.Replace(c.path)
		if c.method == "POST" {
			v := url.Values{}
			for k, vs := range c.form {
				v.Set(k, ids.Replace(vs[0]))
			}
			r = cl.Action(path, v)
		} else {
			r = cl.Get(path)
		}
		if r.Status != c.want {
			t.Errorf("%s %s %s: %d, want %d", c.who, c.method, path, r.Status, c.want)
		}
	}
}

func TestWrites_WithoutTheCSRFToken_AreForbidden(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	for _, token := range []string{"", "not-the-token", coachBToken(t, e)} {
		v := url.Values{}
		if token != "" {
			v.Set("csrf_token", token)
		}
		for _, path := range []string{"/staff/students/" + e.journeyA + "/nudge", "/staff/logout", "/staff/ops/nudge"} {
			if r := coach.PostForm(path, v); r.Status != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", path, token, r.Status)
			}
		}
		body := `{"student_id":"` + e.f.Student + `","program_id":"` + e.f.Program + `"}`
		r := coach.Do("POST", "/api/journeys", "application/json", strings.NewReader(body), http.Header{"X-CSRF-Token": {token}})
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, `"error"`) {
			t.Errorf("API POST with token %q: %d %s, want 403 JSON", token, r.Status, r.Body)
		}
	}
	// Even with the right token, a browser's cross-site write is refused.
	form := url.Values{"csrf_token": {coach.CSRF}}.Encode()
	r := coach.Do("POST", "/staff/students/"+e.journeyA+"/nudge", "application/x-www-form-urlencoded", strings.NewReader(form),
		http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example.com"}})
	if r.Status != http.StatusForbidden {
		t.Errorf("cross-site POST with the token: %d, want 403", r.Status)
	}
	if n := e.auditCount(t, coachA, "nudge_requested", ""); n != 0 {
		t.Fatalf("%d nudges went through without a token", n)
	}
	// The sign-in form has its own token (there is no session yet).
	anon := stafftest.Anonymous(t, e.Stack)
	if r := anon.PostForm("/staff/login", url.Values{"email": {coachA}}); r.Status != http.StatusForbidden {
		t.Fatalf("sign-in request without the form's token: %d", r.Status)
	}
}

// coachBToken is another session's valid token: it must not work here.
func coachBToken(t *testing.T, e *env) string {
	return e.signIn(t, coachB).CSRF
}
