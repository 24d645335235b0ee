// Command internflow is the single binary: `dev` runs everything on a
// laptop; `serve`, `worker` and `migrate` are the production processes.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/observe"
	"github.com/internflow/internflow/internal/store"
)

const usage = `internflow runs high-school internship programs.

Usage: internflow <command>

  dev        everything on one machine: Temporal dev server, migrations, worker, HTTP, demo data
  serve      the HTTP API and pages
  worker     the Temporal worker
  migrate    create the database if missing and apply migrations
  seed       load the demo district (once)
  import     --district ID [--dry-run] [--format oneroster|csv] DIR|ZIP|FILE.csv  import a roster (see import -h)
  program    set PROGRAM_ID FILE.json | migrate --staff ID PROGRAM_ID  (versioned program definitions)
  student    export STUDENT_ID | purge --staff ID --reason TEXT STUDENT_ID  (FERPA record requests)
  district   create --name NAME --admin-email EMAIL  (a new district and its first admin; prints a sign-in link)
             state --staff ID DISTRICT_ID CA  (the state whose hour rules for minors its programs follow)
  retention  --older-than 5y --staff ID [--dry-run]  purge students whose journeys all closed that long ago
  healthcheck URL  exit 0 if URL answers 200 (for container health checks)
  devserver  run only the Temporal dev server; with "-- cmd args", run cmd against it and exit with its status

Configuration is by environment variables; see README.md.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	cfg, err := config.Load()
	if err != nil {
		fmt.Fprintln(os.Stderr, "internflow: config:", err)
		os.Exit(2)
	}
	setupLogging(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmds := map[string]func(context.Context, config.Config, []string) error{
		"dev": runDev, "serve": runServe, "worker": runWorker, "migrate": runMigrate,
		"seed": runSeed, "devserver": runDevServer, "healthcheck": runHealthcheck, "student": runStudent, "program": runProgram,
		"import": runImport, "retention": runRetention, "district": runDistrict,
	}
	cmd, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "internflow: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	stopTracing, err := observe.StartTracing(ctx, observe.TracingFrom(cfg, os.Args[1]))
	if err != nil {
		fmt.Fprintln(os.Stderr, "internflow: tracing:", err)
		os.Exit(2)
	}
	err = cmd(ctx, cfg, os.Args[2:])
	flushTraces(stopTracing)
	if err != nil {
		var exit exitCode
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "internflow:", err)
		os.Exit(1)
	}
}

// exitCode passes a child command's status through devserver.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func setupLogging(cfg config.Config) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(os.Stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(os.Stderr, opts)
	}
	slog.SetDefault(slog.New(observe.LogHandler(h)))
}

// flushTraces sends the spans still buffered before the process exits.
func flushTraces(stop func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := stop(ctx); err != nil {
		slog.Warn("flush traces", "err", err)
	}
}

// migrate creates the database if needed and applies migrations.
func migrate(ctx context.Context, cfg config.Config) (*store.Store, error) {
	created, err := store.EnsureDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if created {
		slog.Info("created database", "name", cfg.DatabaseName())
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	applied, err := store.Migrate(ctx, pool)
	if err != nil {
		pool.Close()
		return nil, err
	}
	slog.Info("database ready", "name", cfg.DatabaseName(), "migrations_applied", len(applied))
	return store.New(pool), nil
}

// runHealthcheck lets distroless images (no curl) probe themselves.
func runHealthcheck(ctx context.Context, _ config.Config, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: internflow healthcheck URL")
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, args[0], nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %d", args[0], resp.StatusCode)
	}
	return nil
}

func runMigrate(ctx context.Context, cfg config.Config, _ []string) error {
	st, err := migrate(ctx, cfg)
	if err != nil {
		return err
	}
	st.Pool.Close()
	return nil
}
