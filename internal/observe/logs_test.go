package observe_test

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/observe"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

// Production logging (JSON, debug level to see everything) over the paths
// that log: enrolment, the survey update, a text that goes out, one the
// provider refuses, a student's link page, a forged webhook. Every line is JSON;
// lines carry journey ids and trace ids; none carries the student's phone
// number, name, the guardian's name or an employer's email address.
func TestLogs_JSONCarryJourneyAndTraceIdsButNoPersonalData(t *testing.T) {
	var out testenv.LogBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(observe.LogHandler(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	t.Cleanup(func() { slog.SetDefault(prev) })
	record(t)

	s := apptest.New(t, apptest.Options{})
	f := apptest.NewFixture(t, s.Store, `{}`)
	journeyID := enroll(t, s, f.Student, f.Program)
	refused := newStudent(t, s.Store, f.District, f.School, "+15555550177")
	s.Twilio.RejectNumber("+15555550177", fakeprovider.TwilioInvalidNumber)
	enroll(t, s, refused, f.Program)
	waitForInvites(t, s, "+15555550142", "+15555550177")
	in := workflows.SurveyInput{By: workflows.Actor{Kind: "student", Ref: f.Student}, Pathway: "Health Sciences", Transport: "transit", ContactConsent: true}
	if err := s.Journeys.Update(context.Background(), journeyID, workflows.UpdateSurvey, "", in); err != nil {
		t.Fatal(err)
	}
	if link := s.LastLink("+15555550142"); link != "" {
		get(t, link) // the student opens the next link
	}
	get(t, s.URL+"/healthz")
	post(t, s.URL+"/webhooks/twilio/inbound", "From=%2B15555550142&Body=Maya+Lopez+here&MessageSid=SM1",
		http.Header{"X-Twilio-Signature": {"forged"}})
	s.Drain()

	logs := out.String()
	var withTrace, withJourney int
	sc := bufio.NewScanner(strings.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("not a JSON log line: %s", sc.Text())
		}
		if rec["trace_id"] != nil || rec["TraceID"] != nil {
			withTrace++
		}
		if strings.Contains(sc.Text(), journeyID) {
			withJourney++
		}
	}
	if withTrace == 0 || withJourney == 0 {
		t.Errorf("%d lines carry a trace id and %d the journey id; want both > 0:\n%s", withTrace, withJourney, logs)
	}
	lower := strings.ToLower(logs)
	for _, pii := range []string{"+15555550142", "5555550142", "5555550177", "maya", "lopez", "rosa", "@clinic.example.org", "fresno", "1 main st"} {
		if strings.Contains(lower, pii) {
			t.Errorf("the log holds %q", pii)
		}
	}
	if t.Failed() || testing.Verbose() {
		t.Log(logs)
	}
}
