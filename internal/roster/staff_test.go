package roster_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/internflow/internflow/internal/roster"
)

func TestImportPlainBundle_ImportsStaffAndRejectsADuplicateEmail(t *testing.T) {
	e := newEnv(t)
	rep := e.run("plain/with-staff", roster.Options{StaffRoles: map[string]string{"counselor": "coordinator"}})
	if rep.Staff != (roster.Counts{Created: 2}) || rep.StaffRolesGranted != 2 {
		t.Fatalf("staff %+v roles %d", rep.Staff, rep.StaffRolesGranted)
	}
	if r := rejected(rep)[3]; r.SourceID != "T2" || r.File != "staff.csv" || !strings.Contains(r.Reason, "email: already used") {
		t.Fatalf("rejections %+v, want T2's clashing email on staff.csv line 3", rep.Rejected)
	}
	if n := e.count(`SELECT count(*) FROM staff WHERE source_id = 'T1' AND email = 'pat.counselor@springfield.example.org'
		AND phone = '+15555550150' AND active`); n != 1 {
		t.Fatal("T1 not stored normalised and active")
	}
	if n := e.count(`SELECT count(*) FROM staff WHERE source_id = 'T3' AND NOT active`); n != 1 {
		t.Fatal("T3 (active=false) not stored inactive")
	}
	if n := e.count(`SELECT count(*) FROM staff_roles r JOIN staff s ON s.id = r.staff_id WHERE s.source_id = 'T1' AND r.role = 'coordinator'`); n != 2 {
		t.Fatalf("T1 coordinator roles = %d, want one per school", n)
	}
	if rep.Students.Created != 1 {
		t.Fatalf("the clash must not stop the students: %+v", rep.Students)
	}
}

func TestImport_ConcurrentImportsIntoOneDistrictDoNotInterleave(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.try("plain/valid", roster.Options{})
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, roster.ErrBusy):
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if ok == 0 {
		t.Fatal("no import ran")
	}
	if n := e.count(`SELECT count(*) FROM students`); n != 4 {
		t.Fatalf("students = %d, want 4", n)
	}
	// The lock is released: another import runs.
	if _, err := e.try("plain/valid", roster.Options{}); err != nil {
		t.Fatalf("import after the others: %v", err)
	}
}
