package records_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

func TestRecordRequest_ExportThenPurge_KeepsOnlyTheAuditLog(t *testing.T) {
	ctx := context.Background()
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	e, err := s.Journeys.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	// A student answers from the invite's link, so the invite is out first.
	waitForMessage(t, s.Pool, e.Journey.ID, "survey_invite")
	in := workflows.SurveyInput{By: workflows.Actor{Kind: "student", Ref: f.Student}, Pathway: "Health Sciences", Transport: "bike", ContactConsent: true}
	if err := s.Journeys.Update(ctx, e.Journey.ID, workflows.UpdateSurvey, "", in); err != nil {
		t.Fatal(err)
	}
	svc := &records.Service{Pool: s.Pool, Temporal: s.Temporal, Namespace: "default"}

	exp, err := svc.Export(ctx, f.Student)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(exp)
	for _, want := range []string{"Maya", "Rosa Lopez", "Health Sciences", "survey_submitted", "survey_invite"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("export lacks %q", want)
		}
	}

	res, err := svc.Purge(ctx, f.Student, f.Coordinator, "Parent's FERPA deletion request #42")
	if err != nil {
		t.Fatal(err)
	}
	if res.Journeys != 1 || res.Workflows != 1 {
		t.Errorf("purge result %+v", res)
	}
	if _, err := svc.Export(ctx, f.Student); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the purge the export finds %v", err)
	}
	for _, table := range []string{"students", "guardians", "journeys", "journey_view", "survey_responses", "messages", "journey_events"} {
		var n int
		if err := s.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s still has %d rows after the purge (%v)", table, n, err)
		}
	}
	var audited int
	_ = s.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'student_purged' AND entity_id = $1 AND actor_ref = $2`,
		f.Student, f.Coordinator).Scan(&audited)
	if audited != 1 {
		t.Error("the purge is not in the audit log")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.Temporal.DescribeWorkflowExecution(ctx, e.Journey.WorkflowID, "")
		var nf *serviceerror.NotFound
		if errors.As(err, &nf) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the journey's workflow still exists after the purge: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func waitForMessage(t *testing.T, pool interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, journeyID, template string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE journey_id = $1 AND template = $2`,
			journeyID, template).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s message for the journey after 10s", template)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
