package transcripts_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// A program day lasts a second and a half: ladders (day 2, 3, 7, 10) and
// timesheet weeks pass in seconds, while each person acts within a
// fraction of a day of being asked, so no reminder fires that the script
// did not wait for.
const timeScale = 57600.0

// programDay is one day of program time in real time.
const programDay = time.Duration(float64(24*time.Hour) / timeScale)

// heldWait is how long a person waits for a request before acting without
// it (the defect is noted). Prompt messages are already in when a step
// settles, so this only has to be short of the first reminder (day 2).
const heldWait = programDay / 3

// knownDefects are findings of issue 17 the transcripts still show while
// other helpers fix them. Remove an entry when its fix is merged: the test
// then fails if the defect comes back. Keys are "<check>:<template>".
var knownDefects = map[string]string{
	// The student is asked for a week's hours when the week is over; the
	// scripts submit each week before its end (as a diligent student does).
	"acted_without_link:submit_timesheet": "the scripts submit each week before the end-of-week request",
}

// script is one scripted journey; its transcript is docs/transcripts/<name>.md.
type script struct {
	name, title, about string
	// language of the student and parent ("en" or "es").
	language string
	// kind is the program kind; funding the posting's funding source.
	kind, funding string
	play          func(*play)
	// rejectPermit: the issuer rejects the first permit and the employer
	// corrects it before everyone signs the new version.
	rejectPermit bool
	// until ends the script when the journey reaches this stage ("": it
	// plays to completion).
	until workflows.Stage
	// earlyTraining: the program requires workplace safety of every
	// intern, and Maya does it before she is hired (an unpaid placement:
	// no work permit).
	earlyTraining bool
	// alone: played before the others rather than beside them (a short
	// script need not add to the load the long ones run under).
	alone bool
}

var scripts = []script{
	{name: "standard_paid_en", title: "Paid summer internship, in English, to completion",
		about: "Maya (16) answers every request from the link she got; her supervisor Dr. Kim has email only and approves 100 hours " +
			"over four weeks. The employer pays (no MOU).", language: "en", kind: "summer_paid", funding: "employer_paid", play: completeJourney},
	{name: "standard_paid_es", title: "Paid summer internship, in Spanish, to completion",
		about:    "The same journey with Maya and her mother Rosa reading Spanish; the supervisor reads English.",
		language: "es", kind: "summer_paid", funding: "employer_paid", play: completeJourney},
	{name: "permit_rejected_corrected", title: "A rejected work permit, corrected by the employer and signed again, in Spanish",
		about: "Ms. Park rejects Maya's first permit (the hours are too many for a 16-year-old); Dr. Kim corrects them from his link; " +
			"Maya, her mother Rosa (both reading Spanish) and Dr. Kim sign version 2, which says why and what changed; everyone hears of the approval.",
		language: "es", kind: "summer_paid", funding: "employer_paid", play: completeJourney, rejectPermit: true, until: workflows.StageTrainings},
	{name: "cte_funded_mou", title: "District-funded (CTE) internship through the employer's MOU",
		about:    "The district pays the wage, so the placement waits for Valley Clinic's MOU: the employer signs it, the district approves it.",
		language: "en", kind: "summer_paid", funding: "district_cte", play: completeJourney},
	{name: "micro_internship", title: "Micro-internship: a short paid project",
		about:    "Maya does a remote project for an employer: no badge, no timesheets; the employer accepts her deliverable.",
		language: "en", kind: "micro", funding: "employer_paid", play: completeJourney},
	{name: "stuck_survey_staff_actions", title: "Stuck: the student never answers the survey; staff act",
		about: "Maya ignores the survey: reminders on day 3 and 7, the coordinator is alerted on day 10. " +
			"Coach Rivera presses Nudge now, then Resend link; Maya texts back a question and HELP, " +
			"Coach Rivera answers from her page, and Maya answers from the newest link.",
		language: "en", kind: "summer_paid", funding: "employer_paid", play: stuckThenStaffAct},
	{name: "supervisor_inbox", title: "Two applications to one supervisor: one reminder, acted on from his inbox",
		about: "Maya applies to two of Valley Clinic's internships, both supervised by Dr. Kim. He hears of each applicant at once; " +
			"five days later, both still waiting, one email reminds him of the two and points to his inbox, where he offers Maya one.",
		language: "en", kind: "summer_paid", funding: "employer_paid", play: supervisorInbox},
	{name: "hour_rules_breached", title: "Hour rules: 40 hours in a school week at 16",
		about: "A school-year program in a California district. Maya (16) logs 8 hours a day, Monday to Friday, in a school week: " +
			"the federal and California rules allow 4 hours on a school day (8 on a Friday) and 28 in the week. Dr. Kim is told " +
			"before approving, Coach Rivera is alerted, and the 16 hours over the limits wait until Coach Rivera counts them.",
		language: "en", kind: "summer_paid", funding: "employer_paid", play: hourRulesBreached},
	{name: "trainings_before_hiring", title: "Trainings before hiring: one done at school, the placement's own asked for",
		about: "The program requires workplace safety of every intern. When Maya is Intern Ready she is told she may do her " +
			"trainings before she is hired, and records it from that link before applying; the clinic's unpaid internship " +
			"(no work permit) adds HIPAA, and the Trainings stage asks her for HIPAA only.",
		language: "en", kind: "summer_paid", funding: "employer_paid", play: completeJourney, until: workflows.StageWorking,
		earlyTraining: true, alone: true},
	{name: "student_found", title: "An internship the student found herself: reported, vetted, confirmed",
		about: "Maya finds a job at Valley Clinic on her own and reports it from the postings page; Coach Rivera asks for the " +
			"exact schedule, Maya fixes it from her text, Coach Rivera approves it with the clinic and supervisor the district " +
			"already has, and Dr. Kim confirms it from his email. The employer pays (no MOU); the work permit follows.",
		language: "en", kind: "summer_paid", funding: "employer_paid", play: studentFound},
}

// TestTranscripts plays every script and compares what people received
// with docs/transcripts/. It fails on a defect not in knownDefects.
func TestTranscripts(t *testing.T) {
	var mu sync.Mutex
	seen, played := map[string]bool{}, 0
	t.Run("scripts", func(t *testing.T) {
		for _, sc := range scripts {
			t.Run(sc.name, func(t *testing.T) {
				if !sc.alone {
					t.Parallel()
				}
				findings := playScript(t, sc)
				mu.Lock()
				defer mu.Unlock()
				played++
				for k := range findings {
					seen[k] = true
				}
			})
		}
	})
	// Every script ran: an allow-listed defect none of them shows is fixed.
	if played == len(scripts) && !t.Failed() {
		for _, key := range slices.Sorted(maps.Keys(knownDefects)) {
			if !seen[key] {
				t.Errorf("%s no longer occurs: remove it from knownDefects", key)
			}
		}
	}
}

// playScript plays one script, checks what people received and compares
// the transcript; it returns the defects found.
func playScript(t *testing.T, sc script) map[string]string {
	p := newPlay(t, sc)
	sc.play(p)
	p.r.settle()
	unsent := p.r.unsent()
	var known []string
	for _, key := range slices.Sorted(maps.Keys(p.r.findings)) {
		detail := p.r.findings[key]
		if why, ok := knownDefects[key]; ok {
			known = append(known, fmt.Sprintf("%s: %s (issue 17: %s)", key, detail, why))
			continue
		}
		t.Errorf("defect %s: %s", key, detail)
	}
	if d, err := compare(sc.name, p.r.markdown(sc, unsent, known)); err != nil {
		t.Errorf("%v\n%s", err, d)
	}
	return p.r.findings
}

// play is one script running: the stack, its people and the recorder.
type play struct {
	t         *testing.T
	s         *apptest.Stack
	f         apptest.Fixture
	sc        script
	r         *recorder
	journeyID string
	posting   string
	program   string
	student   workflows.Actor
	super     workflows.Actor
	coord     workflows.Actor
	ctx       context.Context
}

const (
	studentPhone  = "+15555550142" // apptest.NewFixture's
	guardianPhone = "+15555550143"
	supervisorAt  = "kim@clinic.example.org"
	employerAt    = "hr@clinic.example.org"
	coordinatorAt = "rivera@district.example.org"
	issuerAt      = "park@district.example.org"
	approverAt    = "osei@district.example.org"
)

func newPlay(t *testing.T, sc script) *play {
	s := apptest.New(t, apptest.Options{TimeScale: timeScale})
	f := apptest.NewFixture(t, s.Store, `{}`)
	p := &play{t: t, s: s, f: f, sc: sc, ctx: context.Background(), program: f.Program, posting: f.Posting,
		student: workflows.Actor{Kind: "student", Ref: f.Student}, super: workflows.Actor{Kind: "supervisor", Ref: f.Supervisor},
		coord: workflows.Actor{Kind: "staff", Ref: f.Coordinator}}
	p.exec(`UPDATE students SET language = $2 WHERE id = $1`, f.Student, sc.language)
	p.exec(`UPDATE guardians SET language = $2 WHERE student_id = $1`, f.Student, sc.language)
	p.setUpPosting()
	if sc.earlyTraining {
		p.must(s.Store.CreateTraining(p.ctx, "workplace_safety", "Workplace safety for young workers"))
		p.exec(`UPDATE programs SET definition = '{"trainings": ["workplace_safety"]}' WHERE id = $1`, f.Program)
	}
	p.r = newRecorder(t, s, map[string]string{
		studentPhone: "Maya Lopez (student)", guardianPhone: "Rosa Lopez (parent)", supervisorAt: "Dr. Kim (supervisor)",
		employerAt: "Valley Clinic (employer contact)", coordinatorAt: "Coach Rivera (coordinator)",
		issuerAt: "Ms. Park (permit issuer)", approverAt: "Mr. Osei (MOU approver, district ops)",
	})
	return p
}

// setUpPosting makes the posting the script applies to: the fixture's
// (district-funded) one, an employer-paid one, or a micro project.
func (p *play) setUpPosting() {
	if p.sc.funding == "district_cte" && p.sc.kind != "micro" {
		return
	}
	var err error
	post := store.Posting{EmployerID: p.f.Employer, WorksiteID: p.f.Worksite, SupervisorID: p.f.Supervisor,
		Title: "Patient navigator intern", Description: "Greet patients and guide them through their visit", HoursPerWeek: 25,
		PayType: "hourly", PayCents: 1750, FundingSource: p.sc.funding, RequiredTrainings: []string{"hipaa"}, Status: "published"}
	if p.sc.earlyTraining {
		post.PayType, post.PayCents = "unpaid", 0
	}
	if p.sc.kind == "micro" {
		year := time.Now().Year() + 1
		if p.program, err = p.s.Store.CreateProgram(p.ctx, store.Program{DistrictID: p.f.District, Name: "Micro-internships",
			Kind: "micro", ProgramYear: year, Definition: []byte(`{}`)}); err != nil {
			p.t.Fatal(err)
		}
		post = store.Posting{EmployerID: p.f.Employer, WorksiteID: p.f.Worksite, SupervisorID: p.f.Supervisor, ProgramID: p.program,
			Title: "Patient survey summary", Description: "Summarize 40 patient comments into three suggestions", PayType: "stipend",
			PayCents: 15000, FundingSource: "employer_paid", Deliverable: "A two-page summary with three suggestions", Status: "published"}
	}
	if p.posting, err = p.s.Store.CreatePosting(p.ctx, post); err != nil {
		p.t.Fatal(err)
	}
}

func (p *play) exec(sql string, args ...any) {
	p.t.Helper()
	if _, err := p.s.Pool.Exec(p.ctx, sql, args...); err != nil {
		p.t.Fatal(err)
	}
}

func (p *play) must(err error) {
	p.t.Helper()
	if err != nil {
		st, _ := p.s.Journeys.Query(p.ctx, p.journeyID)
		p.t.Fatalf("%v (journey at %s)", err, st.Stage)
	}
}

func (p *play) update(name string, in any) {
	p.t.Helper()
	p.must(p.s.Journeys.Update(p.ctx, p.journeyID, name, "", in))
}

func (p *play) status() workflows.JourneyStatus {
	p.t.Helper()
	st, err := p.s.Journeys.Query(p.ctx, p.journeyID)
	p.must(err)
	return st
}

// until waits (polling the journey) for ok, within a program month.
func (p *play) until(what string, ok func(workflows.JourneyStatus) bool) workflows.JourneyStatus {
	p.t.Helper()
	deadline := time.Now().Add(30*programDay + 10*time.Second)
	for {
		st, err := p.s.Journeys.Query(p.ctx, p.journeyID)
		if err == nil && ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waiting for %s: journey at %s", what, st.Stage)
		}
		p.r.collect()
		time.Sleep(25 * time.Millisecond)
	}
}

func (p *play) enrol() {
	p.r.step("Coach Rivera enrols Maya in the program", func() {
		e, err := p.s.Journeys.Enroll(p.ctx, p.f.Student, p.program)
		p.must(err)
		p.journeyID = e.Journey.ID
		p.r.workflows = []string{e.Journey.WorkflowID, workflows.MOUWorkflowID(p.f.Employer, time.Now().Year()+1)}
		p.until("the survey", func(st workflows.JourneyStatus) bool { return st.Stage == workflows.StageSurvey })
	})
}

// answerSurvey fills the survey on the page the texted link opens.
func (p *play) answerSurvey(link string) {
	p.t.Helper()
	if link == "" {
		p.must(p.s.Journeys.Update(p.ctx, p.journeyID, workflows.UpdateSurvey, "", workflows.SurveyInput{By: p.student,
			Pathway: "Health Science and Medical Technology", Transport: "transit", ContactConsent: true, Languages: []string{p.sc.language}}))
		return
	}
	// The pathway as the survey page offers it (its list is the page's).
	page := stafftest.Anonymous(p.t, p.s).Get(link).Body
	pathway := "Health Sciences"
	if m := regexp.MustCompile(`value="([^"]*Health[^"]*)"`).FindStringSubmatch(page); m != nil {
		pathway = html.UnescapeString(m[1])
	}
	p.submit(link, url.Values{"pathway": {pathway}, "transport": {"transit"},
		"contact_consent": {"yes"}, "availability": {"summer"}, "languages": {p.sc.language}}, nil)
}

// submit posts the form on the page a link opens, as the person does; with
// no link (a defect already noted) fallback acts the way the page would.
func (p *play) submit(link string, form url.Values, fallback func()) {
	p.t.Helper()
	if link == "" && fallback != nil {
		fallback()
		return
	}
	r := stafftest.Anonymous(p.t, p.s).PostForm(link, form)
	if r.Status != http.StatusOK && r.Status != http.StatusSeeOther {
		p.t.Fatalf("form on the page of %s: %d\n%s", p.r.linkAction(link), r.Status, r.Body)
	}
}

// sign signs on the page a signing link opens: consent to sign
// electronically, then the typed name (confirmed when it differs from the
// name on record, as the page asks).
func (p *play) sign(link, name string, fallback func()) {
	p.t.Helper()
	if link == "" {
		fallback()
		return
	}
	signer := stafftest.Anonymous(p.t, p.s)
	if r := signer.PostForm(link, url.Values{"step": {"consent"}, "agree": {"yes"}}); r.Status != http.StatusSeeOther && r.Status != http.StatusOK {
		p.t.Fatalf("consent on %s: %d\n%s", p.r.linkAction(link), r.Status, r.Body)
	}
	r := signer.PostForm(link, url.Values{"typed_name": {name}})
	if strings.Contains(r.Body, `name="confirm_name"`) {
		r = signer.PostForm(link, url.Values{"typed_name": {name}, "confirm_name": {name}})
	}
	if r.Status != http.StatusOK || strings.Contains(r.Body, `name="typed_name"`) {
		p.t.Fatalf("signing on %s as %q: %d\n%s", p.r.linkAction(link), name, r.Status, r.Body)
	}
}

// completeJourney plays the journey stage by stage until it completes,
// each person acting on the request that reached them.
func completeJourney(p *play) {
	p.enrol()
	week := 0
	for steps := 0; steps < 60; steps++ {
		st := p.status()
		if p.sc.until != "" && st.Stage == p.sc.until {
			return
		}
		if st.Stage == workflows.StageCompleted {
			// The 100 hours were approved week by week (a micro-internship has none).
			if week > 0 && st.HoursApproved != 100 {
				p.t.Errorf("completed with %.1f hours approved, want 100", st.HoursApproved)
			}
			return
		}
		p.advance(st, &week)
	}
	p.t.Fatal("the journey did not complete within 60 steps")
}

// advance plays the journey's current stage, each person acting on the
// request that reached them; week counts the timesheet weeks played.
func (p *play) advance(st workflows.JourneyStatus, week *int) {
	switch st.Stage {
	case workflows.StageSurvey:
		p.r.step("Maya answers the survey from her link", func() {
			p.answerSurvey(p.r.await("survey", studentPhone))
			p.until("past the survey", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageSurvey })
		})
	case workflows.StageInternReady:
		p.badge()
	case workflows.StageApplying:
		if p.sc.earlyTraining {
			p.earlyTraining()
		}
		p.apply()
	case workflows.StageMOUGate:
		p.mou()
	case workflows.StageWorkPermit:
		p.permit()
	case workflows.StageTrainings:
		p.trainings(st)
	case workflows.StageWorking:
		p.workWeek(*week)
		*week++
	case workflows.StageDeliverable:
		p.deliverable()
	case workflows.StageCompleting:
		p.complete()
	default:
		p.t.Fatalf("the script does not know stage %s", st.Stage)
	}
}

func (p *play) badge() {
	p.r.step("Maya uploads her resume and cover letter", func() {
		p.r.await("upload_badge", studentPhone)
		for _, kind := range []string{"resume", "cover_letter"} {
			p.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: p.student, Kind: kind,
				DocumentID: apptest.Document(p.t, p.s.Store, p.journeyID, kind)})
		}
	})
	p.r.step("Coach Rivera approves the Intern Ready badge", func() {
		p.r.await("badge_review", coordinatorAt)
		p.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: p.coord, Approve: true})
		p.until("past the badge", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageInternReady })
	})
}

func (p *play) apply() {
	var app string
	p.r.step("Maya applies to the internship", func() {
		p.submit(p.r.await("apply", studentPhone), url.Values{"posting_id": {p.posting}}, func() {
			p.update(workflows.UpdateApply, workflows.ApplyInput{By: p.student, PostingID: p.posting})
		})
		st := p.until("the application", func(s workflows.JourneyStatus) bool { return len(s.Applications) > 0 })
		app = st.Applications[0].ID
	})
	p.r.step("Dr. Kim offers Maya the internship", func() {
		p.submit(p.r.await("decide_application", supervisorAt, employerAt), url.Values{"status": {"offer"}}, func() {
			p.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: p.super, ApplicationID: app, Status: "offer"})
		})
	})
	p.r.step("Maya accepts the offer", func() {
		p.submit(p.r.await("accept_offer", studentPhone), url.Values{"decision": {"accept"}}, func() {
			p.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: p.student, ApplicationID: app})
		})
		p.until("placed", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageApplying })
	})
}

func (p *play) mou() {
	id := workflows.MOUWorkflowID(p.f.Employer, time.Now().Year()+1)
	var ms workflows.MOUStatus
	p.r.step("Valley Clinic signs the MOU", func() {
		deadline := time.Now().Add(10 * time.Second)
		for {
			v, err := p.s.Temporal.QueryWorkflow(p.ctx, id, "", workflows.QueryMOUStatus)
			if err == nil && v.Get(&ms) == nil && ms.DocumentSHA256 != "" && ms.WaitingJourneys == 1 {
				break
			}
			if time.Now().After(deadline) {
				p.t.Fatal("the MOU was not drafted")
			}
			p.r.collect()
			time.Sleep(25 * time.Millisecond)
		}
		p.sign(p.r.await("sign_mou", employerAt, supervisorAt), "Pat Lee", func() {
			p.must(p.s.Journeys.UpdateWorkflow(p.ctx, id, workflows.UpdateSignMOU, "", workflows.MOUSignInput{SignInput: workflows.SignInput{
				By: workflows.Actor{Kind: "employer", Ref: p.f.Employer}, Role: "employer", TypedName: "Pat Lee",
				DocumentSHA256: ms.DocumentSHA256, Consent: true, ConsentAt: time.Now()}}))
		})
	})
	p.r.step("Mr. Osei approves the MOU for the district", func() {
		p.r.await("approve_mou", approverAt)
		p.must(p.s.Journeys.UpdateWorkflow(p.ctx, id, workflows.UpdateApproveMOU, "", workflows.MOUApproveInput{
			By: workflows.Actor{Kind: "staff", Ref: p.f.Approver}, Approve: true, ImplementationDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}))
		p.until("past the MOU", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageMOUGate })
	})
}

// signers: who signs the permit, their typed name and where the request reaches them.
var signers = []struct{ role, name, title, addr string }{
	{"student", "Maya Lopez", "Maya signs her work permit", studentPhone},
	{"guardian", "Rosa Lopez", "Rosa (her mother) signs the work permit", guardianPhone},
	{"employer", "Dr. Kim", "Dr. Kim signs the work permit for the employer", supervisorAt},
}

// permit waits for the permit document itself (the stage starts before it is made).
func (p *play) permit() {
	st := p.until("the permit document", func(s workflows.JourneyStatus) bool { return s.Permit != nil && s.Permit.DocumentSHA256 != "" })
	if p.sc.rejectPermit {
		p.signPermit(st, 1)
		p.rejectAndCorrect()
		st = p.until("permit version 2", func(s workflows.JourneyStatus) bool { return s.Permit != nil && s.Permit.Version == 2 })
	}
	p.signPermit(st, st.Permit.Version)
	p.r.step("Ms. Park approves the work permit", func() {
		p.r.await("approve_permit", issuerAt)
		p.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: p.f.Issuer}, Approve: true})
		p.until("past the permit", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageWorkPermit })
	})
}

// rejectAndCorrect: the issuer rejects the signed permit, and Dr. Kim
// corrects the hours from the link in the rejection email.
func (p *play) rejectAndCorrect() {
	p.r.step("Ms. Park rejects the work permit: too many hours for a 16-year-old", func() {
		p.r.await("approve_permit", issuerAt)
		p.update(workflows.UpdateDecidePermit, workflows.PermitDecisionInput{By: workflows.Actor{Kind: "staff", Ref: p.f.Issuer},
			Reason: "A 16-year-old may work at most 18 hours in a school week"})
		p.until("the permit awaiting correction", func(s workflows.JourneyStatus) bool { return s.Permit != nil && s.Permit.AwaitingCorrection })
	})
	p.r.step("Dr. Kim corrects the hours per week from his link", func() {
		link := p.r.await("correct_permit", supervisorAt)
		if link == "" {
			p.t.Fatal("Dr. Kim got no link to correct the permit")
		}
		page := stafftest.Anonymous(p.t, p.s)
		form := url.Values{}
		for _, m := range regexp.MustCompile(`name="(\w+)" value="([^"]*)"`).FindAllStringSubmatch(page.Get(link).Body, -1) {
			form.Set(m[1], m[2])
		}
		form.Set("hours_per_week", "15")
		if r := page.PostForm(link, form); r.Status != http.StatusOK || !strings.Contains(r.Body, "corrected permit") {
			p.t.Fatalf("correcting the permit: %d\n%s", r.Status, r.Body)
		}
	})
}

// signPermit has the three signers sign permit version v from their links.
func (p *play) signPermit(st workflows.JourneyStatus, v int) {
	for _, sg := range signers {
		by := map[string]workflows.Actor{"student": p.student, "guardian": {Kind: "guardian", Ref: "g1"}, "employer": p.super}[sg.role]
		p.r.step(sg.title, func() {
			addrs := []string{sg.addr}
			if sg.role == "employer" {
				addrs = append(addrs, employerAt)
			}
			p.sign(p.r.await("sign_permit:"+sg.role, addrs...), sg.name, func() {
				p.update(workflows.UpdateSignPermit, workflows.SignInput{By: by, Role: sg.role, TypedName: sg.name,
					DocumentSHA256: st.Permit.DocumentSHA256, Consent: true, ConsentAt: time.Now(), IP: "127.0.0.1", UserAgent: "transcripts"})
			})
		})
	}
	p.until(fmt.Sprintf("version %d signed", v), func(s workflows.JourneyStatus) bool { return s.Permit != nil && len(s.Permit.Signed) == 3 })
}

// earlyTraining: Maya does the program's training at school before she
// is hired and uploads the certificate on the page the "trainings are
// open" text links.
func (p *play) earlyTraining() {
	p.r.step("Maya does her workplace safety training at school and uploads the certificate, before she is hired", func() {
		link := p.r.awaitAlongside("record_training", studentPhone)
		if link == "" {
			p.t.Fatal("Maya got no link to record her trainings before she is hired")
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		p.must(mw.WriteField("date_workplace_safety", time.Now().Format(time.DateOnly)))
		fw, err := mw.CreateFormFile("cert_workplace_safety", "certificate.pdf")
		p.must(err)
		_, _ = fw.Write([]byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"))
		p.must(mw.Close())
		r := stafftest.Anonymous(p.t, p.s).Do(http.MethodPost, link, mw.FormDataContentType(), &body, nil)
		if r.Status != http.StatusOK || !strings.Contains(r.Body, "It counts for your internship") {
			p.t.Fatalf("recording the training before placement: %d\n%s", r.Status, r.Body)
		}
		p.until("the training recorded", func(s workflows.JourneyStatus) bool { return slices.Contains(s.TrainingsDone, "workplace_safety") })
	})
}

func (p *play) trainings(st workflows.JourneyStatus) {
	for _, code := range st.TrainingsOutstanding {
		var name string
		p.must(p.s.Pool.QueryRow(p.ctx, `SELECT name FROM trainings WHERE code = $1`, code).Scan(&name))
		p.r.step("Maya completes her training: "+name, func() {
			p.r.await("record_training", studentPhone)
			p.update(workflows.UpdateCompleteTraining, workflows.TrainingInput{By: p.student, Code: code,
				DocumentID: apptest.Document(p.t, p.s.Store, p.journeyID, "certificate"), CompletedOn: time.Now().Format(time.DateOnly)})
		})
	}
	p.until("past the trainings", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageTrainings })
}

// workWeek: week n opens (a week of program time passes after the first),
// Maya submits 25 hours, Dr. Kim approves them.
func (p *play) workWeek(n int) {
	var week string
	p.r.step(fmt.Sprintf("Week %d opens", n+1), func() {
		st := p.until("week to open", func(s workflows.JourneyStatus) bool {
			return len(s.Weeks) > n || s.Stage != workflows.StageWorking
		})
		if len(st.Weeks) > n {
			week = st.Weeks[n].Week
		}
	})
	if week == "" {
		return
	}
	monday, _ := time.Parse(time.DateOnly, week)
	var entries []workflows.TimesheetEntry
	for d := range 5 {
		entries = append(entries, workflows.TimesheetEntry{Date: monday.AddDate(0, 0, d).Format(time.DateOnly), Hours: 5})
	}
	p.r.step(fmt.Sprintf("Maya submits 25 hours for week %d", n+1), func() {
		p.r.await("submit_timesheet", studentPhone)
		p.must(p.s.Journeys.UpdateWeek(p.ctx, p.journeyID, week, workflows.UpdateSubmitTimesheet, "",
			workflows.TimesheetInput{By: p.student, Entries: entries}))
	})
	p.r.step(fmt.Sprintf("Dr. Kim approves week %d", n+1), func() {
		link := p.r.await("review_timesheet", supervisorAt)
		// Tick the week as the supervisor does: the page's own checkbox value.
		tick := week
		if link != "" {
			page := stafftest.Anonymous(p.t, p.s).Get(link).Body
			if m := regexp.MustCompile(`name="week" value="([^"]*` + week + `)"`).FindStringSubmatch(page); m != nil {
				tick = html.UnescapeString(m[1])
			}
		}
		p.submit(link, url.Values{"decision": {"approve"}, "week": {tick}}, func() {
			p.must(p.s.Journeys.UpdateWeek(p.ctx, p.journeyID, week, workflows.UpdateReviewTimesheet, "",
				workflows.TimesheetReviewInput{By: p.super, Approve: true}))
		})
		p.until("the week counted", func(s workflows.JourneyStatus) bool {
			return s.HoursApproved >= float64(25*(n+1)) || s.Stage != workflows.StageWorking
		})
	})
}

func (p *play) deliverable() {
	p.r.step("Maya submits her project", func() {
		p.r.await("submit_deliverable", studentPhone)
		p.update(workflows.UpdateSubmitDeliverable, workflows.DeliverableInput{By: p.student,
			DocumentID: apptest.Document(p.t, p.s.Store, p.journeyID, "deliverable"), Hours: 8})
	})
	p.r.step("Dr. Kim accepts the project", func() {
		p.submit(p.r.await("review_deliverable", supervisorAt, employerAt), url.Values{"decision": {"accept"}}, func() {
			p.update(workflows.UpdateReviewDeliverable, workflows.DeliverableReviewInput{By: p.super, Accept: true})
		})
		p.until("past the deliverable", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageDeliverable })
	})
}

func (p *play) complete() {
	p.r.step("Maya writes her reflection", func() {
		const reflection = "I learned to check in patients and keep records private."
		p.submit(p.r.await("submit_reflection", studentPhone), url.Values{"body": {reflection}, "recommend": {"5"}}, func() {
			p.update(workflows.UpdateReflection, workflows.ReflectionInput{By: p.student, Body: reflection, Recommend: 5})
		})
	})
	p.r.step("Dr. Kim gives feedback", func() {
		const comment = "Reliable and kind with patients."
		ratings, form := map[string]int{}, url.Values{"comment": {comment}}
		for _, s := range workflows.SoftSkills {
			ratings[s] = 4
			form.Set("r_"+s, "4")
		}
		p.submit(p.r.await("give_feedback", supervisorAt, employerAt), form, func() {
			p.update(workflows.UpdateFeedback, workflows.FeedbackInput{By: p.super, Ratings: ratings, Comment: comment})
		})
		p.until("completed", func(s workflows.JourneyStatus) bool { return s.Stage == workflows.StageCompleted })
	})
}

// stuckThenStaffAct: the survey ladder runs out, then the coordinator
// acts from the student's page.
func stuckThenStaffAct(p *play) {
	p.enrol()
	p.r.step("Maya does not answer; ten days pass", func() {
		deadline := time.Now().Add(20*programDay + 10*time.Second)
		for !slices.ContainsFunc(p.r.all, func(m *received) bool { return m.to == coordinatorAt }) {
			if time.Now().After(deadline) {
				p.t.Fatal("the coordinator was never alerted that Maya is stuck at the survey")
			}
			p.r.collect()
			time.Sleep(25 * time.Millisecond)
		}
	})
	var coach *stafftest.Client
	p.r.step("Coach Rivera signs in (the sign-in email)", func() { coach = stafftest.SignIn(p.t, p.s, coordinatorAt) })
	press := func(action string, form url.Values) {
		r := coach.Action("/staff/students/"+p.journeyID+"/"+action, form)
		if r.Status != http.StatusSeeOther {
			p.t.Fatalf("%s: %d\n%s", action, r.Status, r.Body)
		}
		if page := coach.Get(r.Header.Get("Location")); strings.Contains(page.Body, `class="flash error"`) {
			p.r.note("staff_action_refused:"+action, "the page shows an error")
		}
	}
	p.r.step("Coach Rivera presses Nudge now", func() { press("nudge", nil) })
	p.r.step("Coach Rivera presses Resend link (to Maya)", func() { press("resend", url.Values{"party": {"student"}}) })
	text := func(body string) {
		resp, err := p.s.Twilio.PostSigned(context.Background(), p.s.URL+messaging.PathTwilioInbound, "",
			p.s.Twilio.InboundForm(studentPhone, body))
		if err != nil || resp.StatusCode != http.StatusOK {
			p.t.Fatalf("Maya texts %q: %v %v", body, err, resp)
		}
		resp.Body.Close()
	}
	p.r.step(`Maya texts back "what do I do next?" (she gets one acknowledgement)`, func() {
		text("what do I do next?")
		text("the link is not working")
	})
	p.r.step("Maya texts HELP", func() { text("HELP") })
	p.r.step("Maya texts MY INTERNSHIP (the link to her own page)", func() { text("MY INTERNSHIP") })
	p.r.step("Coach Rivera answers from Maya's page (Replies)", func() {
		page := coach.Get("/staff/students/" + p.journeyID)
		i := strings.Index(page.Body, `name="to" value="`)
		if i < 0 {
			p.t.Fatalf("no answer form on Maya's page:\n%s", page.Body)
		}
		to := page.Body[i+len(`name="to" value="`):]
		press("answer", url.Values{"to": {to[:strings.Index(to, `"`)]},
			"text": {"Open the newest link I sent and answer the 5 questions. Call me if it does not open."}})
	})
	p.r.step("Maya answers the survey from the newest link", func() {
		p.answerSurvey(p.r.await("survey", studentPhone))
		p.until("past the survey", func(s workflows.JourneyStatus) bool { return s.Stage != workflows.StageSurvey })
	})
}

// hourRulesBreached: in a school-year program Maya logs 40 hours in a
// school week on her timesheet page; the supervisor approves with the
// breaches in front of them, and the coordinator counts the held hours
// from the student page.
func hourRulesBreached(p *play) {
	// A calendar with a break elsewhere: every week of the script has school.
	p.exec(`UPDATE programs SET definition = $2 WHERE id = $1`, p.program,
		`{"calendar": {"breaks": [{"from": "2020-12-21", "to": "2021-01-01"}]}}`)
	p.enrol()
	week := 0
	for steps := 0; steps < 40 && p.status().Stage != workflows.StageWorking; steps++ {
		p.advance(p.status(), &week)
	}
	var wk string
	p.r.step("Week 1 opens", func() {
		wk = p.until("the first week", func(s workflows.JourneyStatus) bool { return len(s.Weeks) > 0 }).Weeks[0].Week
	})
	monday, _ := time.Parse(time.DateOnly, wk)
	form, entries := url.Values{}, []workflows.TimesheetEntry{}
	for d := range 5 {
		date := monday.AddDate(0, 0, d).Format(time.DateOnly)
		form.Set("h_"+date, "8")
		entries = append(entries, workflows.TimesheetEntry{Date: date, Hours: 8})
	}
	p.r.step("Maya submits 40 hours for week 1 (8 a day, Monday to Friday)", func() {
		p.submit(p.r.await("submit_timesheet", studentPhone), form, func() {
			p.must(p.s.Journeys.UpdateWeek(p.ctx, p.journeyID, wk, workflows.UpdateSubmitTimesheet, "",
				workflows.TimesheetInput{By: p.student, Entries: entries}))
		})
	})
	p.r.step("Dr. Kim approves week 1", func() {
		link := p.r.await("review_timesheet", supervisorAt)
		p.submit(link, url.Values{"decision": {"approve"}, "week": {p.journeyID + "|" + wk}}, func() {
			p.must(p.s.Journeys.UpdateWeek(p.ctx, p.journeyID, wk, workflows.UpdateReviewTimesheet, "",
				workflows.TimesheetReviewInput{By: p.super, Approve: true}))
		})
		// 4 hours count Monday to Thursday and 8 on Friday: 24 of 40.
		p.until("24 hours counted", func(s workflows.JourneyStatus) bool { return s.HoursApproved == 24 })
	})
	p.r.step("Coach Rivera signs in and counts the 16 held hours, with a reason", func() {
		coach := stafftest.SignIn(p.t, p.s, coordinatorAt)
		r := coach.Action("/staff/students/"+p.journeyID+"/hours", url.Values{"week": {wk}, "decision": {"count"},
			"reason": {"The school confirmed Maya had no classes that week."}})
		if r.Status != http.StatusSeeOther {
			p.t.Fatalf("hours decision: %d\n%s", r.Status, r.Body)
		}
		p.until("40 hours counted", func(s workflows.JourneyStatus) bool { return s.HoursApproved == 40 })
	})
}
