package workflows

import (
	"strconv"
	"strings"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/found"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// Student-found placements: at the applying stage a student (or their
// coordinator for them) reports an internship they found themselves. The
// coordinator vets it (or sends it back for changes), the supervisor
// confirms it from a link, and from there the journey goes on exactly as
// for an accepted offer: the placement fact, then the MOU gate (district
// pays), permit, trainings, work and completion.

// versionStudentFound marks journeys that took a found-placement report;
// journeys that never do replay unchanged (no marker, no new commands).
const versionStudentFound = "student-found-placement"

// Placement sources (placements.source): how the student was placed.
const (
	SourcePosting      = "posting"
	SourceStudentFound = "student_found"
)

// Where a found placement stands.
const (
	FoundSubmitted          = "submitted"
	FoundChangesRequested   = "changes_requested"
	FoundAwaitingSupervisor = "awaiting_supervisor"
	FoundConfirmed          = "confirmed"
	FoundDeclined           = "declined"
)

// FoundDetails is the placement as the student reports it (internal/found).
type FoundDetails = found.Details

// FieldProblem is one field of a report that cannot be accepted.
type FieldProblem = found.Problem

// FoundPlacementInput is a student's report (or a coordinator's on their
// behalf; a resubmission after changes replaces the last).
type FoundPlacementInput struct {
	By      Actor        `json:"by"`
	Details FoundDetails `json:"details"`
}

// FoundPlacementResult names the report.
type FoundPlacementResult struct {
	FoundID string `json:"found_id"`
}

// FoundChecklist is what the coordinator checks before approving.
var FoundChecklist = []string{"worksite", "supervisor", "pay", "hours", "duties"}

// VetFoundInput is the coordinator's decision on a report. On approval,
// EmployerID and SupervisorID choose an existing employer and supervisor
// ("" creates them); Funding says who pays the wages.
type VetFoundInput struct {
	By           Actor    `json:"by"`
	Approve      bool     `json:"approve"`
	Checked      []string `json:"checked,omitempty"`
	Comment      string   `json:"comment,omitempty"`
	EmployerID   string   `json:"employer_id,omitempty"`
	SupervisorID string   `json:"supervisor_id,omitempty"`
	Funding      string   `json:"funding,omitempty"` // employer_paid (default), district_cte, city_program
}

// ConfirmFoundInput is the supervisor confirming (or declining, with the
// reason the student and coordinator are told).
type ConfirmFoundInput struct {
	By      Actor  `json:"by"`
	Confirm bool   `json:"confirm"`
	Reason  string `json:"reason,omitempty"`
}

// FoundStatus is the report in the status query.
type FoundStatus struct {
	ID      string       `json:"id"`
	Status  string       `json:"status"`
	Details FoundDetails `json:"details"`
	Comment string       `json:"comment,omitempty"`
	Reason  string       `json:"reason,omitempty"`
}

// maxDeclineReason keeps the student's text about a decline to two SMS
// segments.
const maxDeclineReason = 120

type foundReport struct {
	ID       string
	Round    int
	Details  FoundDetails
	Status   string
	Comment  string
	Reason   string
	Changes  int
	Posting  facts.PostingInfo
	watching bool
}

// open reports waits on someone (not over, either way).
func (f *foundReport) open() bool {
	return f != nil && f.Status != FoundDeclined && f.Status != FoundConfirmed
}

func (j *journey) foundOpen() bool { return j.found.open() }

func (j *journey) foundID(round int) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("internflow:found:"+j.in.JourneyID+":"+strconv.Itoa(round))).String()
}

func (j *journey) validateReportFound(in FoundPlacementInput) error {
	if err := j.atStage("reporting an internship you found", StageApplying); err != nil {
		return err
	}
	if j.placement != nil {
		return reject(FoundHasPlacement, "")
	}
	if j.found != nil {
		switch j.found.Status {
		case FoundSubmitted:
			return reject(FoundCoordinatorChecking, "")
		case FoundAwaitingSupervisor:
			return reject(FoundSupervisorConfirming, "")
		}
	}
	if ps := found.Check(in.Details); len(ps) > 0 {
		return reject(FoundDetailsInvalid, ps[0].Field, ps[0].Message)
	}
	return nil
}

func (j *journey) reportFound(ctx workflow.Context, in FoundPlacementInput) (FoundPlacementResult, error) {
	workflow.GetVersion(ctx, versionStudentFound, workflow.DefaultVersion, 1)
	if j.found == nil || j.found.Status == FoundDeclined {
		round := 1
		if j.found != nil {
			round = j.found.Round + 1
		}
		j.found = &foundReport{ID: j.foundID(round), Round: round}
	}
	f := j.found
	f.Details, f.Status, f.Reason = in.Details, FoundSubmitted, ""
	if j.ms.Applied == nil {
		now := workflow.Now(ctx)
		j.ms.Applied = &now
	}
	j.note(ctx, "found_reported", in.By, map[string]string{"found_id": f.ID})
	return FoundPlacementResult{FoundID: f.ID}, j.flush(ctx, nil, j.foundFact(in.By))
}

// foundFact writes the report as it stands now.
func (j *journey) foundFact(by Actor) func(*facts.Record) {
	f := j.found
	fact := &facts.FoundPlacementFact{ID: f.ID, Status: f.Status, Details: f.Details, Comment: f.Comment, Reason: f.Reason,
		PostingID: f.Posting.ID, ActorKind: by.Kind, ActorRef: by.Ref}
	return func(r *facts.Record) { r.FoundPlacement = fact }
}

func (j *journey) validateVetFound(in VetFoundInput) error {
	if err := j.atStage("vetting a reported internship", StageApplying); err != nil {
		return err
	}
	if j.found == nil || j.found.Status != FoundSubmitted {
		return reject(FoundNoneWaiting, "")
	}
	if in.By.Kind != "staff" {
		return reject(FoundStaffOnly, "")
	}
	if !in.Approve {
		if strings.TrimSpace(in.Comment) == "" {
			return reject(FoundCommentRequired, "comment")
		}
		return nil
	}
	for _, c := range FoundChecklist {
		if !containsString(in.Checked, c) {
			return reject(FoundCheckRequired, "checked", c)
		}
	}
	switch in.Funding {
	case "", "employer_paid", "district_cte", "city_program":
	default:
		return reject(FoundFundingUnknown, "funding", in.Funding)
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (j *journey) vetFound(ctx workflow.Context, in VetFoundInput) error {
	f := j.found
	if !in.Approve {
		f.Status, f.Comment = FoundChangesRequested, strings.TrimSpace(in.Comment)
		f.Changes++
		j.note(ctx, "found_changes_requested", in.By, map[string]string{"found_id": f.ID})
		return j.flush(ctx, nil, j.foundFact(in.By))
	}
	funding := in.Funding
	if funding == "" {
		funding = "employer_paid"
	}
	rin := facts.FoundResolve{FoundID: f.ID, JourneyID: j.in.JourneyID, DistrictID: j.in.DistrictID, ProgramID: j.in.ProgramID,
		Details: f.Details, EmployerID: in.EmployerID, SupervisorID: in.SupervisorID, Funding: funding}
	opts := recordOptions
	opts.Summary = "create or match the employer, supervisor and worksite of a student-found placement"
	var p facts.PostingInfo
	if err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), a.ResolveFoundPlacement, rin).Get(ctx, &p); err != nil {
		return reject(FoundEmployerNotRecorded, "employer_id", err)
	}
	f.Posting, f.Status, f.Comment = p, FoundAwaitingSupervisor, ""
	j.note(ctx, "found_approved", in.By, map[string]string{"found_id": f.ID, "employer_id": p.EmployerID})
	return j.flush(ctx, nil, j.foundFact(in.By))
}

func (j *journey) validateConfirmFound(in ConfirmFoundInput) error {
	if err := j.atStage("confirming this internship", StageApplying); err != nil {
		return err
	}
	if j.found == nil || j.found.Status != FoundAwaitingSupervisor {
		return reject(FoundNotAwaitingSupervisor, "")
	}
	reason := strings.TrimSpace(in.Reason)
	if !in.Confirm && reason == "" {
		return reject(FoundReasonRequired, "reason")
	}
	if len([]rune(reason)) > maxDeclineReason {
		return reject(FoundReasonTooLong, "reason", maxDeclineReason)
	}
	return nil
}

func (j *journey) confirmFound(ctx workflow.Context, in ConfirmFoundInput) error {
	f := j.found
	if !in.Confirm {
		f.Status, f.Reason = FoundDeclined, strings.TrimSpace(in.Reason)
		j.note(ctx, "found_declined", in.By, map[string]string{"found_id": f.ID})
		params := map[string]string{"employer_name": f.Details.EmployerName, "reason": f.Reason}
		msgs := []messaging.Request{
			j.message("found:"+f.ID+":declined", PartyStudent, "found_declined", params,
				&messaging.LinkSpec{Action: "report_found_placement", SubjectRef: f.ID}),
			j.message("found:"+f.ID+":declined:coordinator", PartyCoordinator, "found_declined_staff", params, nil),
		}
		return j.flush(ctx, msgs, j.foundFact(in.By))
	}
	f.Status = FoundConfirmed
	var appFacts []facts.ApplicationFact
	// Open applications are withdrawn: the student is placed.
	for _, other := range j.apps {
		if other.open() {
			other.Status = "withdrawn"
			appFacts = append(appFacts, facts.ApplicationFact{ID: other.ID, PostingID: other.Posting.ID, Status: "withdrawn"})
		}
	}
	p := f.Posting
	j.placement = &placement{Info: p, PlacementFact: facts.PlacementFact{
		PostingID: p.ID, EmployerID: p.EmployerID, SupervisorID: p.SupervisorID, WorksiteID: p.WorksiteID,
		FundingSource: p.FundingSource, HoursRequired: j.in.Program.RequiredHours, Title: p.Title, Source: SourceStudentFound,
	}}
	now := workflow.Now(ctx)
	j.ms.Placed = &now
	j.note(ctx, "found_confirmed", in.By, map[string]string{"found_id": f.ID, "employer_id": p.EmployerID})
	msgs := []messaging.Request{j.message("found:"+f.ID+":confirmed", PartyStudent, "found_confirmed",
		map[string]string{"employer_name": f.Details.EmployerName}, nil)}
	return j.flush(ctx, msgs, j.foundFact(in.By), func(r *facts.Record) {
		r.Applications = appFacts
		r.Placement = &j.placement.PlacementFact
	})
}

// watchFound runs the ladder of whoever the report waits on, phase by
// phase, until the supervisor confirms or declines (or the student is
// placed some other way).
func (j *journey) watchFound(ctx workflow.Context, f *foundReport) error {
	defer func() { f.watching = false }()
	for f.open() && j.found == f && j.placement == nil {
		status, changes := f.Status, f.Changes
		phase := func() bool { return f.Status != status || f.Changes != changes || j.found != f || j.placement != nil }
		var w *wait
		params := map[string]string{"employer_name": f.Details.EmployerName}
		switch status {
		case FoundSubmitted:
			w = j.newWait(ctx, "found_vetting:"+f.ID+":"+strconv.Itoa(changes), "found_vetting", PartyCoordinator, phase).with(params)
		case FoundChangesRequested:
			w = j.newWait(ctx, "found_changes:"+f.ID+":"+strconv.Itoa(changes), "found_changes", PartyStudent, phase).
				with(params).withLink("report_found_placement", f.ID)
			w.link.SingleUse = false // the form may be sent back more than once
		case FoundAwaitingSupervisor:
			w = j.newWait(ctx, "found_confirm:"+f.ID, "found_confirm", PartyEmployer, phase).with(params)
			w.to = f.supervisor()
			w.link = &messaging.LinkSpec{Action: "confirm_found_placement", SubjectRef: f.ID}
		default:
			return nil
		}
		if err := j.stepThrough(ctx, w, ""); err != nil {
			return err
		}
	}
	return nil
}

// supervisor is who confirms the placement.
func (f *foundReport) supervisor() messaging.Recipient {
	if f.Posting.SupervisorID != "" {
		return messaging.Recipient{Kind: "supervisor", Ref: f.Posting.SupervisorID}
	}
	return messaging.Recipient{Kind: "employer", Ref: f.Posting.EmployerID}
}

func (j *journey) foundStatus() *FoundStatus {
	if j.found == nil {
		return nil
	}
	f := j.found
	return &FoundStatus{ID: f.ID, Status: f.Status, Details: f.Details, Comment: f.Comment, Reason: f.Reason}
}

// foundLadders are the found-placement waits' ladders: a program defined
// before they existed uses these.
func foundLadders() map[string]Ladder {
	return map[string]Ladder{
		"found_vetting": {{After: 0, Template: "found_vetting_request"}, {After: 3, Template: "found_vetting_request", Escalate: true}},
		"found_changes": {{After: 0, Template: "found_changes_request"}, {After: 3, Template: "found_changes_request"}, {After: 7, Template: "found_changes_request"}, escalate(10)},
		"found_confirm": {{After: 0, Template: "found_confirm_request"}, {After: 3, Template: "found_confirm_request"}, {After: 6, Template: "found_confirm_request"}, escalate(8)},
	}
}
