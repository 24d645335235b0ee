package faults_test

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/devserver"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// TestFault_TemporalRestart_TimersAndInputsSurvive stops the Temporal
// server while journeys wait on reminder timers, keeps it down past the
// moment the timers were due, and starts it again on the same database:
// every timer still fires and journeys still take input.
func TestFault_TemporalRestart_TimersAndInputsSurvive(t *testing.T) {
	ctx := context.Background()
	dbFile := filepath.Join(t.TempDir(), "temporal.db")
	addr := freeAddr(t)
	srv := startTemporal(t, dbFile, addr)

	st := testenv.DB(t)
	f := apptest.NewFixture(t, st, `{}`)
	// A reminder every 3 days becomes one every 2 seconds.
	cfg := config.Config{TaskQueue: testenv.TaskQueue(t), TimeScale: 3 * 86400 / 2, BaseURL: "http://test",
		ProgramName: "Internships", SMSPerSecond: 100, EmailPerSecond: 100}.WithDevDefaults()
	tc, err := client.Dial(client.Options{HostPort: addr, Namespace: "default", Logger: quietLogger{}})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	a := app.New(cfg, st.Pool, tc)
	w := a.NewWorker()
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	students := extraStudents(t, st, f, 5)
	var journeys []string
	for _, s := range students {
		e, err := a.Journeys.Enroll(ctx, s, f.Program)
		if err != nil {
			t.Fatal(err)
		}
		journeys = append(journeys, e.Journey.ID)
	}
	count := func(template string) int {
		var n int
		_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE template = $1`, template).Scan(&n)
		return n
	}
	waitFor(t, "every survey invitation", 20*time.Second, func() bool { return count("survey_invite") == len(students) })

	if err := srv.Stop(); err != nil {
		t.Fatalf("stop temporal: %v", err)
	}
	time.Sleep(4 * time.Second) // the day-3 reminders fall due while it is down
	startTemporal(t, dbFile, addr)

	waitFor(t, "the reminders that fell due during the outage", 60*time.Second, func() bool {
		return count("survey_nudge") >= len(students)
	})
	in := workflows.SurveyInput{By: workflows.Actor{Kind: "student", Ref: students[0]}, Pathway: "IT", Transport: "walk", ContactConsent: true}
	if err := a.Journeys.Update(ctx, journeys[0], workflows.UpdateSurvey, "after-restart", in); err != nil {
		t.Fatalf("a journey refused input after the restart: %v", err)
	}
	waitFor(t, "the journey to move on", 20*time.Second, func() bool {
		v, err := a.Journeys.Status(ctx, journeys[0])
		return err == nil && v.Stage == "intern_ready"
	})
	var dupes int
	_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT idem_key FROM messages GROUP BY idem_key HAVING count(*) > 1) d`).Scan(&dupes)
	if dupes != 0 {
		t.Fatalf("%d messages were queued twice", dupes)
	}
}

func startTemporal(t *testing.T, dbFile, addr string) *devserver.Server {
	t.Helper()
	cli, err := filepath.Abs("../../bin/temporal")
	if err != nil {
		t.Fatal(err)
	}
	// Generous: on a machine busy with other builds and tests, starting
	// the server (and creating its database) has taken over a minute.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	srv, err := devserver.Start(ctx, devserver.Options{CLIPath: cli, DBFile: dbFile, HostPort: addr, Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	return srv
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// extraStudents adds n minor students with phones to the fixture's school.
func extraStudents(t *testing.T, st *store.Store, f apptest.Fixture, n int) []string {
	t.Helper()
	dob := time.Now().AddDate(-16, 0, 0)
	var ids []string
	for i := range n {
		id, err := st.CreateStudent(context.Background(), store.Student{DistrictID: f.District, SchoolID: f.School,
			FirstName: fmt.Sprintf("Student%d", i), LastName: "Fault", DateOfBirth: &dob, Phone: phone(i)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// phone is the i-th test student's number (555-02xx is fictional).
func phone(i int) string { return fmt.Sprintf("+1555555%04d", 200+i) }
