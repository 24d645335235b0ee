package workflows_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/internflow/internflow/activities"
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
}

func newMOUWorld(t *testing.T, start time.Time) *mouWorld {
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quiet{})
	m := &mouWorld{t: t, env: suite.NewTestWorkflowEnvironment(), start: start}
	m.env.SetStartTime(start)
	m.env.SetTestTimeout(30 * time.Second)
	workflows.Register(m.env)
	m.env.RegisterActivity(acts)
	m.env.OnActivity(acts.PrepareMOU, mock.Anything, mock.Anything).Return(activities.MOUDoc{EmployerName: "City Parks",
		PermitDoc: activities.PermitDoc{Version: 1, DocumentID: "mou-doc", SHA256: fmt.Sprintf("%064d", 7)}}, nil)
	m.env.OnActivity(acts.RecordMOU, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.MOURecord) (activities.RecordOutput, error) {
			m.records = append(m.records, in)
			for _, msg := range in.Messages {
				if !templates.Has(msg.Template) {
					t.Errorf("the MOU sent unknown template %q", msg.Template)
				}
				if msg.Params["employer_name"] != "City Parks" {
					t.Errorf("MOU message %s does not name the employer", msg.Template)
				}
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
	m.env.ExecuteWorkflow(workflows.MOUWorkflow, workflows.MOUInput{MOUStart: activities.MOUStart{
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

func TestMOU_NeverSigned_RemindersEscalateTowardSummer(t *testing.T) {
	m := newMOUWorld(t, time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC))
	m.at(200*day, func() { m.env.CancelWorkflow() })
	m.run()
	count := func(prefix, template string) int {
		n := 0
		for _, s := range m.messages {
			if s[:7] == prefix && (template == "" || slices.Contains([]string{template}, s[11:11+len(template)])) {
				n++
			}
		}
		return n
	}
	// Fall: every two weeks, employer only.
	if n := count("2026-11", ""); n != 3 || count("2026-12", "mou_escalation") != 0 {
		t.Errorf("November reminders = %d (want 3, employer only); all: %v", n, m.messages)
	}
	// From January: weekly, and district ops hears about it.
	if count("2027-02", "mou_escalation") < 4 {
		t.Errorf("February escalations to district ops = %d, want weekly", count("2027-02", "mou_escalation"))
	}
	// From April: every three days.
	if n := count("2027-04", "mou_reminder"); n < 9 {
		t.Errorf("April reminders = %d, want every three days", n)
	}
	if m.messages[0] != "2026-11-02 mou_sign_request→employer" {
		t.Errorf("first message = %s", m.messages[0])
	}
}

func TestMOU_SentBack_EmployerAskedToSignAgain(t *testing.T) {
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
	signs := 0
	for _, s := range m.messages {
		if s[11:] == "mou_sign_request→employer" {
			signs++
		}
	}
	if signs != 2 {
		t.Errorf("sign requests = %d, want the first and one after it was sent back; %v", signs, m.messages)
	}
}
