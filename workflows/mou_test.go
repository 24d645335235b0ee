package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows"
)

// mouWorld runs an employer's MOU workflow with its writes, messages and
// the signals it sends to journeys recorded.
type mouWorld struct {
	t        *testing.T
	env      *testsuite.TestWorkflowEnvironment
	start    time.Time
	records  []activities.MOURecord
	messages []string
	signaled []string
	rejected []string
	updates  int
	// doc is what PrepareMOU returns: the document and the calendar's dates.
	doc activities.MOUDoc
	// sent is every message the MOU queued, when it queued it.
	sent []sentMOUMessage
	// fail, when set, fails a RecordMOU attempt (nothing is written).
	fail func(activities.MOURecord) error
}

type sentMOUMessage struct {
	at  time.Time
	req messaging.Request
}

func newMOUWorld(t *testing.T, start time.Time) *mouWorld {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quiet{})
	m := &mouWorld{t: t, env: suite.NewTestWorkflowEnvironment(), start: start, doc: activities.MOUDoc{EmployerName: "City Parks",
		PermitDoc:    activities.PermitDoc{Version: 1, DocumentID: "mou-doc", SHA256: fmt.Sprintf("%064d", 7)},
		PlannedStart: "2027-06-14", TermEnd: "2027-08-31"}}
	m.env.SetStartTime(start)
	m.env.SetTestTimeout(30 * time.Second)
	workflows.Register(m.env)
	m.env.RegisterActivity(acts)
	m.env.OnActivity(acts.PrepareMOU, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.PrepareMOUInput) (activities.MOUDoc, error) { return m.doc, nil })
	m.env.OnActivity(acts.RecordMOU, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.MOURecord) (activities.RecordOutput, error) {
			if m.fail != nil {
				if err := m.fail(in); err != nil {
					return activities.RecordOutput{}, err
				}
			}
			m.records = append(m.records, in)
			for _, msg := range in.Messages {
				if !templates.Has(msg.Template) {
					t.Errorf("the MOU sent unknown template %q", msg.Template)
				}
				if msg.Params["employer_name"] != "City Parks" {
					t.Errorf("MOU message %s does not name the employer", msg.Template)
				}
				m.sent = append(m.sent, sentMOUMessage{at: m.env.Now(), req: msg})
				m.messages = append(m.messages, fmt.Sprintf("%s %s→%s", m.env.Now().Format("2006-01-02"), msg.Template, msg.To.Kind))
			}
			return activities.RecordOutput{}, nil
		})
	m.env.OnSignalExternalWorkflow(mock.Anything, mock.Anything, mock.Anything, workflows.SignalMOUApproved, mock.Anything).Return(
		func(_, workflowID, _, _ string, _ any) error {
			m.signaled = append(m.signaled, workflowID+"@"+m.env.Now().Format("2006-01-02"))
			return nil
		})
	return m
}

func (m *mouWorld) at(d time.Duration, fn func()) { m.env.RegisterDelayedCallback(fn, d) }

func (m *mouWorld) update(name string, arg any) {
	m.updates++
	w := &world{}
	cb := w.callbacks(name)
	m.env.UpdateWorkflow(name, fmt.Sprintf("m%d", m.updates), cb, arg)
	m.at(time.Millisecond, func() { m.rejected = append(m.rejected, w.rejected...); w.rejected = nil })
}

func (m *mouWorld) run() {
	m.env.ExecuteWorkflow(workflows.MOUWorkflow, workflows.MOUInput{MOUStart: workflows.MOUStart{
		EmployerID: employerB, DistrictID: districtID, ProgramYear: 2027}})
}

func mouSign() workflows.MOUSignInput {
	return workflows.MOUSignInput{SignInput: workflows.SignInput{By: employer, Role: "employer", TypedName: "Pat Lee",
		DocumentSHA256: fmt.Sprintf("%064d", 7), Consent: true, ConsentAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}
}

func TestMOU_Approved_EveryWaitingJourneyToldAtOnce(t *testing.T) {
	m := newMOUWorld(t, time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))
	m.at(time.Hour, func() {
		m.env.SignalWorkflow(workflows.SignalRegisterMOU, "journey-a")
		m.env.SignalWorkflow(workflows.SignalRegisterMOU, "journey-b")
		m.env.SignalWorkflow(workflows.SignalRegisterMOU, "journey-a") // a retried registration
	})
	m.at(2*day, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(3*day, func() {
		m.update(workflows.UpdateApproveMOU, workflows.MOUApproveInput{By: coord, Approve: true, ImplementationDate: "2027-02-15"})
	})
	// A journey placed after approval is told the moment it registers.
	m.at(5*day, func() { m.env.SignalWorkflow(workflows.SignalRegisterMOU, "journey-c") })
	m.run()
	if err := m.env.GetWorkflowError(); err != nil {
		t.Fatalf("MOU workflow failed: %v", err)
	}
	want := []string{"journey-a@2027-02-04", "journey-b@2027-02-04", "journey-c@2027-02-06"}
	slices.Sort(m.signaled) // the test env delivers external signals concurrently
	if !slices.Equal(m.signaled, want) {
		t.Fatalf("signals = %v, want %v", m.signaled, want)
	}
	var statuses []string
	for _, r := range m.records {
		if len(statuses) == 0 || statuses[len(statuses)-1] != r.Status {
			statuses = append(statuses, r.Status)
		}
	}
	if want := []string{"drafted", "employer_signed", "approved", "active", "expired"}; !slices.Equal(statuses, want) {
		t.Fatalf("MOU went through %v, want %v", statuses, want)
	}
	if len(m.rejected) > 0 {
		t.Fatalf("rejections: %v", m.rejected)
	}
}

// read renders a queued MOU message as its reader gets it by email.
func (m *mouWorld) read(msg messaging.Request, lang string) string {
	m.t.Helper()
	r, err := templates.Render(messaging.RenderInput{Template: msg.Template, Language: lang, Channel: messaging.ChannelEmail,
		RecipientKind: msg.To.Kind, Params: msg.Params, Program: "Bay Unified Internships", Contact: "the district office",
		Link: "https://intern.example.org/l/abc"})
	if err != nil {
		m.t.Fatalf("render %s: %v", msg.Template, err)
	}
	return r.Subject + "\n" + r.Text
}

// TestMOU_Messages_SayWhenWorkStartsAndTheSignByDate would have caught
// "work is planned to start on ." and "sign the internship agreement
// before" with no date, in either language.
func TestMOU_Messages_SayWhenWorkStartsAndTheSignByDate(t *testing.T) {
	m := newMOUWorld(t, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	m.at(200*day, func() { m.env.CancelWorkflow() })
	m.run()
	seen := map[string]bool{}
	for _, s := range m.sent {
		// Sign by three weeks before the start; once that day has passed, within a week (never after the start).
		signBy := time.Date(2027, 5, 24, 0, 0, 0, 0, time.UTC)
		if today := s.at.Truncate(day); signBy.Before(today) {
			signBy = today.AddDate(0, 0, 7)
			if start := time.Date(2027, 6, 14, 0, 0, 0, 0, time.UTC); signBy.After(start) {
				signBy = start
			}
		}
		want := map[string][]string{
			"en": {"June 14, 2027", signBy.Format("January 2, 2006")},
			"es": {"14 de junio de 2027", fmt.Sprintf("%d de %s de 2027", signBy.Day(), map[time.Month]string{5: "mayo", 6: "junio"}[signBy.Month()])},
		}
		for lang, dates := range want {
			text := m.read(s.req, lang)
			for _, d := range dates[:1] {
				if !strings.Contains(text, d) {
					t.Errorf("%s (%s) does not say when interns start (%s):\n%s", s.req.Template, lang, d, text)
				}
			}
			if s.req.Template != "mou_escalation" && !strings.Contains(text, dates[1]) {
				t.Errorf("%s (%s) does not give the sign-by date %s:\n%s", s.req.Template, lang, dates[1], text)
			}
			for _, empty := range []string{" .", "before\n", "antes del\n", "  ", "2027-"} {
				if strings.Contains(text, empty) {
					t.Errorf("%s (%s) has an empty or raw date (%q):\n%s", s.req.Template, lang, empty, text)
				}
			}
		}
		seen[s.req.Template] = true
	}
	if !seen["mou_sign_request"] || !seen["mou_reminder"] || !seen["mou_escalation"] {
		t.Fatalf("templates sent: %v", seen)
	}
	if first := m.read(m.sent[0].req, "en"); !strings.Contains(first, "runs until August 31, 2027") {
		t.Errorf("the sign request does not say how long the MOU runs:\n%s", first)
	}
}

// TestMOU_NeverSigned_OpsHearOnlyWhenTheStartIsNear would have caught
// district ops escalated to the second an MOU was drafted: reminders
// follow the days left before the planned start (June 14), and ops hear
// of it only in the last 30 days.
func TestMOU_NeverSigned_OpsHearOnlyWhenTheStartIsNear(t *testing.T) {
	m := newMOUWorld(t, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	m.at(225*day, func() { m.env.CancelWorkflow() })
	m.run()
	count := func(from, to string, template string) int {
		n := 0
		for _, s := range m.sent {
			d := s.at.Format(time.DateOnly)
			if d >= from && d < to && s.req.Template == template {
				n++
			}
		}
		return n
	}
	if m.messages[0] != "2026-11-02 mou_sign_request→employer" || count("2026-11-02", "2026-11-03", "mou_escalation") != 0 {
		t.Fatalf("first messages: %v", m.messages[:2])
	}
	if n := count("2000-01-01", "2027-05-15", "mou_escalation"); n != 0 {
		t.Errorf("ops escalated %d times more than 30 days before the start: %v", n, m.messages)
	}
	if n := count("2027-05-15", "2027-06-15", "mou_escalation"); n < 8 {
		t.Errorf("ops escalations in the last 30 days = %d, want every three days", n)
	}
	// Far from the start every two weeks, weekly in the last four months.
	if n := count("2026-11-03", "2027-01-01", "mou_reminder"); n != 4 {
		t.Errorf("November-December reminders = %d, want every two weeks; %v", n, m.messages)
	}
	if n := count("2027-03-01", "2027-04-01", "mou_reminder"); n < 4 || n > 5 {
		t.Errorf("March reminders = %d, want weekly", n)
	}
	text := m.read(m.sent[len(m.sent)-1].req, "en")
	if !strings.Contains(text, "interns are due to start on June 14, 2027") || !strings.Contains(text, "the employer's signature") {
		t.Errorf("the escalation does not say when interns start and whom it waits on:\n%s", text)
	}
}

// TestMOU_Returned_EmployerGetsTheReasonAndANewLink would have caught
// "Return to employer" sending the employer nothing (the sign request
// reused the first one's key) and the reason missing from the record.
func TestMOU_Returned_EmployerGetsTheReasonAndANewLink(t *testing.T) {
	m := newMOUWorld(t, time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))
	m.at(day, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(2*day, func() {
		m.update(workflows.UpdateApproveMOU, workflows.MOUApproveInput{By: coord, Approve: true})
		m.update(workflows.UpdateApproveMOU, workflows.MOUApproveInput{By: coord, Approve: false, Reason: "Insurance certificate missing"})
	})
	m.at(2*day+time.Hour, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(3*day, func() {
		m.update(workflows.UpdateApproveMOU, workflows.MOUApproveInput{By: coord, Approve: true, ImplementationDate: "2027-03-01"})
	})
	m.at(4*day, func() { m.env.CancelWorkflow() })
	m.run()
	if want := []string{"approve_mou: give the implementation date (YYYY-MM-DD)"}; !slices.Equal(m.rejected, want) {
		t.Errorf("rejections = %v, want %v", m.rejected, want)
	}
	var returned []messaging.Request
	keys := map[string]bool{}
	approvals := 0
	for _, s := range m.sent {
		if keys[s.req.IdemKey] {
			t.Errorf("two messages share the key %s: the outbox would drop the second", s.req.IdemKey)
		}
		keys[s.req.IdemKey] = true
		switch s.req.Template {
		case "mou_returned":
			returned = append(returned, s.req)
		case "mou_approval_request":
			approvals++
		}
	}
	if len(returned) != 1 || returned[0].To.Kind != "employer" || returned[0].Link == nil || returned[0].Link.Action != "sign_mou" {
		t.Fatalf("returned messages = %+v; want one to the employer with a signing link; all: %v", returned, m.messages)
	}
	for lang, want := range map[string]string{"en": "returned it:\n\nInsurance certificate missing", "es": "lo devolvió:\n\nInsurance certificate missing"} {
		if text := m.read(returned[0], lang); !strings.Contains(text, want) {
			t.Errorf("the employer (%s) does not read the reason:\n%s", lang, text)
		}
	}
	if approvals != 2 {
		t.Errorf("approval requests = %d, want one per signature; %v", approvals, m.messages)
	}
	i := slices.IndexFunc(m.records, func(r activities.MOURecord) bool { return r.Status == "drafted" && r.StaffID != "" })
	if i < 0 || m.records[i].Reason != "Insurance certificate missing" {
		t.Errorf("the return is not recorded with its reason: %+v", m.records)
	}
}

// TestMOU_Approved_ExpiresAfterTheTermItWasSignedFor would have caught an
// MOU signed in November for program year 2026 that ended on August 31,
// 2026: the MOU is active until the term's end the document states.
func TestMOU_Approved_ExpiresAfterTheTermItWasSignedFor(t *testing.T) {
	m := newMOUWorld(t, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
	m.doc.TermEnd, m.doc.PlannedStart = "2027-08-31", "2027-06-01"
	m.at(day, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(2*day, func() {
		m.update(workflows.UpdateApproveMOU, workflows.MOUApproveInput{By: coord, Approve: true, ImplementationDate: "2027-06-01"})
	})
	m.env.ExecuteWorkflow(workflows.MOUWorkflow, workflows.MOUInput{MOUStart: workflows.MOUStart{
		EmployerID: employerB, DistrictID: districtID, ProgramYear: 2026}})
	if err := m.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	if got := m.env.Now().Format(time.DateOnly); got != "2027-09-01" {
		t.Errorf("the MOU expired on %s, want 2027-09-01 (after its term ends on August 31, 2027)", got)
	}
}

// TestMOU_Waits_EmployerUntilSignedThenApprover keeps the send-time check
// honest: an employer reminder queued before the employer signed serves
// the employer's wait, which the signature closes.
func TestMOU_Waits_EmployerUntilSignedThenApprover(t *testing.T) {
	m := newMOUWorld(t, time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))
	m.at(day, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(2*day, func() { m.env.CancelWorkflow() })
	m.run()
	var signedAt = -1
	for i, r := range m.records {
		if r.Status == "employer_signed" {
			signedAt = i
		}
	}
	if signedAt < 0 {
		t.Fatalf("no signature recorded: %+v", m.records)
	}
	open := func(r activities.MOURecord) string {
		if r.Waits == nil || len(r.Waits.Waits) != 1 {
			return ""
		}
		return r.Waits.Waits[0].Party
	}
	if got := open(m.records[0]); got != "employer" {
		t.Errorf("a drafted MOU waits on %q, want the employer", got)
	}
	if got := open(m.records[signedAt]); got != string(workflows.PartyMOU) {
		t.Errorf("a signed MOU waits on %q, want the approver", got)
	}
	for _, s := range m.sent {
		wantParty := map[string]string{"employer": "employer", "mou_approver": string(workflows.PartyMOU)}[s.req.To.Kind]
		if s.req.Wait == "" || s.req.WaitParty != wantParty {
			t.Errorf("%s to %s serves wait %q/%q, want its own party's wait", s.req.Template, s.req.To.Kind, s.req.Wait, s.req.WaitParty)
		}
	}
}

// TestMOU_SignedWhileTheSignRequestIsWritten_TheRowEndsSigned would have
// caught the MOU row left "drafted" (the employer still asked to sign, the
// approver never asked) under an MOU the employer had signed: the sign
// request's write was retrying when the signature came, and the two writes
// committed the other way round. Writes now commit in the workflow's order.
func TestMOU_SignedWhileTheSignRequestIsWritten_TheRowEndsSigned(t *testing.T) {
	m := newMOUWorld(t, time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))
	failed := false
	m.fail = func(in activities.MOURecord) error {
		if in.Status == "drafted" && !failed { // the database hiccups once
			failed = true
			return errors.New("connection reset by peer")
		}
		return nil
	}
	m.at(100*time.Millisecond, func() { m.update(workflows.UpdateSignMOU, mouSign()) })
	m.at(day, func() { m.env.CancelWorkflow() })
	m.run()
	if len(m.rejected) > 0 {
		t.Fatalf("rejections: %v", m.rejected)
	}
	var committed []string
	for _, r := range m.records {
		committed = append(committed, r.Status+" "+r.Key[strings.LastIndex(r.Key, ":")+1:])
	}
	if want := []string{"drafted 1", "employer_signed 2"}; !slices.Equal(committed, want) {
		t.Fatalf("writes committed as %v, want %v", committed, want)
	}
	last := m.records[len(m.records)-1]
	if len(last.Waits.Waits) != 1 || !strings.HasSuffix(last.Waits.Waits[0].Key, ":approval") {
		t.Fatalf("the MOU's open waits end as %+v, want the district's approval", last.Waits.Waits)
	}
}
