package workflows

import (
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/activities"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// MOU is the employer's memorandum of understanding with the district for
// one program year: drafted, signed by the employer, approved by the
// district with an implementation date, active, expired. Journeys whose
// wages the district pays wait on it; when it is approved every waiting
// journey is signalled at once.

// MOUState is carried across continue-as-new.
type MOUState struct {
	Status             string               `json:"status"`
	Doc                activities.PermitDoc `json:"doc"`
	EmployerName       string               `json:"employer_name,omitempty"`
	ImplementationDate string               `json:"implementation_date,omitempty"`
	// PlannedStart and TermEnd come from the program calendar when the
	// MOU is drafted (empty in MOUs drafted before they were kept).
	PlannedStart string   `json:"planned_start,omitempty"`
	TermEnd      string   `json:"term_end,omitempty"`
	Waiting      []string `json:"waiting,omitempty"`
	Notified     []string `json:"notified,omitempty"`
	Reminders    int      `json:"reminders"`
	// Seq numbers every write, for idempotency keys.
	Seq int `json:"seq"`
}

type mou struct {
	in       MOUStart
	st       MOUState
	signing  bool
	sentBack string // why the district last sent it back
	// calendar is mouCalendarVersion when the MOU follows the program
	// calendar (reminders by the planned start, escalation near it, a
	// returned MOU re-sent with the reason, the term's own end).
	calendar workflow.Version
	ladder   MOULadder
	// asked is when the party the MOU now waits on was asked.
	asked time.Time
	// serial is mouSerialWritesVersion when the MOU's writes go one at a
	// time; writing is set while one is in flight.
	serial  workflow.Version
	writing bool
}

// mouCalendarVersion is the MOU in step with the program calendar.
const mouCalendarVersion = 1

// mouSerialWritesVersion is the MOU writing its changes one at a time, in
// its own order. Before it a reminder's write and the employer's signature
// could be in flight together, commit the other way round and leave the
// row "drafted" (and the employer's wait open) under a signed MOU.
const mouSerialWritesVersion = 1

// MOULadder is the MOU's reminder ladder as data, counted back from the
// day interns are planned to start.
type MOULadder struct {
	// Cadence: the first step whose Within covers the days left before the
	// start sets the days between reminders (Within 0: any time).
	Cadence []MOUCadence `json:"cadence"`
	// SignBefore is how many days before the start the employer is asked
	// to have signed, leaving the district time to approve.
	SignBefore Days `json:"sign_before_days"`
	// EscalateWithin: district ops hears of an MOU not yet approved only
	// this close to the start.
	EscalateWithin Days `json:"escalate_within_days"`
}

// MOUCadence is one step of the MOU's reminder cadence.
type MOUCadence struct {
	Within Days `json:"within_days"`
	Every  Days `json:"every_days"`
}

// DefaultMOULadder reminds every two weeks while the start is far, weekly
// in the last four months, every three days in the last six weeks, and
// tells district ops in the last month.
var DefaultMOULadder = MOULadder{
	Cadence:    []MOUCadence{{Within: 42, Every: 3}, {Within: 120, Every: 7}, {Every: 14}},
	SignBefore: 21, EscalateWithin: 30,
}

var mouRecordOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: time.Minute,
		NonRetryableErrorTypes: []string{activities.ErrInvalidInput}},
}

// MOUWorkflowFn runs one employer's MOU for one program year.
func MOUWorkflowFn(ctx workflow.Context, in MOUInput) (MOUStatus, error) {
	m := &mou{in: in.MOUStart, st: MOUState{Status: "drafted"}}
	if in.State != nil {
		m.st = *in.State
	}
	if err := m.register(ctx); err != nil {
		return MOUStatus{}, err
	}
	m.calendar = workflow.GetVersion(ctx, "mou-calendar", workflow.DefaultVersion, mouCalendarVersion)
	m.serial = workflow.GetVersion(ctx, "mou-serial-writes", workflow.DefaultVersion, mouSerialWritesVersion)
	m.ladder = DefaultMOULadder
	ctx = workflow.WithActivityOptions(ctx, mouRecordOptions)
	if m.st.Doc.DocumentID == "" {
		var doc activities.MOUDoc
		if err := workflow.ExecuteActivity(ctx, a.PrepareMOU, activities.PrepareMOUInput{EmployerID: m.in.EmployerID, ProgramYear: m.in.ProgramYear}).Get(ctx, &doc); err != nil {
			return MOUStatus{}, err
		}
		m.st.Doc, m.st.EmployerName = doc.PermitDoc, doc.EmployerName
		m.st.PlannedStart, m.st.TermEnd = doc.PlannedStart, doc.TermEnd
	}
	for m.st.Status == "drafted" || m.st.Status == "employer_signed" {
		if err := m.remind(ctx); err != nil {
			return MOUStatus{}, err
		}
		if m.continueAsNew(ctx) {
			return MOUStatus{}, workflow.NewContinueAsNewError(ctx, MOUWorkflow, MOUInput{MOUStart: m.in, State: &m.st})
		}
	}
	return m.runApproved(ctx)
}

func (m *mou) register(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryMOUStatus, func() (MOUStatus, error) {
		return MOUStatus{Status: m.st.Status, DocumentID: m.st.Doc.DocumentID, DocumentSHA256: m.st.Doc.SHA256,
			ImplementationDate: m.st.ImplementationDate, WaitingJourneys: len(m.st.Waiting)}, nil
	}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateSignMOU, m.sign,
		workflow.UpdateHandlerOptions{Validator: m.validateSign}); err != nil {
		return err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateApproveMOU, m.approve,
		workflow.UpdateHandlerOptions{Validator: m.validateApprove}); err != nil {
		return err
	}
	listen(ctx, SignalRegisterMOU, func(ctx workflow.Context, journeyWorkflowID string) {
		for _, id := range m.st.Waiting {
			if id == journeyWorkflowID {
				return
			}
		}
		m.st.Waiting = append(m.st.Waiting, journeyWorkflowID)
	})
	return nil
}

func (m *mou) validateSign(in MOUSignInput) error {
	if m.st.Status != "drafted" || m.signing {
		return reject(MOUNotAwaitingEmployer, "")
	}
	return in.checkEvidence(m.st.Doc.SHA256, "MOU")
}

func (m *mou) sign(ctx workflow.Context, in MOUSignInput) error {
	m.signing = true
	defer func() { m.signing = false }()
	sha, _ := links.HexSHA(in.DocumentSHA256)
	now := workflow.Now(ctx)
	rec := m.record(ctx, "employer_signed", nil)
	rec.Signature = &facts.SignatureFact{DocumentID: m.st.Doc.DocumentID, DocumentSHA256: sha, Role: "employer",
		SignerRef: in.By.Ref, TypedName: strings.TrimSpace(in.TypedName), ConsentAt: in.ConsentAt, SignedAt: now,
		IP: in.IP, UserAgent: in.UserAgent, LinkID: in.LinkID}
	key := "approval_request"
	if m.calendar >= mouCalendarVersion { // signed again after a return: a new request, not a duplicate
		key += ":" + itoa(int64(m.st.Seq+1))
	}
	rec.Messages = []messaging.Request{m.message(workflow.Now(ctx), key, "mou_approver", "mou_approval_request")}
	if err := m.write(ctx, rec); err != nil {
		return err
	}
	m.st.Status, m.st.Reminders = "employer_signed", 0
	return nil
}

func (m *mou) validateApprove(in MOUApproveInput) error {
	if m.st.Status != "employer_signed" {
		return reject(MOUNotAwaitingDistrict, "")
	}
	if !in.Approve {
		if strings.TrimSpace(in.Reason) == "" {
			return reject(MOUReasonRequired, "reason")
		}
		return nil
	}
	if _, err := time.Parse(time.DateOnly, in.ImplementationDate); err != nil {
		return reject(MOUImplementationDateNeeded, "implementation_date")
	}
	return nil
}

func (m *mou) approve(ctx workflow.Context, in MOUApproveInput) error {
	if !in.Approve {
		return m.sendBack(ctx, in)
	}
	rec := m.record(ctx, "approved", &in.By)
	rec.ImplementationDate = in.ImplementationDate
	if err := m.write(ctx, rec); err != nil {
		return err
	}
	m.st.Status, m.st.ImplementationDate = "approved", in.ImplementationDate
	return nil
}

// sendBack returns the MOU to the employer: the employer gets the reason
// and a new signing link at once, and the audit entry keeps the reason.
func (m *mou) sendBack(ctx workflow.Context, in MOUApproveInput) error {
	rec := m.record(ctx, "drafted", &in.By)
	rec.Reason = in.Reason
	if m.calendar < mouCalendarVersion {
		if err := m.write(ctx, rec); err != nil {
			return err
		}
		// The reminder loop asks the employer again at once, with the reason.
		m.st.Status, m.st.Reminders, m.sentBack = "drafted", 0, in.Reason
		return nil
	}
	m.sentBack = in.Reason
	rec.Messages = []messaging.Request{m.message(workflow.Now(ctx), "returned:"+itoa(int64(m.st.Seq+1)), "employer", "mou_returned")}
	if err := m.write(ctx, rec); err != nil {
		return err
	}
	// Asked already: the next reminder comes on the ladder.
	m.st.Status, m.st.Reminders = "drafted", 1
	return nil
}

// runApproved tells every waiting journey (and each that registers later),
// then marks the MOU active on its implementation date and expired at the
// end of the program year.
func (m *mou) runApproved(ctx workflow.Context) (MOUStatus, error) {
	impl, _ := time.Parse(time.DateOnly, m.st.ImplementationDate)
	expires := time.Date(m.in.ProgramYear, time.September, 1, 0, 0, 0, 0, time.UTC)
	if end, err := time.Parse(time.DateOnly, m.st.TermEnd); err == nil && m.calendar >= mouCalendarVersion {
		expires = end.AddDate(0, 0, 1) // the day after the term's last day
	}
	for {
		m.notifyWaiting(ctx)
		now := workflow.Now(ctx)
		next, status := expires, "expired"
		if m.st.Status == "approved" && now.Before(impl) {
			next, status = impl, "active"
		} else if m.st.Status == "approved" {
			next, status = now, "active"
		}
		seen := len(m.st.Waiting)
		fired, err := workflow.AwaitWithTimeout(ctx, next.Sub(now), func() bool { return len(m.st.Waiting) != seen })
		if err != nil {
			return MOUStatus{}, err
		}
		if fired {
			continue
		}
		if err := m.write(ctx, m.record(ctx, status, nil)); err != nil {
			return MOUStatus{}, err
		}
		m.st.Status = status
		if status == "expired" {
			err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
			return MOUStatus{Status: status, ImplementationDate: m.st.ImplementationDate}, err
		}
	}
}

// notifyWaiting signals journeys not yet told; each is told once.
func (m *mou) notifyWaiting(ctx workflow.Context) {
	sig := MOUApprovedSignal{EmployerID: m.in.EmployerID, ImplementationDate: m.st.ImplementationDate}
	for _, id := range m.st.Waiting {
		if !contains(m.st.Notified, id) {
			// A journey that has closed meanwhile just misses the signal.
			workflow.SignalExternalWorkflow(ctx, id, "", SignalMOUApproved, sig)
			m.st.Notified = append(m.st.Notified, id)
		}
	}
}

// remind waits for the next reminder time (or a state change) and sends
// the reminders due then: the employer until it signs, the approver after,
// and district ops once escalation season (January) has begun.
func (m *mou) remind(ctx workflow.Context) error {
	status := m.st.Status
	now := workflow.Now(ctx)
	if m.st.Reminders > 0 || status == "employer_signed" {
		wait := m.interval(now)
		if _, err := workflow.AwaitWithTimeout(ctx, wait, func() bool { return m.st.Status != status }); err != nil {
			return err
		}
		if m.st.Status != status {
			return nil
		}
	}
	if m.serial >= mouSerialWritesVersion {
		// A decision being written (the employer's signature, the
		// district's approval or return) changes the status: remind after
		// it, of the new one.
		if err := workflow.Await(ctx, func() bool { return !m.writing }); err != nil {
			return err
		}
		if m.st.Status != status {
			return nil
		}
	}
	m.st.Reminders++
	rec := m.record(ctx, status, nil)
	n := itoa(int64(m.st.Reminders))
	if m.calendar >= mouCalendarVersion { // a returned MOU starts its reminders again: keep their keys apart
		n += ":" + itoa(int64(m.st.Seq+1))
	}
	if status == "drafted" {
		template := "mou_sign_request"
		if m.st.Reminders > 1 {
			template = "mou_reminder"
		}
		rec.Messages = append(rec.Messages, m.message(workflow.Now(ctx), status+":"+n, "employer", template))
	} else {
		rec.Messages = append(rec.Messages, m.message(workflow.Now(ctx), status+":"+n, "mou_approver", "mou_approval_request"))
	}
	if m.escalating(workflow.Now(ctx)) {
		rec.Messages = append(rec.Messages, m.message(workflow.Now(ctx), status+":ops:"+n, "district_ops", "mou_escalation"))
	}
	return m.write(ctx, rec)
}

// interval is the time to the next reminder: by the ladder's cadence for
// the days left before the planned start.
func (m *mou) interval(now time.Time) time.Duration {
	if m.calendar < mouCalendarVersion {
		return m.seasonInterval(now)
	}
	left := Days(m.start().Sub(now).Hours() / 24)
	days := Days(14)
	for _, c := range m.ladder.Cadence {
		if c.Within == 0 || left <= c.Within {
			days = c.Every
			break
		}
	}
	return days.Duration(Program{TimeScale: m.in.TimeScale}.scale())
}

// seasonInterval is the interval of MOUs drafted before the calendar
// version: every two weeks in the fall, weekly from January, every three
// days from April.
func (m *mou) seasonInterval(now time.Time) time.Duration {
	days := Days(14)
	switch {
	case !now.Before(time.Date(m.in.ProgramYear, time.April, 1, 0, 0, 0, 0, time.UTC)):
		days = 3
	case !now.Before(time.Date(m.in.ProgramYear, time.January, 1, 0, 0, 0, 0, time.UTC)):
		days = 7
	}
	return days.Duration(Program{TimeScale: m.in.TimeScale}.scale())
}

// escalating reports whether district ops should hear of the MOU (still
// not approved, as remind is only called before approval): when the
// planned start is near (before the calendar version: from January).
func (m *mou) escalating(now time.Time) bool {
	if m.calendar < mouCalendarVersion {
		return !now.Before(time.Date(m.in.ProgramYear, time.January, 1, 0, 0, 0, 0, time.UTC))
	}
	return !now.Before(m.start().Add(-m.ladder.EscalateWithin.Duration(1)))
}

// start is the day interns start: the approved implementation date, else
// the planned start from the program calendar, else June 1 of the program
// year (MOUs drafted before the planned start was kept).
func (m *mou) start() time.Time {
	for _, d := range []string{m.st.ImplementationDate, m.st.PlannedStart} {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			return t
		}
	}
	return time.Date(m.in.ProgramYear, time.June, 1, 0, 0, 0, 0, time.UTC)
}

// signBy is the day the employer is asked to have signed: the ladder's
// SignBefore days ahead of the start, or (that day passed) a week from
// now, never after the start itself.
func (m *mou) signBy(now time.Time) time.Time {
	start := m.start()
	by := start.Add(-m.ladder.SignBefore.Duration(1))
	if today := now.Truncate(24 * time.Hour); by.Before(today) {
		by = today.AddDate(0, 0, 7)
	}
	if by.After(start) {
		by = start
	}
	return by
}

// termEnd is the MOU's last day (before it was kept: August 31 of the
// program year).
func (m *mou) termEnd() string {
	if m.st.TermEnd != "" {
		return m.st.TermEnd
	}
	return time.Date(m.in.ProgramYear, time.August, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (m *mou) message(now time.Time, key, kind, template string) messaging.Request {
	ref := m.in.DistrictID
	if kind == "employer" {
		ref = m.in.EmployerID
	}
	req := messaging.Request{
		IdemKey: MOUWorkflowID(m.in.EmployerID, m.in.ProgramYear) + ":" + key, DistrictID: m.in.DistrictID,
		To: messaging.Recipient{Kind: kind, Ref: ref}, Template: template,
		Params: map[string]string{"program_year": itoa(int64(m.in.ProgramYear)), "employer_name": m.st.EmployerName,
			// Dates go as 2006-01-02; templates write them in the reader's language.
			"implementation_date": m.start().Format(time.DateOnly),
			"sign_by":             m.signBy(now).Format(time.DateOnly),
			"term_end":            m.termEnd(), "mou_status": m.st.Status},
	}
	if m.sentBack != "" {
		req.Params["reason"] = m.sentBack
	}
	if kind == "employer" {
		req.Link = &messaging.LinkSpec{Action: "sign_mou", SubjectRef: m.in.EmployerID, DocumentSHA256: m.st.Doc.SHA256, SingleUse: true}
	}
	req.Wait, req.WaitParty = m.waitFor(kind)
	return req
}

// The MOU's waits: the employer's signature, then the district's
// approval. Its messages go out only while theirs is open.
const (
	mouEmployerWait = "employer_sign"
	mouApproverWait = "approval"
)

// waitFor is the wait a message to kind serves: the employer's and the
// approver's their own, an ops escalation whichever is open.
func (m *mou) waitFor(kind string) (key, party string) {
	switch kind {
	case "employer":
		return m.waitKey(mouEmployerWait), "employer"
	case "mou_approver":
		return m.waitKey(mouApproverWait), string(PartyMOU)
	}
	return m.waitKey(m.openWait(m.st.Status)), ""
}

func (m *mou) waitKey(name string) string {
	return MOUWorkflowID(m.in.EmployerID, m.in.ProgramYear) + ":" + name
}

// openWait is the wait open in a status ("" once approved).
func (m *mou) openWait(status string) string {
	switch status {
	case "drafted":
		return mouEmployerWait
	case "employer_signed":
		return mouApproverWait
	}
	return ""
}

// waits is the MOU's wait set once it is in status.
func (m *mou) waits(status string) *facts.WaitSet {
	set := &facts.WaitSet{Owner: "mou:" + MOUWorkflowID(m.in.EmployerID, m.in.ProgramYear), Waits: []facts.OpenWait{}}
	if name := m.openWait(status); name != "" {
		party := "employer"
		if name == mouApproverWait {
			party = string(PartyMOU)
		}
		set.Waits = append(set.Waits, facts.OpenWait{Key: m.waitKey(name), Party: party, AskedAt: m.asked})
	}
	return set
}

func (m *mou) record(ctx workflow.Context, status string, by *Actor) activities.MOURecord {
	if status != m.st.Status || m.asked.IsZero() {
		m.asked = workflow.Now(ctx) // a new party is asked (or the first one)
	}
	rec := activities.MOURecord{EmployerID: m.in.EmployerID, ProgramYear: m.in.ProgramYear, Status: status,
		ImplementationDate: m.st.ImplementationDate, Waits: m.waits(status)}
	if by != nil {
		rec.StaffID = by.Ref
	}
	return rec
}

// write records one change. Writes wait for the one in flight: the row
// and the open waits must end as the workflow's last change left them.
func (m *mou) write(ctx workflow.Context, rec activities.MOURecord) error {
	if m.serial >= mouSerialWritesVersion {
		if err := workflow.Await(ctx, func() bool { return !m.writing }); err != nil {
			return err
		}
		m.writing = true
		defer func() { m.writing = false }()
	}
	m.st.Seq++
	rec.Key = MOUWorkflowID(m.in.EmployerID, m.in.ProgramYear) + ":" + itoa(int64(m.st.Seq))
	return write(ctx, mouRecordOptions, a.RecordMOU, rec).Get(ctx, nil)
}

// continueAsNew keeps a long-lived MOU's history small (a big employer can
// have hundreds of journeys registering).
func (m *mou) continueAsNew(ctx workflow.Context) bool {
	return workflow.GetInfo(ctx).GetContinueAsNewSuggested() && workflow.AllHandlersFinished(ctx)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
