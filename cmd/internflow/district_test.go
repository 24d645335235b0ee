package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/testenv"
)

// `district create` starts a district: it prints a one-time sign-in link
// for the first admin. Running it again for the same name (in any case)
// says so and creates nothing.
func TestDistrictCreate_PrintsASignInLinkAndRefusesTheSameDistrictTwice(t *testing.T) {
	pool := testenv.NewDatabase(t, true)
	env := append(testenv.SecretsEnv(t), "DATABASE_URL="+pool.Config().ConnString(), "BASE_URL=https://interns.harbor.example")
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	out, errOut, status := testenv.Run(t, env, "district", "create", "--name", "Harbor Unified", "--admin-email", "Dana.Whitfield@Harbor.example")
	if status != 0 {
		t.Fatalf("district create exited %d:\n%s%s", status, out, errOut)
	}
	if !strings.HasPrefix(out, `Created district "Harbor Unified" (id `) || !strings.Contains(out, "with its first admin, dana.whitfield@harbor.example.") ||
		!regexp.MustCompile(`\n  https://interns\.harbor\.example/l/[A-Za-z0-9_-]+\n`).MatchString(out) ||
		!strings.Contains(out, "https://interns.harbor.example/staff/people") {
		t.Fatalf("district create printed:\n%s", out)
	}
	if n := count(`SELECT count(*) FROM staff st JOIN staff_roles r ON r.staff_id = st.id JOIN districts d ON d.id = st.district_id
		WHERE d.name = 'Harbor Unified' AND st.email = 'dana.whitfield@harbor.example' AND r.role = 'district_admin' AND r.school_id IS NULL`); n != 1 {
		t.Fatalf("%d district admins, want the one named", n)
	}
	if n := count(`SELECT count(*) FROM audit_log WHERE action IN ('district_created', 'role_granted') AND actor_kind = 'system'`); n != 2 {
		t.Fatalf("%d audit entries, want the district's creation and the admin's role", n)
	}

	out, errOut, status = testenv.Run(t, env, "district", "create", "--name", " harbor  UNIFIED ", "--admin-email", "someone.else@harbor.example")
	if status == 0 || lastLine(errOut) != `internflow: --name: A district named "harbor UNIFIED" already exists; nothing was created.` {
		t.Fatalf("second create exited %d, printed %q, stderr %q", status, out, errOut)
	}
	out, errOut, status = testenv.Run(t, env, "district", "create", "--name", "Bay Unified", "--admin-email", "dana.whitfield@harbor.example")
	if status == 0 || !strings.Contains(errOut, "--admin-email: Someone already signs in to internflow with this email.") {
		t.Fatalf("an admin email already in use: exited %d, printed %q, stderr %q", status, out, errOut)
	}
	if n := count(`SELECT count(*) FROM districts`) + count(`SELECT count(*) FROM staff`); n != 2 {
		t.Fatalf("%d districts and staff after the refused runs, want 1 of each", n)
	}
	if _, errOut, status = testenv.Run(t, env, "district", "create", "--name", "Bay Unified"); status == 0 || !strings.Contains(errOut, "usage: internflow district create") {
		t.Fatalf("without --admin-email: exited %d, stderr %q", status, errOut)
	}
}

// lastLine is what the command said last (log lines come before it).
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
