package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/testenv"
)

// `program set` refuses what the programs page refuses (one check,
// journey.CheckProgram), naming the field and writing nothing; a good
// definition becomes the next version, kept beside the first.
func TestProgramSet_RefusesAsThePageDoes_KeepsEveryVersion(t *testing.T) {
	pool := testenv.NewDatabase(t, true)
	env := append(testenv.SecretsEnv(t), "DATABASE_URL="+pool.Config().ConnString())
	ctx := context.Background()
	var program string
	if err := pool.QueryRow(ctx, `WITH d AS (INSERT INTO districts (name) VALUES ('Harbor Unified') RETURNING id)
		INSERT INTO programs (district_id, name, kind, program_year) SELECT id, 'Summer', 'summer_paid', 2031 FROM d RETURNING id`).Scan(&program); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO trainings (code, name) VALUES ('hipaa', 'HIPAA basics') ON CONFLICT DO NOTHING`); err != nil {
		t.Fatal(err)
	}
	set := func(def string) (string, int) {
		t.Helper()
		file := filepath.Join(t.TempDir(), "program.json")
		if err := os.WriteFile(file, []byte(def), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut, status := testenv.Run(t, env, "program", "set", program, file)
		return out + errOut, status
	}
	versions := func() (current, kept int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT version, (SELECT count(*) FROM program_versions WHERE program_id = $1) FROM programs WHERE id = $1`,
			program).Scan(&current, &kept); err != nil {
			t.Fatal(err)
		}
		return current, kept
	}
	for def, want := range map[string]string{
		`{"calendar": {"start": "2031-06-15", "end": "2031-06-01"}}`: "calendar.end: the program ends (2031-06-01) before it starts (2031-06-15)",
		`{"required_hours": -5}`:                                     "required_hours: required hours cannot be negative",
		`{"trainings": ["hipaa", "forklift"]}`:                       `trainings: training "forklift" is not in the catalogue`,
	} {
		if out, status := set(def); status == 0 || !strings.Contains(out, want) {
			t.Errorf("%s: exited %d, said:\n%s", def, status, out)
		}
	}
	if current, kept := versions(); current != 1 || kept != 1 {
		t.Fatalf("refused definitions wrote: version %d, %d kept", current, kept)
	}
	if out, status := set(`{"required_hours": 120, "trainings": ["hipaa"]}`); status != 0 || !strings.Contains(out, "is now version 2") {
		t.Fatalf("a good definition: exited %d, said:\n%s", status, out)
	}
	if current, kept := versions(); current != 2 || kept != 2 {
		t.Fatalf("after setting: version %d, %d kept", current, kept)
	}
}
