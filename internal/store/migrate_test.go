package store_test

import (
	"context"
	"testing"
	"time"

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

// serve and worker of a new release wait for the migration Job: they see
// what is pending, and go on once it is applied.
func TestWaitForSchema_WaitsUntilTheMigrationsAreApplied(t *testing.T) {
	ctx := context.Background()
	pool := testenv.NewDatabase(t, false)
	migs, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	pending, err := store.Pending(ctx, pool)
	if err != nil || len(pending) != len(migs) {
		t.Fatalf("pending on an empty database = %v (err %v), want all %d", pending, err, len(migs))
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if err := store.WaitForSchema(short, pool, 50*time.Millisecond, nil); err == nil {
		t.Fatal("WaitForSchema returned before any migration was applied")
	}

	heard := make(chan []int, 1)
	done := make(chan error, 1)
	go func() { done <- store.WaitForSchema(ctx, pool, 50*time.Millisecond, func(p []int) { heard <- p }) }()
	if p := <-heard; len(p) != len(migs) {
		t.Fatalf("logged %d pending migrations, want %d", len(p), len(migs))
	}
	if _, err := store.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("WaitForSchema after migrate: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("WaitForSchema still waiting a minute after the migrations were applied")
	}
	if pending, err := store.Pending(ctx, pool); err != nil || len(pending) != 0 {
		t.Fatalf("pending after migrate = %v (err %v)", pending, err)
	}
}
