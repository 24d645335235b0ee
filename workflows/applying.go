package workflows

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/workflows/facts"
)

// Applying: the student applies to postings (several at once), employers
// decide, the student accepts an offer. A rejection leaves them applying.

// ApplyInput is a student's application to a posting.
type ApplyInput struct {
	By        Actor  `json:"by"`
	PostingID string `json:"posting_id"`
}

// ApplyResult names the new application.
type ApplyResult struct {
	ApplicationID string `json:"application_id"`
}

// DecisionInput is the employer moving an application along.
type DecisionInput struct {
	By            Actor  `json:"by"`
	ApplicationID string `json:"application_id"`
	Status        string `json:"status"` // reviewing, interview, offer, declined
	Note          string `json:"note"`
}

// AcceptOfferInput is the student accepting an offer.
type AcceptOfferInput struct {
	By            Actor  `json:"by"`
	ApplicationID string `json:"application_id"`
}

// ApplicationStatus is one application in the status query.
type ApplicationStatus struct {
	ID        string `json:"id"`
	PostingID string `json:"posting_id"`
	Title     string `json:"title"`
	Status    string `json:"status"`
}

type application struct {
	ID       string
	Posting  facts.PostingInfo
	Status   string
	watching bool
}

// open applications still wait on someone.
func (a *application) open() bool {
	return a.Status == "submitted" || a.Status == "reviewing" || a.Status == "interview" || a.Status == "offer"
}

func (a *application) undecided() bool {
	return a.Status == "submitted" || a.Status == "reviewing" || a.Status == "interview"
}

func (a *application) guaranteed() bool { return a.Posting.SpotType == "guaranteed" }

func (a *application) employer() messaging.Recipient {
	if a.Posting.SupervisorID != "" {
		return messaging.Recipient{Kind: "supervisor", Ref: a.Posting.SupervisorID}
	}
	return messaging.Recipient{Kind: "employer", Ref: a.Posting.EmployerID}
}

type placement struct {
	facts.PlacementFact
	Info facts.PostingInfo
}

// needsMOU: district-funded wages need the employer's MOU, unless the
// district itself is the employer.
func (p *placement) needsMOU() bool {
	return p.FundingSource == "district_cte" && !p.Info.EmployerIsDistrict
}

func (p *placement) contact() messaging.Recipient {
	if p.SupervisorID != "" {
		return messaging.Recipient{Kind: "supervisor", Ref: p.SupervisorID}
	}
	return messaging.Recipient{Kind: "employer", Ref: p.EmployerID}
}

// applicationID is deterministic per journey and posting.
func (j *journey) applicationID(postingID string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("internflow:application:"+j.in.JourneyID+":"+postingID)).String()
}

func (j *journey) app(id string) *application {
	for _, a := range j.apps {
		if a.ID == id {
			return a
		}
	}
	return nil
}

func (j *journey) openApps() int {
	n := 0
	for _, a := range j.apps {
		if a.open() {
			n++
		}
	}
	return n
}

func (j *journey) validateApply(in ApplyInput) error {
	if err := j.atStage("applying", StageApplying); err != nil {
		return err
	}
	if strings.TrimSpace(in.PostingID) == "" {
		return reject(ApplyPostingRequired, "posting_id")
	}
	if j.app(j.applicationID(in.PostingID)) != nil {
		return reject(ApplyAlreadyApplied, "posting_id")
	}
	if max := j.in.Program.MaxApplications; max > 0 && j.openApps() >= max {
		return reject(ApplyTooManyOpen, "", max)
	}
	return nil
}

var loadOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 10 * time.Second,
	RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 5, NonRetryableErrorTypes: []string{"InvalidInput"}},
}

func (j *journey) apply(ctx workflow.Context, in ApplyInput) (ApplyResult, error) {
	var p facts.PostingInfo
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, loadOptions), a.LoadPosting, in.PostingID).Get(ctx, &p)
	if err != nil {
		return ApplyResult{}, reject(ApplyPostingUnknown, "posting_id")
	}
	if p.Status != "published" || p.DistrictID != j.in.DistrictID {
		return ApplyResult{}, reject(ApplyPostingClosed, "posting_id")
	}
	if p.Deadline != nil && workflow.Now(ctx).After(p.Deadline.Add(24*time.Hour)) {
		return ApplyResult{}, reject(ApplyDeadlinePassed, "posting_id")
	}
	id := j.applicationID(in.PostingID)
	if j.app(id) != nil || j.stage != StageApplying { // raced with another submit
		return ApplyResult{}, reject(ApplyAlreadyApplied, "posting_id")
	}
	app := &application{ID: id, Posting: p, Status: "submitted"}
	var msgs []messaging.Request
	if app.guaranteed() {
		// A guaranteed spot is an offer the moment the student asks: their
		// fallback, held while competitive applications play out.
		app.Status = "offer"
		msgs = append(msgs, j.message("application:"+id+":offer", PartyStudent, "application_update",
			map[string]string{"posting_title": p.Title, "status": "offer"},
			&messaging.LinkSpec{Action: "accept_offer", SubjectRef: id, SingleUse: true}))
	}
	j.apps = append(j.apps, app)
	if j.ms.Applied == nil {
		now := workflow.Now(ctx)
		j.ms.Applied = &now
	}
	j.note(ctx, "applied", in.By, map[string]string{"application_id": id, "posting_id": p.ID})
	return ApplyResult{ApplicationID: id}, j.flush(ctx, msgs, func(r *facts.Record) {
		r.Applications = []facts.ApplicationFact{{ID: id, PostingID: p.ID, Status: app.Status}}
	})
}

// decisions allowed from each status.
var nextStatus = map[string][]string{
	"submitted": {"reviewing", "interview", "offer", "declined"},
	"reviewing": {"interview", "offer", "declined"},
	"interview": {"offer", "declined"},
	"offer":     {"declined"},
}

func (j *journey) validateDecision(in DecisionInput) error {
	if err := j.atStage("a hiring decision", StageApplying); err != nil {
		return err
	}
	app := j.app(in.ApplicationID)
	if app == nil {
		return reject(ApplicationUnknown, "application_id")
	}
	if !slices.Contains(nextStatus[app.Status], in.Status) {
		return reject(ApplicationCannotMove, "status", app.Status, in.Status)
	}
	if in.By.Kind == "student" && (app.Status != "offer" || in.Status != "declined") {
		return reject(ApplicationNoOpenOffer, "status")
	}
	return nil
}

func (j *journey) decide(ctx workflow.Context, in DecisionInput) error {
	app := j.app(in.ApplicationID)
	app.Status = in.Status
	j.note(ctx, "application_"+in.Status, in.By, map[string]string{"application_id": app.ID})
	params := map[string]string{"posting_title": app.Posting.Title, "status": in.Status}
	// Every update opens a page: the offer to accept, or the application
	// with the employer's interview note (time, place, address).
	link := &messaging.LinkSpec{Action: "application_details", SubjectRef: app.ID}
	if in.Status == "offer" {
		link = &messaging.LinkSpec{Action: "accept_offer", SubjectRef: app.ID, SingleUse: true}
	}
	// The student hears of every change by text, except the one they made
	// themselves (declining an offer): that would read "not selected".
	var msgs []messaging.Request
	if in.By.Kind != "student" {
		msgs = append(msgs, j.message("application:"+app.ID+":"+in.Status, PartyStudent, "application_update", params, link))
	}
	return j.flush(ctx, msgs, func(r *facts.Record) {
		r.Applications = []facts.ApplicationFact{{ID: app.ID, PostingID: app.Posting.ID, Status: in.Status, Note: in.Note}}
	})
}

func (j *journey) validateAcceptOffer(in AcceptOfferInput) error {
	if err := j.atStage("accepting an offer", StageApplying); err != nil {
		return err
	}
	app := j.app(in.ApplicationID)
	if app == nil || app.Status != "offer" {
		return reject(ApplicationNoOpenOffer, "application_id")
	}
	return nil
}

func (j *journey) acceptOffer(ctx workflow.Context, in AcceptOfferInput) error {
	app := j.app(in.ApplicationID)
	app.Status = "accepted"
	appFacts := []facts.ApplicationFact{{ID: app.ID, PostingID: app.Posting.ID, Status: "accepted"}}
	// Other open applications are withdrawn: the student is placed.
	for _, other := range j.apps {
		if other != app && other.open() {
			other.Status = "withdrawn"
			appFacts = append(appFacts, facts.ApplicationFact{ID: other.ID, PostingID: other.Posting.ID, Status: "withdrawn"})
		}
	}
	p := app.Posting
	j.placement = &placement{Info: p, PlacementFact: facts.PlacementFact{
		ApplicationID: app.ID, PostingID: p.ID, EmployerID: p.EmployerID, SupervisorID: p.SupervisorID,
		WorksiteID: p.WorksiteID, FundingSource: p.FundingSource, HoursRequired: j.in.Program.RequiredHours, Title: p.Title,
		Source: SourcePosting,
	}}
	now := workflow.Now(ctx)
	j.ms.Placed = &now
	j.note(ctx, "offer_accepted", in.By, map[string]string{"application_id": app.ID, "employer_id": p.EmployerID})
	return j.flush(ctx, nil, func(r *facts.Record) {
		r.Applications = appFacts
		r.Placement = &j.placement.PlacementFact
	})
}

// runApplying watches every application (employer decision ladder, offer
// ladder) and nudges the student whenever nothing is open, until an offer
// is accepted.
func (j *journey) runApplying(ctx workflow.Context) error {
	// Intern Ready: the trainings need not wait for a placement.
	if err := j.openTrainings(ctx); err != nil {
		return err
	}
	round := 0
	var firstErr error
	// Version 1: placed only once the acceptance is written, because the
	// next stage (the permit) reads the placement from the database.
	// Journeys that started applying on version 0 keep the old ordering.
	written := workflow.GetVersion(ctx, "placed-after-write", workflow.DefaultVersion, 1) == 1
	placed := func() bool { return j.placement != nil && (!written || j.inflight == 0) }
	// Version 1: an accepted offer leaves no application open while its
	// write is in flight; that is not "nothing open, nudge to apply".
	quietWhilePlacing := workflow.GetVersion(ctx, "no-applying-nudge-after-accept", workflow.DefaultVersion, 1) == 1
	// Version 1: "you are Intern Ready, start applying" already opens the
	// postings, so the first applying round starts at its first reminder
	// instead of texting "internships are open, apply" seconds later.
	badgeOpensApplying := workflow.GetVersion(ctx, "badge-approved-opens-applying", workflow.DefaultVersion, 1) == 1
	for !placed() && firstErr == nil {
		for _, app := range j.apps {
			if !app.watching && app.open() {
				app.watching = true
				workflow.Go(ctx, func(ctx workflow.Context) {
					if err := j.watchApplication(ctx, app); err != nil && firstErr == nil {
						firstErr = err
					}
				})
			}
		}
		// A report of an internship the student found runs its own
		// waits (coordinator, student, supervisor) alongside any
		// applications.
		if f := j.found; f.open() && !f.watching {
			f.watching = true
			workflow.Go(ctx, func(ctx workflow.Context) {
				if err := j.watchFound(ctx, f); err != nil && firstErr == nil {
					firstErr = err
				}
			})
		}
		if quietWhilePlacing && j.placement != nil {
			if err := workflow.Await(ctx, placed); err != nil {
				return err
			}
			continue
		}
		if j.openApps() == 0 && !j.foundOpen() {
			round++
			w := j.newWait(ctx, "applying:"+itoa(int64(round)), "applying", PartyStudent,
				func() bool { return j.openApps() > 0 || placed() || j.foundOpen() }).withLink("apply", "")
			if round == 1 && badgeOpensApplying && j.badge.Approved {
				w.sent = 1
			}
			if err := j.stepThrough(ctx, w, ""); err != nil {
				return err
			}
			continue
		}
		seen, foundSeen := len(j.apps), j.found
		foundWasOpen := j.foundOpen()
		if err := workflow.Await(ctx, func() bool {
			return placed() || (j.openApps() == 0 && !j.foundOpen()) || len(j.apps) != seen || firstErr != nil || j.withdrawn != nil ||
				j.found != foundSeen || j.foundOpen() != foundWasOpen
		}); err != nil {
			return err
		}
		if j.withdrawn != nil {
			return errWithdrawn
		}
	}
	return firstErr
}

// watchApplication runs the employer's decision ladder, then the
// student's offer ladder if it becomes an offer.
func (j *journey) watchApplication(ctx workflow.Context, app *application) error {
	params := map[string]string{"posting_title": app.Posting.Title}
	if app.guaranteed() {
		return j.holdGuaranteedOffer(ctx, app, params)
	}
	decide := j.newWait(ctx, "decision:"+app.ID, "employer_decision", PartyEmployer, func() bool { return !app.undecided() || j.placement != nil }).
		with(params)
	decide.to = app.employer()
	decide.link = &messaging.LinkSpec{Action: "decide_application", SubjectRef: app.ID}
	if err := j.stepThrough(ctx, decide, ""); err != nil || app.Status != "offer" {
		return err
	}
	offer := j.newWait(ctx, "offer:"+app.ID, "offer", PartyStudent, func() bool { return app.Status != "offer" || j.placement != nil }).
		with(params).withLink("accept_offer", app.ID)
	// The decision itself already texted the offer; the ladder follows up.
	offer.sent = 1
	return j.stepThrough(ctx, offer, "")
}

func (j *journey) applicationStatus() []ApplicationStatus {
	out := []ApplicationStatus{}
	for _, a := range j.apps {
		out = append(out, ApplicationStatus{ID: a.ID, PostingID: a.Posting.ID, Title: a.Posting.Title, Status: a.Status})
	}
	return out
}

// holdGuaranteedOffer keeps a guaranteed offer quietly while the student
// has competitive applications open; whenever none are, the offer ladder
// nudges them to take their guaranteed placement (pausing again if they
// apply somewhere competitive meanwhile).
func (j *journey) holdGuaranteedOffer(ctx workflow.Context, app *application, params map[string]string) error {
	competing := func() bool {
		for _, other := range j.apps {
			if other != app && !other.guaranteed() && other.open() {
				return true
			}
		}
		return false
	}
	settled := func() bool { return app.Status != "offer" || j.placement != nil }
	for round := 1; ; round++ {
		if err := workflow.Await(ctx, func() bool { return settled() || !competing() || j.withdrawn != nil }); err != nil {
			return err
		}
		if j.withdrawn != nil {
			return errWithdrawn
		}
		if settled() {
			return nil
		}
		offer := j.newWait(ctx, "offer:"+app.ID+":"+itoa(int64(round)), "offer", PartyStudent,
			func() bool { return settled() || competing() }).with(params).withLink("accept_offer", app.ID)
		if err := j.stepThrough(ctx, offer, ""); err != nil || settled() {
			return err
		}
	}
}
