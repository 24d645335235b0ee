// Package testenv gives integration tests the real parts: a fresh
// PostgreSQL database per test (cloned from a migrated template) and a
// Temporal dev server shared by the whole test run.
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"

	"github.com/internflow/internflow/internal/devserver"
	"github.com/internflow/internflow/internal/store"
)

// AdminURL is the server tests create databases on.
func AdminURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// DatabaseURL returns AdminURL pointed at another database.
func DatabaseURL(name string) string {
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// DB returns a store on a new, fully migrated database that is dropped
// when the test ends.
func DB(t testing.TB) *store.Store {
	t.Helper()
	pool := NewDatabase(t, true)
	return store.New(pool)
}

// NewDatabase creates a database for the test: migrated (cloned from the
// template) or empty. It is dropped when the test ends.
func NewDatabase(t testing.TB, migrated bool) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	admin := adminPool(t)
	name := "if_test_" + randomHex(6)
	stmt := "CREATE DATABASE " + name
	if migrated {
		templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx) })
		if templateErr != nil {
			t.Fatalf("test database template: %v", templateErr)
		}
		stmt += " TEMPLATE " + templateName
	}
	if _, err := admin.Exec(ctx, stmt); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	pool, err := store.Open(ctx, DatabaseURL(name))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		_, _ = admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return pool
}

var (
	adminOnce sync.Once
	admin     *pgxpool.Pool
	adminErr  error
)

func adminPool(t testing.TB) *pgxpool.Pool {
	adminOnce.Do(func() { admin, adminErr = store.Open(context.Background(), AdminURL()) })
	if adminErr != nil {
		t.Fatalf("postgres for tests: %v", adminErr)
	}
	return admin
}

// ensureTemplate creates (once per migration set, across concurrently
// running test binaries) a database holding every migration; tests clone it.
func ensureTemplate(ctx context.Context) (string, error) {
	migs, err := store.Migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, m := range migs {
		h.Write([]byte(m.Name + m.SQL))
	}
	name := "if_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
	conn, err := pgx.Connect(ctx, AdminURL())
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	// Serialise template creation between test binaries running in parallel.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7240002)`); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, `SELECT pg_advisory_unlock(7240002)`) //nolint:errcheck
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil || exists {
		return name, err
	}
	building := name + "_build"
	_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	pool, err := store.Open(ctx, DatabaseURL(building))
	if err != nil {
		return "", err
	}
	_, err = store.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	// Renaming last means a half-built template is never cloned.
	_, err = conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name)
	return name, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	temporalOnce sync.Once
	temporalAddr string
	temporalSrv  *devserver.Server
	temporalErr  error
)

// Main runs a package's tests and stops a dev server it started. Packages
// that use Temporal call it from TestMain.
func Main(m interface{ Run() int }) int {
	code := m.Run()
	if temporalSrv != nil {
		_ = temporalSrv.Stop()
	}
	return code
}

// TemporalAddress returns the dev server for this test run: the one `make
// test` started (INTERNFLOW_TEST_TEMPORAL), or one started for this package.
func TemporalAddress(t testing.TB) string {
	t.Helper()
	temporalOnce.Do(func() {
		if addr := os.Getenv("INTERNFLOW_TEST_TEMPORAL"); addr != "" {
			temporalAddr = addr
			return
		}
		cli, err := findCLI()
		if err != nil {
			temporalErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		temporalSrv, temporalErr = devserver.Start(ctx, devserver.Options{CLIPath: cli, Namespace: "default"})
		if temporalErr == nil {
			temporalAddr = temporalSrv.HostPort()
		}
	})
	if temporalErr != nil {
		t.Fatalf("temporal dev server for tests: %v", temporalErr)
	}
	return temporalAddr
}

// Temporal returns a client on the shared dev server, closed at test end.
func Temporal(t testing.TB) client.Client {
	t.Helper()
	var logger log.Logger = quietLogger{}
	if os.Getenv("INTERNFLOW_TEST_LOG") != "" { // see workers' errors while debugging a test
		logger = log.NewStructuredLogger(slog.Default())
	}
	c, err := client.Dial(client.Options{HostPort: TemporalAddress(t), Namespace: "default", Logger: logger})
	if err != nil {
		t.Fatalf("dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// TaskQueue is a queue name no other test uses.
func TaskQueue(t testing.TB) string { return "test-" + randomHex(6) }

// findCLI looks for bin/temporal in the module root above the test's dir.
func findCLI() (string, error) {
	dir, _ := os.Getwd()
	for {
		p := filepath.Join(dir, "bin", "temporal")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("bin/temporal not found; run `make test` (it installs the pinned Temporal CLI)")
		}
		dir = parent
	}
}

type quietLogger struct{}

func (quietLogger) Debug(string, ...interface{}) {}
func (quietLogger) Info(string, ...interface{})  {}
func (quietLogger) Warn(string, ...interface{})  {}
func (quietLogger) Error(string, ...interface{}) {}

// Eventually polls ok until it holds or 20 seconds pass: tests wait for
// the event, never for a fixed time.
func Eventually(t testing.TB, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SecretsEnv is LINK_SECRET and PAYLOAD_KEYS for a test that starts
// `internflow serve` or `worker`: random values, since those processes
// refuse any secret written in the repository, and the same ones for every
// process of one test (a restarted worker must open what the first sealed).
func SecretsEnv(t testing.TB) []string {
	t.Helper()
	if env, ok := testSecrets.Load(t); ok {
		return append([]string(nil), env.([]string)...)
	}
	link, key := make([]byte, 36), make([]byte, 32)
	if _, err := rand.Read(link); err != nil {
		t.Fatal(err)
	}
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	env := []string{"LINK_SECRET=" + base64.StdEncoding.EncodeToString(link),
		"PAYLOAD_KEYS=test:" + base64.StdEncoding.EncodeToString(key)}
	testSecrets.Store(t, env)
	t.Cleanup(func() { testSecrets.Delete(t) })
	return append([]string(nil), env...)
}

var testSecrets sync.Map // testing.TB -> []string
