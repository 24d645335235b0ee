package api_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

const (
	opsEmail   = "osei@district.example.org"   // the fixture's MOU approver and district ops
	coachEmail = "rivera@district.example.org" // the fixture's coordinator
	otherEmail = "ops@elsewhere.example.org"
)

type apiEnv struct {
	*apptest.Stack
	f apptest.Fixture
}

func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	s := apptest.New(t, apptest.Options{})
	e := &apiEnv{Stack: s, f: apptest.NewFixture(t, s.Store, `{}`)}
	ctx := context.Background()
	other, err := s.Store.CreateDistrict(ctx, store.District{Name: "Elsewhere USD"})
	if err == nil {
		_, err = s.Store.CreateStaff(ctx, store.Staff{DistrictID: other, Name: "Other Ops", Email: otherEmail,
			Roles: []store.StaffRole{{Role: "district_ops"}, {Role: "district_admin"}}})
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// call sends a JSON request and decodes the answer into a map.
func call(t *testing.T, c *stafftest.Client, method, path, body string) (int, map[string]any) {
	t.Helper()
	r := c.JSON(method, path, body)
	var out map[string]any
	if strings.HasPrefix(strings.TrimSpace(r.Body), "{") {
		if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %s", method, path, r.Status, r.Body)
		}
	}
	return r.Status, out
}

// wantError checks a 4xx answer names the field to fix.
func wantError(t *testing.T, what string, status int, body map[string]any, wantStatus int, field string) {
	t.Helper()
	if status != wantStatus || body["field"] != field || body["error"] == "" || body["error"] == nil {
		t.Errorf("%s: %d %v, want %d on %q", what, status, body, wantStatus, field)
	}
}

// A district tool builds an employer through the API: bad input is a 4xx
// naming the field; a posting is refused publication until its worksite
// exists; the employer list shows it open.
func TestEmployerAPI_EmployerToPublishedPosting(t *testing.T) {
	e := newAPIEnv(t)
	ops := stafftest.SignIn(t, e.Stack, opsEmail)

	st, body := call(t, ops, "POST", "/api/employers", `{"name":"Harbor Library","contact_email":"jobs@harbor","colour":"blue"}`)
	wantError(t, "unknown field", st, body, 400, "colour")
	st, body = call(t, ops, "POST", "/api/employers", `{"name":"Harbor Library","contact_email":"jobs at harbor"}`)
	wantError(t, "bad email", st, body, 422, "contact_email")
	st, body = call(t, ops, "POST", "/api/employers", `{"name":"Harbor Library","contact_email":" Jobs@Harbor.example.org ","contact_phone":"559.555.0199"}`)
	if st != 201 || body["contact_email"] != "jobs@harbor.example.org" || body["contact_phone"] != "+15595550199" {
		t.Fatalf("create employer: %d %v", st, body)
	}
	employer := body["id"].(string)

	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/supervisors", `{"name":"Sam Ortiz"}`)
	wantError(t, "supervisor nobody can reach", st, body, 422, "email")
	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/postings", `{"title":"Library tech helper","description":"Help people with computers.","pay_type":"weekly","pay_cents":1850}`)
	wantError(t, "weekly pay", st, body, 422, "pay_type")
	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/postings", `{"title":"Library tech helper","description":"Help people with computers.","pay_type":"hourly","pay_cents":1850,"required_trainings":["forklift"]}`)
	wantError(t, "unknown training", st, body, 422, "required_trainings")
	posting := `{"title":"Library tech helper","description":"Help people with computers.","pay_type":"hourly","pay_cents":1850,
		"funding_source":"district_cte","spot_type":"guaranteed","spots":3,"requirements":["tb_test"],"required_trainings":["hipaa"],
		"deadline":"` + time.Now().AddDate(0, 1, 0).Format(time.DateOnly) + `"%s}`
	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/postings", strings.Replace(posting, "%s", "", 1))
	if st != 201 || body["status"] != "draft" || body["spot_type"] != "guaranteed" {
		t.Fatalf("create posting: %d %v", st, body)
	}
	id := body["id"].(string)

	st, body = call(t, ops, "POST", "/api/postings/"+id+"/publish", ``)
	wantError(t, "publish without a worksite", st, body, 422, "worksite_id")
	if !strings.Contains(body["error"].(string), "worksite address or the remote flag") {
		t.Errorf("publish refusal says %q", body["error"])
	}
	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/worksites", `{"name":"Central branch","city":"Fresno"}`)
	wantError(t, "worksite without an address", st, body, 422, "address_line1")
	st, body = call(t, ops, "POST", "/api/employers/"+employer+"/worksites", `{"name":"Central branch","address_line1":"2420 Mariposa St","city":"Fresno","safety_notes":"Closed-toe shoes."}`)
	if st != 201 {
		t.Fatalf("create worksite: %d %v", st, body)
	}
	worksite := body["id"].(string)
	st, body = call(t, ops, "PUT", "/api/postings/"+id, strings.Replace(posting, "%s", `,"worksite_id":"`+worksite+`"`, 1))
	if st != 200 || body["worksite_id"] != worksite {
		t.Fatalf("choose the worksite: %d %v", st, body)
	}
	st, body = call(t, ops, "POST", "/api/postings/"+id+"/publish", ``)
	if st != 200 || body["status"] != "published" {
		t.Fatalf("publish with a worksite: %d %v", st, body)
	}
	st, body = call(t, ops, "GET", "/api/employers", ``)
	var list []store.EmployerSummary
	_ = json.Unmarshal([]byte(mustJSON(body["employers"])), &list)
	want := store.EmployerSummary{ID: employer, Name: "Harbor Library", OpenPostings: 1}
	if st != 200 || len(list) != 2 || list[0] != want {
		t.Fatalf("employer list: %d %s", st, mustJSON(body))
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Drafting the MOU starts the employer's MOU workflow once, however often
// it is asked: one MOU row and one email asking the employer to sign.
func TestEmployerAPI_DraftMOU_OnceForTheYear(t *testing.T) {
	e := newAPIEnv(t)
	ops := stafftest.SignIn(t, e.Stack, opsEmail)
	year := time.Now().Year() + 1
	path := "/api/employers/" + e.f.Employer + "/mou"
	st, body := call(t, ops, "POST", path, `{"program_year":1999}`)
	wantError(t, "year out of range", st, body, 400, "program_year")
	for range 2 {
		if st, body = call(t, ops, "POST", path, `{"program_year":`+strconv.Itoa(year)+`}`); st != 202 {
			t.Fatalf("draft MOU: %d %v", st, body)
		}
	}
	deadline := time.Now().Add(15 * time.Second)
	for e.emails("hr@clinic.example.org", "Sign the "+strconv.Itoa(year)+" internship agreement") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no MOU sign request reached the employer")
		}
		e.Drain()
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	e.Drain()
	var rows int
	if err := e.Pool.QueryRow(context.Background(), `SELECT count(*) FROM mous WHERE employer_id = $1 AND program_year = $2 AND status = 'drafted'`,
		e.f.Employer, year).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("mou rows: %d %v", rows, err)
	}
	if n := e.emails("hr@clinic.example.org", "Sign the "+strconv.Itoa(year)+" internship agreement"); n != 1 {
		t.Fatalf("%d sign requests, want 1", n)
	}
}

// emails counts the emails to an address whose subject has a phrase.
func (e *apiEnv) emails(to, subject string) int {
	n := 0
	for _, m := range e.SendGrid.Messages() {
		if m.To == to && strings.Contains(m.Subject, subject) {
			n++
		}
	}
	return n
}

// Coordinators read employers but cannot change them; staff of another
// district get 404 for every id of this one; writes need the CSRF header.
func TestEmployerAPI_RolesScopeAndCSRF(t *testing.T) {
	e := newAPIEnv(t)
	coach := stafftest.SignIn(t, e.Stack, coachEmail)
	if st, body := call(t, coach, "GET", "/api/employers/"+e.f.Employer, ``); st != 200 || body["name"] != "Valley Clinic" {
		t.Fatalf("coordinator reads the employer: %d %v", st, body)
	}
	if st, _ := call(t, coach, "GET", "/api/postings/"+e.f.Posting, ``); st != 200 {
		t.Fatalf("coordinator reads the posting: %d", st)
	}
	writes := []struct{ method, path, body string }{
		{"POST", "/api/employers", `{"name":"New Co"}`},
		{"PUT", "/api/employers/{E}", `{"name":"Renamed"}`},
		{"POST", "/api/employers/{E}/worksites", `{"name":"Site","remote":true}`},
		{"PUT", "/api/employers/{E}/worksites/{W}", `{"name":"Site","remote":true}`},
		{"POST", "/api/employers/{E}/supervisors", `{"name":"Lee","email":"lee@example.org"}`},
		{"PUT", "/api/employers/{E}/supervisors/{S}", `{"name":"Lee","email":"lee@example.org"}`},
		{"POST", "/api/employers/{E}/postings", `{"title":"T","description":"D","pay_type":"unpaid"}`},
		{"PUT", "/api/postings/{P}", `{"title":"T","description":"D","pay_type":"unpaid"}`},
		{"POST", "/api/postings/{P}/close", ``},
		{"POST", "/api/employers/{E}/mou", `{"program_year":2030}`},
	}
	ids := strings.NewReplacer("{E}", e.f.Employer, "{W}", e.f.Worksite, "{S}", e.f.Supervisor, "{P}", e.f.Posting)
	for _, w := range writes {
		st, body := call(t, coach, w.method, ids.Replace(w.path), w.body)
		if st != 403 || body["error"] == nil {
			t.Errorf("coordinator %s %s: %d %v, want 403", w.method, w.path, st, body)
		}
	}
	other := stafftest.SignIn(t, e.Stack, otherEmail)
	reads := []string{"/api/employers/{E}", "/api/employers/{E}/worksites", "/api/employers/{E}/supervisors",
		"/api/employers/{E}/postings", "/api/postings/{P}"}
	for _, path := range reads {
		if st, _ := call(t, other, "GET", ids.Replace(path), ``); st != 404 {
			t.Errorf("other district GET %s: %d, want 404", path, st)
		}
	}
	for _, w := range writes[1:] {
		if st, body := call(t, other, w.method, ids.Replace(w.path), w.body); st != 404 {
			t.Errorf("other district %s %s: %d %v, want 404", w.method, w.path, st, body)
		}
	}
	if st, body := call(t, other, "GET", "/api/employers", ``); st != 200 || strings.Contains(mustJSON(body), "Valley Clinic") {
		t.Errorf("other district's list: %d %v", st, body)
	}
	ops := stafftest.SignIn(t, e.Stack, opsEmail)
	r := ops.Do("POST", "/api/postings/"+e.f.Posting+"/close", "application/json", nil, nil)
	if r.Status != 403 || !strings.Contains(r.Body, `"error"`) {
		t.Errorf("close without the CSRF header: %d %s", r.Status, r.Body)
	}
	var status, name string
	if err := e.Pool.QueryRow(context.Background(), `SELECT p.status, e.name FROM postings p JOIN employers e ON e.id = p.employer_id
		WHERE p.id = $1`, e.f.Posting).Scan(&status, &name); err != nil || status != "published" || name != "Valley Clinic" {
		t.Fatalf("after refused writes: %s %s %v", status, name, err)
	}
	if st, body := call(t, ops, "POST", "/api/postings/"+e.f.Posting+"/close", ``); st != 200 || body["status"] != "closed" {
		t.Fatalf("ops closes the posting: %d %v", st, body)
	}
	st, body := call(t, ops, "POST", "/api/postings/"+e.f.Posting+"/publish", ``)
	wantError(t, "publish a closed posting", st, body, 422, "status")
}
