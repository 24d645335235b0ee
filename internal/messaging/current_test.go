package messaging

import (
	"strings"
	"testing"
	"time"
)

// openWait records that the journey waits on party for key, as a journey's
// Record does.
func (e *env) openWait(key, party string) {
	e.exec(`INSERT INTO open_waits (wait_key, owner, journey_id, party, asked_at) VALUES ($1, 'journey', $2, $3, now())
		ON CONFLICT (wait_key) DO UPDATE SET party = EXCLUDED.party`, key, e.w.journey, party)
}

func (e *env) closeWait(key string) { e.exec(`DELETE FROM open_waits WHERE wait_key = $1`, key) }

func TestDispatcher_SurveyDoneDuringQuietHours_HeldNudgeCancelledNotSent(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(time.Date(2027, 6, 15, 22, 0, 0, 0, losAngeles)) // quiet hours: held until 08:00
	e.openWait("j:survey", "student")
	req := e.nudge("j:survey:r1")
	req.Wait, req.WaitParty = "j:survey", "student"
	out := e.enqueue(req)
	e.drain()

	e.closeWait("j:survey") // Emma answers the survey at 23:00 from the first text
	e.clock.Set(time.Date(2027, 6, 16, 8, 0, 0, 0, losAngeles))
	st := e.drain()
	if n := e.tw.CountTo(emmaPhone); n != 0 {
		t.Fatalf("Emma got %d texts about a survey she already answered", n)
	}
	if m := e.message(out.Messages[0]); m.Status != "cancelled" || m.FailReason != "step_closed" {
		t.Fatalf("held nudge is %s (%s), want cancelled: step_closed", m.Status, m.FailReason)
	}
	if st.Cancelled != 1 {
		t.Errorf("drain counted %d cancelled, want 1", st.Cancelled)
	}
}

func TestDispatcher_WaitMovedToAnotherParty_OldPartysReminderCancelled(t *testing.T) {
	e := newEnv(t)
	e.openWait("j:week:2027-06-07:timesheet", "student")
	req := e.nudge("j:week:r1")
	req.Template, req.Params = "timesheet_nudge", map[string]string{"week": "June 7"}
	req.Wait, req.WaitParty = "j:week:2027-06-07:timesheet", "student"
	out := e.enqueue(req)
	e.openWait("j:week:2027-06-07:timesheet", "employer") // she submitted: now it is on the supervisor
	e.drain()
	if m := e.message(out.Messages[0]); m.Status != "cancelled" {
		t.Fatalf("reminder to a student who submitted is %s, want cancelled", m.Status)
	}
}

func TestDispatcher_EscalationSentWhileWaitOpen_WhoeverIsAsked(t *testing.T) {
	e := newEnv(t)
	e.openWait("j:permit", "guardian")
	out := e.enqueue(Request{IdemKey: "j:permit:r3", DistrictID: e.w.district, SchoolID: e.w.school, JourneyID: e.w.journey,
		To: Recipient{Kind: "coordinator", Ref: e.w.school}, Template: "coordinator_stuck",
		Params: map[string]string{"step": "permit_sign:guardian", "waiting_on": "guardian", "since": "2027-06-08"},
		Wait:   "j:permit"})
	e.drain()
	if m := e.message(out.Messages[0]); m.Status != "sent" {
		t.Fatalf("escalation for an open wait is %s, want sent", m.Status)
	}
}

func TestDispatcher_FirstRequestAfterTodaysDigest_GoesAtOnce(t *testing.T) {
	e := newEnv(t)
	e.timesheetApproval("ts:Emma", "Emma") // a reminder: this morning's digest
	e.clock.Advance(16 * time.Minute)
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 1 {
		t.Fatalf("want this morning's email first, got %d", n)
	}

	e.clock.Advance(2 * time.Hour)
	first := e.enqueue(Request{IdemKey: "ts:Noah:r0", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "supervisor", Ref: e.w.supervisor}, Template: "timesheet_approval_request",
		Params: map[string]string{"student_first_name": "Noah", "week": "June 7"},
		Link:   &LinkSpec{Action: "approve_timesheet", SubjectRef: "June 7"}})
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 2 {
		t.Fatalf("Noah's approval request waits for tomorrow's digest (%d emails today)", n)
	}
	if m := e.message(first.Messages[0]); m.Status != "sent" {
		t.Fatalf("first request %s, want sent the same minute", m.Status)
	}
	if got := e.sg.Messages()[1].Subject; !strings.Contains(got, "Noah") {
		t.Errorf("second email is %q, want Noah's approval request", got)
	}
}

func TestDispatcher_DigestLeavesOutItemsWhoseStepClosed(t *testing.T) {
	e := newEnv(t)
	e.openWait("j:permit:emma", "employer")
	e.openWait("j:ts:noah", "employer")
	signed := e.enqueue(Request{IdemKey: "permit:Emma:r1", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "supervisor", Ref: e.w.supervisor}, Template: "timesheet_approval_request",
		Params: map[string]string{"student_first_name": "Emma", "week": "June 7"}, Reminder: true,
		Wait: "j:permit:emma", WaitParty: "employer", Link: &LinkSpec{Action: "approve_timesheet", SubjectRef: "a"}})
	e.enqueue(Request{IdemKey: "ts:Noah:r1", DistrictID: e.w.district, JourneyID: e.w.journey,
		To: Recipient{Kind: "supervisor", Ref: e.w.supervisor}, Template: "timesheet_approval_request",
		Params: map[string]string{"student_first_name": "Noah", "week": "June 7"}, Reminder: true,
		Wait: "j:ts:noah", WaitParty: "employer", Link: &LinkSpec{Action: "approve_timesheet", SubjectRef: "b"}})
	e.closeWait("j:permit:emma") // approved from an earlier email before the digest went
	e.clock.Advance(16 * time.Minute)
	e.drain()
	if n := e.sg.CountTo(samEmail); n != 1 {
		t.Fatalf("supervisor got %d emails, want one", n)
	}
	mail := e.sg.Messages()[0]
	if strings.Contains(mail.Subject+mail.Text, "Emma") || !strings.Contains(mail.Subject+mail.Text, "Noah") {
		t.Fatalf("email lists a closed step or misses the open one:\n%s\n%s", mail.Subject, mail.Text)
	}
	if m := e.message(signed.Messages[0]); m.Status != "cancelled" {
		t.Fatalf("closed item is %s, want cancelled", m.Status)
	}
}
