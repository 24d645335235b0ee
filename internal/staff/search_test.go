package staff_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// A search that cannot be a name (a NUL byte, a control character, broken
// UTF-8) is refused with 400 and a message next to the search field, not
// a 500 from the database; a normal search still works.
func TestDashboardSearch_NulByteAnswers400NextToTheField(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	nextToField := regexp.MustCompile(`name="q"[^>]*aria-invalid="true"><span class="field-error" role="alert">Search for a name`)
	for _, q := range []string{"%00", "Ma%00ya", "Ma%01", "%ff%fe"} {
		r := coach.Get("/staff?q=" + q)
		if r.Status != http.StatusBadRequest || !nextToField.MatchString(r.Body) {
			t.Errorf("search %q: %d, want 400 with the message next to the search field:\n%.3000s", q, r.Status, r.Body)
		}
		if r := coach.Get("/staff/export/students.csv?q=" + q); r.Status != http.StatusBadRequest {
			t.Errorf("CSV export with search %q: %d, want 400", q, r.Status)
		}
	}
	ok := coach.Get("/staff?q=Maya&stage=all")
	if ok.Status != http.StatusOK || nextToField.MatchString(ok.Body) {
		t.Fatalf("a name search: %d", ok.Status)
	}
	has(t, ok, "Maya")
}

// Staff find a student by the student number they know (or the state
// student id) from the roster; the list, the student's page and the CSV
// export show it. Another school's coordinator finds nobody by it.
func TestDashboardSearch_ByStudentNumber_FoundAndShown(t *testing.T) {
	e := newEnv(t)
	e.exec(t, `UPDATE students SET student_number = '100234', state_id = 'CA7654321' WHERE id = $1`, e.f.Student)
	coach := e.signIn(t, coachA)
	for _, q := range []string{"100234", "ca7654321"} {
		r := coach.Get("/staff?stage=all&q=" + q)
		has(t, r, "Maya", `<span class="muted number">100234</span>`)
		if r.Status != http.StatusOK || strings.Contains(r.Body, "Bruno") {
			t.Fatalf("search %s: %d", q, r.Status)
		}
	}
	if r := coach.Get("/staff?stage=all&q=100235"); strings.Contains(r.Body, "Maya") {
		t.Fatal("another number finds Maya")
	}
	has(t, coach.Get("/staff/students/"+e.journeyA), `<span id="student-number">Student number 100234</span>`, "state id CA7654321")
	csv := coach.Get("/staff/export/students.csv?stage=all&q=100234")
	has(t, csv, ",Journey id,Student number,State student id\n", ","+e.journeyA+",100234,CA7654321\n")
	if r := e.signIn(t, coachB).Get("/staff?stage=all&q=100234"); strings.Contains(r.Body, "Maya") {
		t.Fatal("school B's coordinator finds Maya by her number")
	}
}

// The roster import page is a staff page: the staff navigation with its
// entry marked, the staff stylesheet (inline styles are refused by the
// content security policy), and nothing cached.
func TestRosterImportPage_InsideTheStaffLayout(t *testing.T) {
	e := newEnv(t)
	r := e.signIn(t, adminEmail).Get("/admin/import")
	has(t, r, `<nav aria-label="Staff">`, `<a href="/admin/import" aria-current="page">Roster import</a>`,
		`<link rel="stylesheet" href="/staff/assets/style.css">`, "<h1>Import roster</h1>", `action="/admin/import"`)
	if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" || strings.Contains(r.Body, "<style>") {
		t.Fatalf("import page: %d, Cache-Control %q", r.Status, r.Header.Get("Cache-Control"))
	}
}
