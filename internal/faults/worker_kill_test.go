package faults_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/journey"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// workerEnv configures an `internflow worker` process for the test's
// database, the shared Temporal server and the fake Twilio.
func workerEnv(t *testing.T, st *store.Store, taskQueue string, tw *fakeprovider.Twilio) []string {
	tc := tw.Config()
	return append(testenv.SecretsEnv(t),
		"DATABASE_URL="+st.Pool.Config().ConnString(),
		"TEMPORAL_ADDRESS="+testenv.TemporalAddress(t),
		"TEMPORAL_TASK_QUEUE="+taskQueue,
		"TWILIO_ACCOUNT_SID="+tc.AccountSID, "TWILIO_AUTH_TOKEN="+tc.AuthToken, "TWILIO_FROM="+tc.From,
		"TWILIO_BASE_URL="+tc.BaseURL,
		"SMS_PER_SECOND=200",
		// A crashed send is looked up at the provider once its lease lapses.
		"OUTBOX_LEASE=20s",
		"LOG_FORMAT=json",
	)
}

// TestFault_WorkerKilledMidSend_EachPersonTextedOnce kills the worker with
// SIGKILL while texts are in flight at the provider (accepted there, not
// yet recorded here), then starts a new worker: every student ends up with
// exactly one invitation, counted at the fake Twilio.
func TestFault_WorkerKilledMidSend_EachPersonTextedOnce(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	f := apptest.NewFixture(t, st, `{}`)
	tw := fakeprovider.NewTwilio()
	defer tw.Close()
	tq := testenv.TaskQueue(t)
	students := extraStudents(t, st, f, 20)

	// The first six sends reach Twilio, which accepts them and then never
	// answers: the worker cannot know they went out.
	tw.SetHang(time.Minute)
	tw.FailNext(6, fakeprovider.FaultAcceptThenTimeout)
	worker := start(t, workerEnv(t, st, tq, tw), "worker")
	js := &journey.Service{Store: st, Temporal: testenv.Temporal(t), TaskQueue: tq, TimeScale: 1}
	for _, s := range students {
		if _, err := js.Enroll(ctx, s, f.Program); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if t.Failed() {
			rows, _ := st.Pool.Query(ctx, `SELECT status, count(*), min(send_after)::text FROM messages GROUP BY status`)
			for rows.Next() {
				var s, at string
				var n int
				_ = rows.Scan(&s, &n, &at)
				t.Logf("outbox: %d %s (first due %s)", n, s, at)
			}
			rows.Close()
		}
	}()
	waitFor(t, "sends to be in flight", 30*time.Second, func() bool { return tw.Posts() >= 6 })
	worker.Kill()

	start(t, workerEnv(t, st, tq, tw), "worker")
	waitFor(t, "every student's invitation", 60*time.Second, func() bool {
		for i := range students {
			if tw.CountTo(phone(i)) == 0 {
				return false
			}
		}
		return true
	})
	// A send cut off by the kill is looked up at the provider once its
	// lease (20 s) runs out, so settling can take a while under load.
	waitFor(t, "the outbox to settle", 90*time.Second, func() bool {
		var open int
		_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE status IN ('queued','sending')`).Scan(&open)
		return open == 0
	})
	for i := range students {
		if n := tw.CountTo(phone(i)); n != 1 {
			t.Errorf("student %d got %d invitations, want exactly 1", i, n)
		}
	}
	if t.Failed() {
		t.Log(fmt.Sprint("second worker's log:\n", worker.Output()))
	}
}

// TestFault_WorkerKilledMidJourney_JourneysFinishTheirStep kills the worker
// while it is starting journeys (workflow tasks and Record activities in
// flight): a new worker picks them up and every journey is written once.
func TestFault_WorkerKilledMidJourney_JourneysFinishTheirStep(t *testing.T) {
	ctx := context.Background()
	st := testenv.DB(t)
	f := apptest.NewFixture(t, st, `{}`)
	tw := fakeprovider.NewTwilio()
	defer tw.Close()
	tq := testenv.TaskQueue(t)
	students := extraStudents(t, st, f, 30)
	worker := start(t, workerEnv(t, st, tq, tw), "worker")
	js := &journey.Service{Store: st, Temporal: testenv.Temporal(t), TaskQueue: tq, TimeScale: 1}
	for _, s := range students {
		if _, err := js.Enroll(ctx, s, f.Program); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "some journeys to be written", 30*time.Second, func() bool {
		var n int
		_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view`).Scan(&n)
		return n > 0
	})
	worker.Kill()
	start(t, workerEnv(t, st, tq, tw), "worker")
	waitFor(t, "every journey at the survey with its invitation texted", 90*time.Second, func() bool {
		var views, invites int
		_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM journey_view WHERE stage = 'survey'`).Scan(&views)
		_ = st.Pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE template = 'survey_invite' AND status = 'sent'`).Scan(&invites)
		return views == len(students) && invites == len(students)
	})
	for i := range students {
		if n := tw.CountTo(phone(i)); n != 1 {
			t.Errorf("student %d got %d invitations, want exactly 1", i, n)
		}
	}
}
