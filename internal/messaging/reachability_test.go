package messaging

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// placeWithSam gives a journey a read-model row and a placement with the
// supervisor Sam Lee (email only).
func (e *env) placeWithSam(journey, student string) {
	e.t.Helper()
	e.exec(`INSERT INTO journey_view (journey_id, student_id, district_id, school_id, program_id, stage, stage_since, updated_seq)
		VALUES ($1, $2, $3, $4, $5, 'working', now(), 1) ON CONFLICT DO NOTHING`, journey, student, e.w.district, e.w.school, e.w.program)
	e.exec(`WITH po AS (INSERT INTO postings (employer_id, supervisor_id, title) VALUES ($1, $2, 'Clinic assistant') RETURNING id)
		INSERT INTO placements (journey_id, posting_id, employer_id, supervisor_id, funding_source, hours_required)
		SELECT $3, po.id, $1, $2, 'employer_paid', 100 FROM po`, e.w.employer, e.w.supervisor, journey)
}

func (e *env) unreachable(journey string) bool {
	e.t.Helper()
	return e.count(`SELECT count(*) FROM journey_view WHERE journey_id = $1 AND unreachable`, journey) == 1
}

// A supervisor's email bounces (a signed SendGrid event): every journey
// with that supervisor is flagged, not only the one whose email bounced;
// correcting the address clears them all.
func TestReachability_SupervisorBounce_FlagsEveryJourneyWithThem_UntilTheAddressIsFixed(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	noah, noahJourney := addStudent(t, e.pool, e.w, e.w.school, "Noah", "+15555550111", "", "en", "")
	e.placeWithSam(e.w.journey, e.w.student)
	e.placeWithSam(noahJourney, noah)
	out := e.timesheetApproval("ts:Emma", "Emma")
	e.clock.Advance(16 * 60e9)
	e.drain()
	if code := h.events(e.sg.Event(e.sg.Messages()[0], "bounce")); code != http.StatusNoContent {
		t.Fatalf("bounce event: %d", code)
	}
	if m := e.message(out.Messages[0]); m.Status != "undeliverable" {
		t.Fatalf("bounced row %+v", m)
	}
	if !e.unreachable(e.w.journey) || !e.unreachable(noahJourney) {
		t.Fatalf("after Sam's bounce: Emma's journey unreachable=%v, Noah's=%v; want both flagged",
			e.unreachable(e.w.journey), e.unreachable(noahJourney))
	}
	problems, err := JourneyContactProblems(e.ctx, e.pool, noahJourney)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Name != "Sam Lee" || problems[0].Kind != "supervisor" ||
		problems[0].Channel != ChannelEmail || problems[0].Reason != ReasonBounced || !problems[0].Unreachable {
		t.Fatalf("Noah's contact problems %+v, want Sam Lee's bounced email", problems)
	}
	flagged, err := EmployerFlaggedAddresses(e.ctx, e.pool, e.w.employer)
	if err != nil {
		t.Fatal(err)
	}
	if len(flagged) != 1 || flagged[0].Address != samEmail || flagged[0].Journeys != 2 {
		t.Fatalf("employer's flagged addresses %+v, want Sam's email flagging 2 journeys", flagged)
	}

	e.exec(`UPDATE supervisors SET email = 'sam.lee@harbor.example' WHERE id = $1`, e.w.supervisor)
	if e.unreachable(e.w.journey) || e.unreachable(noahJourney) {
		t.Fatal("the journeys stay Unreachable after Sam's address was corrected")
	}
}

// STOP flags the journey when texts were the only way to reach the
// student; START (or the Spanish COMENZAR) clears it.
func TestReachability_StopThenStart_FlagClears(t *testing.T) {
	for _, start := range []string{"START", "comenzar", "Sí"} {
		t.Run(start, func(t *testing.T) {
			e := newEnv(t)
			h := e.webhooks()
			e.exec(`UPDATE students SET email = NULL WHERE id = $1`, e.w.student)
			e.placeWithSam(e.w.journey, e.w.student)
			h.text(emmaPhone, "STOP")
			if !e.unreachable(e.w.journey) {
				t.Fatal("STOP from a student with no email: journey not flagged")
			}
			h.text(emmaPhone, start)
			if e.unreachable(e.w.journey) {
				t.Fatalf("the journey stays Unreachable after %s", start)
			}
		})
	}
}

// With an email on file, STOP leaves the student reachable: the flag
// stays off, and the page lists only that texts stopped.
func TestReachability_StopWithEmail_StillReachable(t *testing.T) {
	e := newEnv(t)
	h := e.webhooks()
	e.placeWithSam(e.w.journey, e.w.student)
	h.text(emmaPhone, "stop")
	if e.unreachable(e.w.journey) {
		t.Fatal("a student with a working email was flagged Unreachable")
	}
	problems, err := JourneyContactProblems(e.ctx, e.pool, e.w.journey)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 1 || problems[0].Channel != ChannelSMS || problems[0].Unreachable {
		t.Fatalf("problems %+v, want texts stopped only", problems)
	}
}

// The coordinator's alert names the person and the channel: after STOP
// with no email, "by text message"; for a bounced supervisor, the
// supervisor by name, not the student.
func TestReachability_AlertNamesThePersonAndChannel(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE students SET email = NULL WHERE id = $1`, e.w.student)
	e.placeWithSam(e.w.journey, e.w.student)
	e.exec(`INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword'), ('email', $2, 'bounced')`,
		emmaPhone, samEmail)
	// What the journey does when a nudge finds no channel: it alerts with
	// the outcome's channel and reason.
	out := e.enqueue(e.nudge("after-stop"))
	if !out.Unreachable() || out.Channel != ChannelSMS || out.Reason != "opted_out" {
		t.Fatalf("nudge outcome %+v, want unreachable by sms (opted out)", out)
	}
	alert := func(key, party, channel, reason string) {
		e.enqueue(Request{IdemKey: key, DistrictID: e.w.district, SchoolID: e.w.school, JourneyID: e.w.journey,
			To: Recipient{Kind: "coordinator", Ref: e.w.school}, Template: "contact_unreachable",
			Params: map[string]string{"party": party, "channel": channel, "reason": reason}})
	}
	alert("a1", "student", out.Channel, out.Reason)
	alert("a2", "employer", ChannelEmail, ReasonBounced)
	e.drain()
	var subjects []string
	for _, m := range e.sg.Messages() {
		if m.To == "lopez@bay.example" {
			subjects = append(subjects, m.Subject)
		}
	}
	slices.Sort(subjects)
	want := []string{"We cannot reach Emma Rivera (the student) by text message", "We cannot reach Sam Lee (Emma's supervisor) by email"}
	if strings.Join(subjects, "|") != strings.Join(want, "|") {
		t.Fatalf("alert subjects %q, want %q", subjects, want)
	}
	var body string
	for _, m := range e.sg.Messages() {
		if strings.Contains(m.Subject, "Emma Rivera") {
			body = m.Text
		}
	}
	if !strings.Contains(body, "Messages to Emma Rivera (the student) by text message are not getting through: they replied STOP.") {
		t.Fatalf("alert body:\n%s", body)
	}
}
