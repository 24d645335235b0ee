package store_test

import (
	"context"
	"testing"

	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

func TestMigrate_FromEmptyDatabase_AppliesAllThenNothing(t *testing.T) {
	ctx := context.Background()
	pool := testenv.NewDatabase(t, false)
	migs, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		t.Fatalf("migrate from zero: %v", err)
	}
	if len(applied) != len(migs) {
		t.Fatalf("applied %d migrations, want %d", len(applied), len(migs))
	}
	again, err := store.Migrate(ctx, pool)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v (err %v), want nothing", again, err)
	}
	for _, table := range []string{"districts", "schools", "staff", "staff_roles", "students", "guardians", "employers",
		"worksites", "postings", "applications", "mous", "work_permits", "signatures", "trainings", "training_completions",
		"timesheets", "timesheet_entries", "documents", "messages", "contact_optouts", "audit_log", "journey_view"} {
		var exists bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
			t.Errorf("table %s missing after migrate (err %v)", table, err)
		}
	}
}

func TestMigrate_ConcurrentRunners_ApplyEachOnce(t *testing.T) {
	ctx := context.Background()
	pool := testenv.NewDatabase(t, false)
	errs := make(chan error, 3)
	for range 3 {
		go func() { _, err := store.Migrate(ctx, pool); errs <- err }()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent migrate: %v", err)
		}
	}
	var n int
	migs, _ := store.Migrations()
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(migs) {
		t.Fatalf("schema_migrations has %d rows (err %v), want %d", n, err, len(migs))
	}
}
