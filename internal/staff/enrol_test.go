package staff_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
)

// classOf adds students to a school (grade, names "First<i> Last") and
// returns their ids.
func (e *env) classOf(t *testing.T, school string, grade, n int, last string) []string {
	t.Helper()
	var ids []string
	for i := range n {
		id, err := e.Store.CreateStudent(context.Background(), store.Student{DistrictID: e.f.District, SchoolID: school,
			FirstName: fmt.Sprintf("Ana%d", i), LastName: last, Grade: grade, Phone: fmt.Sprintf("+1555555%02d%02d", grade, i), Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// A district admin enrols grade 11 of one school from the browser: the
// program is chosen (first without one, which the page refuses next to
// the field), the list filtered, all enrolled; the progress page refreshes
// itself to done, the journeys show on the dashboard and each student's
// survey invitation is in the outbox.
func TestBrowser_AdminEnrolsGradeElevenOfOneSchool_ProgressDoneJourneysAndInvitations(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	eleven := e.classOf(t, e.f.School, 11, 4, "Reyes")
	e.classOf(t, e.f.School, 10, 2, "Tenth")
	e.classOf(t, e.schoolB, 11, 2, "Elsewhere")
	signInInBrowser(t, ctx, e, adminEmail)

	run(t, ctx, "enrol without choosing a program", chromedp.Navigate(e.URL+"/staff/enrol"),
		chromedp.WaitVisible(chromedp.ID("enrol-all")), chromedp.Click(chromedp.ID("enrol-all")),
		chromedp.WaitVisible(chromedp.CSS(`label:has(#program) .field-error`)))
	if got := text(t, ctx, `label:has(#program) .field-error`); got != "Choose the program to enrol the students in." {
		t.Fatalf("no program chosen: the field says %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM enrolment_batches`); n != 0 {
		t.Fatalf("a refused request wrote %d batches", n)
	}

	run(t, ctx, "filter grade 11 of the school", chromedp.Navigate(e.URL+"/staff/enrol"),
		chromedp.WaitVisible(chromedp.ID("program")),
		chromedp.SetValue(chromedp.ID("program"), e.f.Program), chromedp.SetValue(chromedp.ID("school"), e.f.School),
		chromedp.SetValue(chromedp.ID("grade"), "11"),
		chromedp.Click(chromedp.CSS(`#filter button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("candidates")))
	rows := text(t, ctx, "#candidates tbody")
	if strings.Count(rows, "Reyes") != 4 || strings.Contains(rows, "Tenth") || strings.Contains(rows, "Elsewhere") || strings.Contains(rows, "Maya") {
		t.Fatalf("grade 11 of the school lists:\n%s", rows)
	}
	if got := text(t, ctx, "#count"); !strings.HasPrefix(got, "4 students can be enrolled") {
		t.Fatalf("count line %q", got)
	}
	shot(t, ctx, "enrol.png")
	run(t, ctx, "enrol all and watch the progress", chromedp.Click(chromedp.ID("enrol-all")),
		chromedp.WaitVisible(chromedp.ID("progress")), chromedp.WaitVisible(chromedp.ID("to-dashboard")))
	if got := text(t, ctx, "#status"); got != "4 of 4 students done (100%)." {
		t.Fatalf("progress when done: %q", got)
	}
	if got := text(t, ctx, "#enrolled"); got != "4" {
		t.Fatalf("enrolled %q", got)
	}
	shot(t, ctx, "enrolment-done.png")

	eventually(t, "every enrolled student's survey invitation in the outbox", func() bool {
		return e.count(t, `SELECT count(DISTINCT j.student_id) FROM messages m JOIN journeys j ON j.id = m.journey_id
			WHERE j.student_id = ANY($1::uuid[]) AND m.template = 'survey_invite' AND m.recipient_kind = 'student'`, eleven) == 4
	})
	eventually(t, "the journeys' rows for the dashboard", func() bool {
		return e.count(t, `SELECT count(*) FROM journey_view WHERE student_id = ANY($1::uuid[])`, eleven) == 4
	})
	run(t, ctx, "open the dashboard", chromedp.Click(chromedp.ID("to-dashboard")), chromedp.WaitVisible(chromedp.CSS(`#students tbody tr`)))
	if list := text(t, ctx, "#students tbody"); strings.Count(list, "Reyes") != 4 {
		t.Fatalf("dashboard after enrolling:\n%s", list)
	}
}

// The same enrolment form submitted twice is one batch; a fresh form over
// the same students enrols nobody (each already has a journey), and no
// student has two journeys.
func TestEnrol_SubmittedTwice_EnrolsNobodyTwice(t *testing.T) {
	e := newEnv(t)
	ids := e.classOf(t, e.f.School, 11, 3, "Twice")
	c := e.signIn(t, coachA)
	filter := url.Values{"program": {e.f.Program}, "grade": {"11"}}
	page := c.Get("/staff/enrol?" + filter.Encode())
	has(t, page, "3 students can be enrolled")
	form := url.Values{"program": {e.f.Program}, "grade": {"11"}, "school": {""}, "pathway": {""}, "roster": {""},
		"request_key": {stafftest.Field(page.Body, "request_key")}, "enrol": {"selected"}, "student": ids}
	first, second := c.Action("/staff/enrol", form), c.Action("/staff/enrol", form)
	if first.Status != http.StatusSeeOther || second.Header.Get("Location") != first.Header.Get("Location") {
		t.Fatalf("two submits: %d %s and %d %s", first.Status, first.Header.Get("Location"), second.Status, second.Header.Get("Location"))
	}
	eventually(t, "the batch done", func() bool {
		return strings.Contains(c.Get(first.Header.Get("Location")).Body, "3 of 3 students done")
	})
	again := c.Get("/staff/enrol?" + filter.Encode())
	has(t, again, "No student matches")
	form.Set("request_key", stafftest.Field(again.Body, "request_key"))
	r := c.Action("/staff/enrol", form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("enrolling them again: %d", r.Status)
	}
	has(t, r, "None of these students can be enrolled now")
	if n := e.count(t, `SELECT count(*) FROM journeys WHERE student_id = ANY($1::uuid[])`, ids); n != 3 {
		t.Fatalf("%d journeys for 3 students", n)
	}
	if n := e.count(t, `SELECT count(*) FROM enrolment_batches`); n != 1 {
		t.Fatalf("%d batches", n)
	}
	if e.auditCount(t, coachA, "enrolment_requested", "") != 1 {
		t.Fatal("the enrolment request is not audited once")
	}
}

// A coordinator enrols only students of their own school: a student of
// another school in the posted list is not enrolled, and the page lists
// only their school.
func TestEnrol_CoordinatorEnrolsOnlyTheirSchool(t *testing.T) {
	e := newEnv(t)
	mine := e.classOf(t, e.f.School, 11, 1, "Mine")
	theirs := e.classOf(t, e.schoolB, 11, 1, "Theirs")
	c := e.signIn(t, coachA)
	page := c.Get("/staff/enrol?program=" + e.f.Program)
	if strings.Contains(page.Body, "Theirs") || !strings.Contains(page.Body, "Mine") {
		t.Fatalf("coordinator's list:\n%s", page.Body)
	}
	r := c.Action("/staff/enrol", url.Values{"program": {e.f.Program}, "request_key": {stafftest.Field(page.Body, "request_key")},
		"enrol": {"selected"}, "student": {mine[0], theirs[0]}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("enrol: %d", r.Status)
	}
	eventually(t, "the batch done", func() bool { return strings.Contains(c.Get(r.Header.Get("Location")).Body, "1 of 1 students done") })
	if n := e.count(t, `SELECT count(*) FROM journeys WHERE student_id = $1`, theirs[0]); n != 0 {
		t.Fatal("a coordinator enrolled another school's student")
	}
	if got := c.Get("/staff/tokens"); got.Status != http.StatusForbidden {
		t.Fatalf("a coordinator opens API tokens: %d", got.Status)
	}
}

// A district admin makes an API token on the page: it is shown once and
// stored only as a hash; a script enrols with it (by list, and one student
// through POST /api/journeys); another district's student is refused with
// the field named; once revoked the token is refused. Both changes are
// audited.
func TestAPIToken_MadeOnThePage_EnrolsInItsDistrict_RevokedIsRefused(t *testing.T) {
	e := newEnv(t)
	ids := e.classOf(t, e.f.School, 12, 2, "Scripted")
	admin := e.signIn(t, adminEmail)
	if r := admin.Action("/staff/tokens", url.Values{"name": {""}}); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "Name the token after the script") {
		t.Fatalf("a token without a name: %d", r.Status)
	}
	made := admin.Action("/staff/tokens", url.Values{"name": {"SIS nightly"}})
	if made.Status != http.StatusCreated {
		t.Fatalf("make a token: %d\n%s", made.Status, made.Body)
	}
	secret := between(made.Body, `<code id="secret">`, `</code>`)
	if !strings.HasPrefix(secret, "ifk_") || len(secret) < 40 {
		t.Fatalf("token shown %q", secret)
	}
	if list := admin.Get("/staff/tokens"); strings.Contains(list.Body, secret) || !strings.Contains(list.Body, "SIS nightly") {
		t.Fatal("the token list shows the secret again, or not the token")
	}
	sum := sha256.Sum256([]byte(secret))
	if n := e.count(t, `SELECT count(*) FROM api_tokens WHERE token_hash = $1 AND name = 'SIS nightly'`, sum[:]); n != 1 {
		t.Fatal("the token is not stored as its hash")
	}

	script := stafftest.Anonymous(t, e.Stack)
	call := func(method, path, body string) (int, map[string]any) {
		r := script.Do(method, path, "application/json", strings.NewReader(body), http.Header{"Authorization": {"Bearer " + secret}})
		var out map[string]any
		_ = json.Unmarshal([]byte(r.Body), &out)
		return r.Status, out
	}
	status, out := call("POST", "/api/enrolments", fmt.Sprintf(`{"program_id":%q,"student_ids":[%q]}`, e.f.Program, ids[0]))
	if status != http.StatusAccepted {
		t.Fatalf("enrol by token: %d %v", status, out)
	}
	statusURL, _ := out["status_url"].(string)
	eventually(t, "the enrolment done", func() bool {
		_, st := call("GET", statusURL, "")
		return st["done"] == true && st["enrolled"] == float64(1)
	})
	if status, out := call("POST", "/api/journeys", fmt.Sprintf(`{"program_id":%q,"student_id":%q}`, e.f.Program, ids[1])); status != http.StatusCreated {
		t.Fatalf("POST /api/journeys by token: %d %v", status, out)
	}

	// "Everyone in grade 12 without a journey": nobody now; a student the
	// roster adds later is a new request, enrolled.
	all := fmt.Sprintf(`{"program_id":%q,"all":true,"grade":12}`, e.f.Program)
	if status, out := call("POST", "/api/enrolments", all); status != http.StatusUnprocessableEntity || out["field"] != "student_ids" {
		t.Fatalf("all of grade 12 when everyone has a journey: %d %v", status, out)
	}
	late := e.classOf(t, e.f.School, 12, 1, "Latecomer")
	status, out = call("POST", "/api/enrolments", all)
	if status != http.StatusAccepted {
		t.Fatalf("all of grade 12 with a newcomer: %d %v", status, out)
	}
	eventually(t, "the newcomer enrolled", func() bool {
		return e.count(t, `SELECT count(*) FROM journeys WHERE student_id = $1`, late[0]) == 1
	})

	var otherDistrict, stranger string
	if err := e.Pool.QueryRow(context.Background(), `SELECT district_id::text FROM staff WHERE email = $1`, otherOps).Scan(&otherDistrict); err != nil {
		t.Fatal(err)
	}
	otherSchool, _ := e.Store.CreateSchool(context.Background(), store.School{DistrictID: otherDistrict, Name: "Far High"})
	stranger, _ = e.Store.CreateStudent(context.Background(), store.Student{DistrictID: otherDistrict, SchoolID: otherSchool,
		FirstName: "Far", LastName: "Away", Grade: 11})
	status, out = call("POST", "/api/enrolments", fmt.Sprintf(`{"program_id":%q,"student_ids":[%q,%q]}`, e.f.Program, ids[0], stranger))
	if status != http.StatusNotFound || out["field"] != "student_ids" || out["error"] != "student_ids[1] is not a student of your schools" {
		t.Fatalf("another district's student: %d %v", status, out)
	}
	status, out = call("POST", "/api/journeys", fmt.Sprintf(`{"program_id":%q,"student_id":%q}`, e.f.Program, stranger))
	if status != http.StatusNotFound || out["field"] != "student_id" {
		t.Fatalf("another district's student through /api/journeys: %d %v", status, out)
	}
	if status, _ := call("GET", "/api/me", ""); status != http.StatusUnauthorized {
		t.Fatalf("a token reads /api/me: %d", status)
	}

	var tokenID string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id::text FROM api_tokens`).Scan(&tokenID); err != nil {
		t.Fatal(err)
	}
	if r := admin.Action("/staff/tokens/"+tokenID+"/revoke", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("revoke: %d", r.Status)
	}
	status, out = call("POST", "/api/enrolments", fmt.Sprintf(`{"program_id":%q,"student_ids":[%q]}`, e.f.Program, ids[0]))
	if status != http.StatusUnauthorized || out["error"] != "this API token is unknown or revoked" {
		t.Fatalf("revoked token: %d %v", status, out)
	}
	if e.auditCount(t, adminEmail, "api_token_created", tokenID) != 1 || e.auditCount(t, adminEmail, "api_token_revoked", tokenID) != 1 {
		t.Fatal("token made and revoked are not audited")
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'enrolment_requested' AND actor_ref = $1`, "api_token:"+tokenID); n != 2 {
		t.Fatalf("the token's enrolment is audited %d times", n)
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, to)
	return v
}
