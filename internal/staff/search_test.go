package staff_test

import (
	"net/http"
	"regexp"
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
