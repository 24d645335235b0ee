package observe_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
)

// An operator's dashboard: after enrolments, one text delivered and one
// refused, a student opening their link, and a forged webhook, /metrics
// shows each of them, the journeys by stage, and the Temporal SDK's own
// metrics. HTTP is labelled by route pattern: no link token appears.
func TestMetrics_ShowTrafficMessagesRejectionsJourneysAndTemporal(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	refused := newStudent(t, s.Store, f.District, f.School, "+15555550177")
	s.Twilio.RejectNumber("+15555550177", fakeprovider.TwilioInvalidNumber)
	enroll(t, s, refused, f.Program)
	// The order a busy machine can produce: the refused invitation and the
	// coordinator's alert about it go out before the other journey has
	// queued its invitation. Waiting must still find that invitation.
	waitForInvites(t, s, "+15555550177")
	eventually(t, "the coordinator's alert about the refused number", func() bool {
		s.Drain()
		return count(t, s, `SELECT count(*) FROM messages WHERE template = 'contact_unreachable' AND status IN ('sent', 'delivered')`) == 1
	})
	journeyID := enroll(t, s, f.Student, f.Program)
	waitForInvites(t, s, "+15555550142", "+15555550177")
	link := s.LastLink("+15555550142")
	if link == "" {
		t.Fatal("no survey link was texted")
	}
	if code, _ := get(t, link); code != http.StatusOK {
		t.Fatalf("opening the survey link answered %d", code)
	}
	get(t, s.URL+"/healthz")
	code, _ := post(t, s.URL+"/webhooks/twilio/inbound", "From=%2B15555550142&Body=STOP&MessageSid=SM1",
		http.Header{"X-Twilio-Signature": {"forged"}})
	if code != http.StatusForbidden {
		t.Fatalf("forged webhook answered %d, want 403", code)
	}

	ops := httptest.NewServer(s.OpsHandler()) // METRICS_ADDR: metrics are not on the app port
	defer ops.Close()
	fams, raw := scrape(t, ops.URL+"/metrics")
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"internflow_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/l/{token}", "status": "200"}, 1},
		{"internflow_http_request_duration_seconds", map[string]string{"method": "GET", "route": "/healthz", "status": "200"}, 1},
		{"internflow_http_request_duration_seconds", map[string]string{"route": "/webhooks/twilio/inbound", "status": "403"}, 1},
		{"internflow_messages_total", map[string]string{"channel": "sms", "outcome": "sent"}, 1},
		{"internflow_messages_total", map[string]string{"channel": "sms", "outcome": "failed"}, 1},
		{"internflow_webhook_rejections_total", map[string]string{"provider": "twilio", "reason": "signature"}, 1},
		{"internflow_journeys", map[string]string{"stage": "survey"}, 2},
	}
	for _, c := range checks {
		if got := value(fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, name := range []string{"temporal_request_total", "temporal_workflow_task_execution_latency_seconds", "temporal_local_activity_execution_latency_seconds"} {
		if value(fams, name, nil) <= 0 {
			t.Errorf("Temporal SDK metric %s missing or zero", name)
		}
	}
	token := link[strings.LastIndex(link, "/")+1:]
	for _, secret := range []string{token, journeyID, "5555550142"} {
		if strings.Contains(raw, secret) {
			t.Errorf("/metrics holds %q: labels must be route patterns and channels only", secret)
		}
	}
}

// waitForInvites drains the outbox until the survey invitation to each
// number was attempted: sent, or refused by the provider. Counting
// attempts of any message is not enough: the coordinator's alert about a
// refused number is a message too, and on a busy machine it can go out
// before the other journey has even queued its invitation.
func waitForInvites(t *testing.T, s *apptest.Stack, numbers ...string) {
	t.Helper()
	eventually(t, "survey invitations to "+strings.Join(numbers, ", "), func() bool {
		s.Drain()
		return count(t, s, `SELECT count(DISTINCT to_address) FROM messages WHERE template = 'survey_invite'
			AND to_address = ANY($1) AND status IN ('sent', 'delivered', 'failed', 'undeliverable')`, numbers) == len(numbers)
	})
}

func count(t *testing.T, s *apptest.Stack, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.Store.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
