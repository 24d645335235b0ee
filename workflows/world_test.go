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
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

// world runs one journey in Temporal's time-skipping test environment with
// the outside world faked at the activity boundary: it records every write
// and every message the journey would send, and plays the people.
type world struct {
	t        *testing.T
	env      *testsuite.TestWorkflowEnvironment
	start    time.Time
	records  []activities.RecordInput
	sheets   []activities.TimesheetRecord
	messages []sent
	rejected []string
	// unreachable makes messages to these recipient kinds come back
	// unreachable (no usable contact).
	unreachable map[string]string
	postings    map[string]facts.PostingInfo
	permitDocs  int
	mouWaits    int
	updates     int
	ruleLoads   int // DistrictHourRules calls
	failPrepare int // PreparePermit fails for good this many times
	// failCertificate: IssueCertificate fails for good this many times.
	failCertificate int
	stuck           []string // what the ops console was told
	// certificates are the certificates the journey asked for.
	certificates []issued
}

// issued is a certificate request and how many completion texts had gone
// out by then.
type issued struct {
	activities.CertificateInput
	textsBefore int
}

// sent is a message with the simulated time it was queued.
type sent struct {
	At time.Time
	messaging.Request
}

var acts *activities.Activities

// templates checks every message the journey sends names a real template.
var templates = messaging.DefaultTemplates()

const (
	journeyID  = "11111111-1111-1111-1111-111111111111"
	studentID  = "22222222-2222-2222-2222-222222222222"
	schoolID   = "33333333-3333-3333-3333-333333333333"
	districtID = "44444444-4444-4444-4444-444444444444"
	postingA   = "55555555-5555-5555-5555-55555555555a"
	postingB   = "55555555-5555-5555-5555-55555555555b"
	employerA  = "66666666-6666-6666-6666-66666666666a"
	employerB  = "66666666-6666-6666-6666-66666666666b"
	supervisor = "77777777-7777-7777-7777-777777777777"
)

// day is one simulated day.
const day = 24 * time.Hour

func newWorld(t *testing.T) *world {
	t.Helper()
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(quiet{})
	w := &world{t: t, env: suite.NewTestWorkflowEnvironment(), unreachable: map[string]string{}}
	w.start = time.Date(2027, 6, 7, 9, 0, 0, 0, time.UTC) // a Monday
	w.env.SetStartTime(w.start)
	w.env.SetTestTimeout(30 * time.Second)
	workflows.Register(w.env)
	w.env.RegisterActivity(acts)
	w.postings = map[string]facts.PostingInfo{
		postingA: {ID: postingA, Title: "Clinic assistant", Status: "published", EmployerID: employerA, EmployerName: "Valley Clinic",
			SupervisorID: supervisor, FundingSource: "employer_paid", PayType: "hourly", DistrictID: districtID,
			RequiredTrainings: []string{"hipaa"}},
		postingB: {ID: postingB, Title: "City parks crew", Status: "published", EmployerID: employerB, EmployerName: "City Parks",
			FundingSource: "district_cte", PayType: "hourly", DistrictID: districtID},
	}
	w.mockActivities()
	return w
}

func (w *world) mockActivities() {
	w.env.OnActivity(acts.Record, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RecordInput) (activities.RecordOutput, error) {
			w.records = append(w.records, in)
			return activities.RecordOutput{Outcomes: w.deliver(in.Messages)}, nil
		})
	w.env.OnActivity(acts.RecordTimesheet, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.TimesheetRecord) (activities.RecordOutput, error) {
			w.sheets = append(w.sheets, in)
			return activities.RecordOutput{Outcomes: w.deliver(in.Messages)}, nil
		})
	w.env.OnActivity(acts.MarkStuck, mock.Anything, mock.Anything, mock.Anything).Return(
		func(_ context.Context, _ string, reason string) error { w.stuck = append(w.stuck, reason); return nil })
	w.env.OnActivity(acts.LoadPosting, mock.Anything, mock.Anything).Return(
		func(_ context.Context, id string) (facts.PostingInfo, error) {
			p, ok := w.postings[id]
			if !ok {
				return p, fmt.Errorf("posting %s: %w", id, store.ErrNotFound)
			}
			return p, nil
		})
	w.env.OnActivity(acts.PreparePermit, mock.Anything, mock.Anything, mock.Anything).Return(
		func(_ context.Context, _ string, v int) (activities.PermitDoc, error) {
			if w.failPrepare > 0 {
				w.failPrepare--
				return activities.PermitDoc{}, temporal.NewNonRetryableApplicationError("student has no date of birth", activities.ErrInvalidInput, nil)
			}
			w.permitDocs++
			return activities.PermitDoc{Version: v, DocumentID: fmt.Sprintf("doc-v%d", v), SHA256: fmt.Sprintf("%064d", v),
				Changes: w.permitChanges(v)}, nil
		})
	// The district is in California: journeys whose program states no
	// hour rules load the federal and California ones.
	w.env.OnActivity(acts.DistrictHourRules, mock.Anything, mock.Anything).Return(
		func(context.Context, string) ([]hours.Rule, error) { w.ruleLoads++; return hours.For("CA"), nil })
	w.env.OnActivity(acts.FinalizePermit, mock.Anything, mock.Anything, mock.Anything).Return("signed-pdf", nil)
	w.env.OnActivity(acts.IssueCertificate, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CertificateInput) (activities.CertificateOutput, error) {
			if w.failCertificate > 0 {
				w.failCertificate--
				return activities.CertificateOutput{}, temporal.NewNonRetryableApplicationError("journey not found", activities.ErrInvalidInput, nil)
			}
			w.certificates = append(w.certificates, issued{in, len(w.sentTemplate("journey_completed"))})
			return activities.CertificateOutput{DocumentID: "certificate-doc"}, nil
		})
	w.env.OnActivity(acts.RegisterMOUWait, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.MOUWaitInput) error { w.mouWaits++; return nil })
}

// deliver records messages, de-duplicating by key as the outbox does.
func (w *world) deliver(msgs []messaging.Request) []messaging.Outcome {
	var outs []messaging.Outcome
	for _, m := range msgs {
		if !templates.Has(m.Template) {
			w.t.Errorf("the journey sent template %q, which the outbox does not know", m.Template)
		}
		// The params and link each call site really sends must fill its
		// template (Enqueue rejects the same under Outbox.Strict).
		if err := messaging.Incomplete(m); err != nil {
			w.t.Errorf("the journey sent %s: %v", m.IdemKey, err)
		}
		w.readsWhole(m)
		if reason, ok := w.unreachable[m.To.Kind]; ok {
			outs = append(outs, messaging.Outcome{IdemKey: m.IdemKey, Status: "unreachable", Reason: reason, Channel: "sms"})
			continue
		}
		status := "queued"
		if slices.ContainsFunc(w.messages, func(s sent) bool { return s.IdemKey == m.IdemKey }) {
			status = "duplicate"
		} else {
			w.messages = append(w.messages, sent{At: w.env.Now(), Request: m})
		}
		outs = append(outs, messaging.Outcome{IdemKey: m.IdemKey, Status: status})
	}
	return outs
}

func (w *world) run(in workflows.JourneyInput) {
	w.env.ExecuteWorkflow(workflows.JourneyWorkflow, in)
}

func input(p workflows.Program) workflows.JourneyInput {
	return workflows.JourneyInput{JourneyID: journeyID, StudentID: studentID, SchoolID: schoolID, DistrictID: districtID,
		ProgramID: "p", ProgramYear: 2027, StudentAge: 16, StudentIsMinor: true, Program: p}
}

// at schedules fn at a simulated offset from the start.
func (w *world) at(offset time.Duration, fn func()) {
	w.env.RegisterDelayedCallback(fn, offset)
}

// update sends an update now and records a rejection's message.
func (w *world) update(name string, arg any) {
	w.updates++
	w.updateID(name, fmt.Sprintf("u%d", w.updates), arg)
}

func (w *world) updateID(name, id string, arg any) {
	w.env.UpdateWorkflow(name, id, w.callbacks(name), arg)
}

// callbacks record a rejection (or a failed update) as "name: message".
func (w *world) callbacks(name string) *testsuite.TestUpdateCallback {
	fail := func(err error) {
		var appErr *temporal.ApplicationError
		msg := err.Error()
		if errors.As(err, &appErr) {
			msg = appErr.Message()
		}
		w.rejected = append(w.rejected, name+": "+msg)
	}
	return &testsuite.TestUpdateCallback{
		OnReject: fail,
		OnAccept: func() {},
		OnComplete: func(_ any, err error) {
			if err != nil {
				fail(err)
			}
		},
	}
}

// updateWeek sends an update to a timesheet week's child workflow.
func (w *world) updateWeek(week, name string, arg any) {
	id := workflows.WeekWorkflowID(workflows.JourneyWorkflowID(journeyID), week)
	w.updates++
	err := w.env.UpdateWorkflowByID(id, name, fmt.Sprintf("u%d", w.updates), w.callbacks(name), arg)
	if err != nil {
		w.rejected = append(w.rejected, name+": "+err.Error())
	}
}

// view is the newest read-model row the journey wrote (what a dashboard
// would show: the store applies only newer sequence numbers).
func (w *world) view() facts.JourneyView {
	var v facts.JourneyView
	for _, r := range w.records {
		if r.Record.View.UpdatedSeq > v.UpdatedSeq {
			v = r.Record.View
		}
	}
	return v
}

func (w *world) status() workflows.JourneyStatus {
	val, err := w.env.QueryWorkflow(workflows.QueryStatus)
	if err != nil {
		w.t.Fatalf("status query: %v", err)
	}
	var st workflows.JourneyStatus
	if err := val.Get(&st); err != nil {
		w.t.Fatal(err)
	}
	return st
}

// templates lists messages as "day N template→kind" for readable asserts.
func (w *world) templates(filter func(sent) bool) []string {
	var out []string
	for _, m := range w.messages {
		if filter == nil || filter(m) {
			d := int(m.At.Sub(w.start) / day)
			out = append(out, fmt.Sprintf("d%d %s→%s", d, m.Template, m.To.Kind))
		}
	}
	return out
}

func (w *world) sentTemplate(template string) []sent {
	var out []sent
	for _, m := range w.messages {
		if m.Template == template {
			out = append(out, m)
		}
	}
	return out
}

func (w *world) noRejections() {
	w.t.Helper()
	if len(w.rejected) > 0 {
		w.t.Fatalf("unexpected rejections:\n%s", strings.Join(w.rejected, "\n"))
	}
}

// student etc. are the actors the world plays.
var (
	student  = workflows.Actor{Kind: "student", Ref: studentID}
	guardian = workflows.Actor{Kind: "guardian", Ref: "g1"}
	employer = workflows.Actor{Kind: "supervisor", Ref: supervisor}
	coord    = workflows.Actor{Kind: "staff", Ref: "coord-1"}
	issuer   = workflows.Actor{Kind: "staff", Ref: "issuer-1"}
)

func survey() workflows.SurveyInput {
	return workflows.SurveyInput{By: student, Pathway: "Health Sciences", Transport: "transit", ContactConsent: true}
}

func sign(role string, by workflows.Actor, version int) workflows.SignInput {
	return workflows.SignInput{By: by, Role: role, TypedName: "Full Name", DocumentSHA256: fmt.Sprintf("%064d", version),
		Consent: true, ConsentAt: time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), IP: "203.0.113.9", UserAgent: "test"}
}

func ratings() map[string]int {
	r := map[string]int{}
	for _, s := range workflows.SoftSkills {
		r[s] = 4
	}
	return r
}

type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(string, ...any) {}

// permitChanges is what the builder reports for version v: the hours
// corrected for it (the placement's were 20), as it would list them.
func (w *world) permitChanges(v int) map[string]string {
	for _, r := range w.records {
		c := r.Record.PermitCorrection
		if c == nil || c.Version != v {
			continue
		}
		for _, fv := range c.Values {
			if fv.Field == "hours_per_week" {
				return map[string]string{"en": "Hours per week: now " + fv.Value + " (was 20)",
					"es": "Horas por semana: ahora " + fv.Value + " (antes 20)"}
			}
		}
	}
	return nil
}
