package faults_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// cluster is a private PostgreSQL server the test may stop and start
// without disturbing the machine's shared one.
type cluster struct {
	t         *testing.T
	dir, port string
}

const pgBin = "/usr/lib/postgresql/15/bin"

func newCluster(t *testing.T) *cluster {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the PostgreSQL outage test runs its own cluster as the postgres user and needs root to do so")
	}
	if _, err := os.Stat(filepath.Join(pgBin, "initdb")); err != nil {
		t.Skipf("no PostgreSQL server binaries at %s", pgBin)
	}
	dir, err := os.MkdirTemp("", "internflow-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	c := &cluster{t: t, dir: dir, port: strings.TrimPrefix(freeAddr(t), "127.0.0.1:")}
	c.run("chown", "postgres", dir)
	c.asPostgres("initdb", "-D", dir, "-A", "trust", "-U", "postgres", "--no-sync")
	c.start()
	t.Cleanup(c.stop)
	return c
}

func (c *cluster) run(name string, args ...string) {
	c.t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		c.t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

func (c *cluster) asPostgres(tool string, args ...string) {
	c.t.Helper()
	c.run("runuser", append([]string{"-u", "postgres", "--", filepath.Join(pgBin, tool)}, args...)...)
}

func (c *cluster) start() {
	c.asPostgres("pg_ctl", "-D", c.dir, "-w", "-l", filepath.Join(c.dir, "log"),
		"-o", fmt.Sprintf("-p %s -k %s -c fsync=off -c listen_addresses=127.0.0.1", c.port, c.dir), "start")
}

func (c *cluster) stop() {
	_ = exec.Command("runuser", "-u", "postgres", "--", filepath.Join(pgBin, "pg_ctl"), "-D", c.dir, "-m", "fast", "-w", "stop").Run()
}

func (c *cluster) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%s/%s?sslmode=disable", c.port, db)
}

// TestFault_PostgresDown30s_ReadinessRedThenGreenAndNothingLost stops
// PostgreSQL for 30 seconds while a student submits a survey: readiness
// turns red at once, the write waits (activities retry) rather than being
// lost, and everything carries on when the database is back.
func TestFault_PostgresDown30s_ReadinessRedThenGreenAndNothingLost(t *testing.T) {
	ctx := context.Background()
	c := newCluster(t)
	url := c.url("internflow")
	if _, err := store.EnsureDatabase(ctx, url); err != nil {
		t.Fatal(err)
	}
	pool, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := store.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	st := store.New(pool)
	f := apptest.NewFixture(t, st, `{}`)
	cfg := config.Config{TaskQueue: testenv.TaskQueue(t), TimeScale: 1, BaseURL: "http://test", ProgramName: "Internships",
		SMSPerSecond: 10, EmailPerSecond: 10}.WithDevDefaults()
	a := app.New(cfg, pool, testenv.Temporal(t))
	w := a.NewWorker()
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	h, err := a.Handler()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	e, err := a.Journeys.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the journey's first write", 20*time.Second, func() bool { _, err := st.GetJourneyView(ctx, e.Journey.ID); return err == nil })
	if code, body := get(t, srv.URL+"/readyz"); code != 200 {
		t.Fatalf("readyz before the outage: %d %v", code, body)
	}

	c.stop()
	down := time.Now()
	began := time.Now()
	code, body := get(t, srv.URL+"/readyz")
	if code != 503 || body["postgres"] != "unreachable" || time.Since(began) > 3*time.Second {
		t.Fatalf("readyz with PostgreSQL down: %d %v after %v, want a quick 503 naming postgres", code, body, time.Since(began))
	}
	// The API and the pages answer 503 with a clear body, not a hang.
	// (A staff session cookie makes them look the session up.)
	for _, path := range []string{"/api/journeys/" + e.Journey.ID, "/staff"} {
		began := time.Now()
		code, body := getCookie(t, srv.URL+path, "internflow_staff=some-session")
		if code != 503 || time.Since(began) > 5*time.Second {
			t.Errorf("GET %s with PostgreSQL down: %d %v after %v, want a quick 503", path, code, body, time.Since(began))
		}
	}
	// The student submits during the outage; the write must wait, not vanish.
	done := make(chan error, 1)
	go func() {
		in := workflows.SurveyInput{By: workflows.Actor{Kind: "student", Ref: f.Student}, Pathway: "Arts", Transport: "bike", ContactConsent: true}
		uctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
		defer cancel()
		done <- a.Journeys.UpdateWorkflow(uctx, e.Journey.WorkflowID, workflows.UpdateSurvey, "during-outage", in)
	}()
	time.Sleep(30*time.Second - time.Since(down))
	c.start()

	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the survey submitted during the outage failed: %v", err)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the survey submitted during the outage never completed")
	}
	waitFor(t, "readiness to turn green", 30*time.Second, func() bool { code, _ := get(t, srv.URL+"/readyz"); return code == 200 })
	var pathway string
	if err := pool.QueryRow(ctx, `SELECT pathway FROM survey_responses WHERE journey_id = $1`, e.Journey.ID).Scan(&pathway); err != nil || pathway != "Arts" {
		t.Fatalf("the survey given during the outage is not in the database: %q %v", pathway, err)
	}
	waitFor(t, "the journey to move on", 30*time.Second, func() bool {
		v, err := st.GetJourneyView(ctx, e.Journey.ID)
		return err == nil && v.Stage == "intern_ready"
	})
}

func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

func getCookie(t *testing.T, url, cookie string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Cookie", cookie)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
