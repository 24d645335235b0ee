package workflows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/workflows"
	"github.com/internflow/internflow/workflows/facts"
)

func TestProgram_MicroInternship_DeliverableThenFeedback(t *testing.T) {
	w := newWorld(t)
	w.postings[postingA] = facts.PostingInfo{ID: postingA, Title: "Audit our social media", Status: "published", EmployerID: employerA,
		SupervisorID: supervisor, FundingSource: "employer_paid", PayType: "stipend", DistrictID: districtID}
	w.at(time.Hour, func() { w.update(workflows.UpdateSurvey, survey()) })
	placed := w.toPlaced(2*time.Hour, postingA)
	w.at(placed+day, func() {
		w.update(workflows.UpdateSubmitDeliverable, workflows.DeliverableInput{By: student, DocumentID: "d1", Hours: 6})
	})
	w.at(placed+2*day, func() {
		w.update(workflows.UpdateReviewDeliverable, workflows.DeliverableReviewInput{By: employer, Comment: "Add a posting calendar"})
	})
	w.at(placed+3*day, func() {
		w.update(workflows.UpdateSubmitDeliverable, workflows.DeliverableInput{By: student, DocumentID: "d2", Hours: 8})
	})
	w.at(placed+4*day, func() {
		w.update(workflows.UpdateReviewDeliverable, workflows.DeliverableReviewInput{By: employer, Accept: true})
	})
	w.finish(placed + 5*day)
	w.run(input(workflows.DefaultProgramFor("micro")))
	w.noRejections()
	v := w.view()
	if v.Stage != "completed" || v.HoursApproved != 8 || v.ProjectTitle != "Audit our social media" {
		t.Fatalf("micro-internship ended as %+v", v)
	}
	if w.permitDocs != 0 || len(w.sheets) != 0 || v.InternReadyAt != nil {
		t.Errorf("a micro-internship went through permit (%d), timesheets (%d) or the badge (%v)", w.permitDocs, len(w.sheets), v.InternReadyAt)
	}
	changes := w.sentTemplate("deliverable_changes")
	if len(changes) != 1 || changes[0].Params["comment"] != "Add a posting calendar" {
		t.Errorf("the student was not told what to change: %+v", changes)
	}
}

func TestProgram_InDistrict_DistrictEmployerNeverWaitsOnMOU(t *testing.T) {
	w := newWorld(t)
	w.postings[postingB] = facts.PostingInfo{ID: postingB, Title: "IT help desk", Status: "published", EmployerID: employerB,
		EmployerName: "Bay Unified IT", EmployerIsDistrict: true, FundingSource: "district_cte", PayType: "hourly", DistrictID: districtID}
	placed := w.toPlaced(w.toApplying(), postingB)
	w.stopAt(placed+time.Hour, func() {
		if v := w.view(); v.Stage != "work_permit" {
			t.Errorf("in-district placement at %s, want work_permit (no MOU gate)", v.Stage)
		}
	})
	w.run(input(workflows.DefaultProgramFor("in_district")))
	if w.mouWaits != 0 {
		t.Fatal("the district as employer waited on its own MOU")
	}
}

func TestProgram_Virtual_SurveyHasNoTransportQuestion(t *testing.T) {
	w := newWorld(t)
	w.at(time.Hour, func() {
		w.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "IT", ContactConsent: true})
	})
	w.stopAt(2*time.Hour, func() {
		if v := w.view(); v.SurveyDoneAt == nil {
			t.Error("virtual survey without transport was not accepted")
		}
	})
	w.run(input(workflows.DefaultProgramFor("virtual")))
	w.noRejections()
}

func TestProgram_UnpaidPlacement_NoWorkPermit(t *testing.T) {
	w := newWorld(t)
	p := w.postings[postingA]
	p.PayType = "unpaid"
	w.postings[postingA] = p
	placed := w.toPlaced(w.toApplying(), postingA)
	w.stopAt(placed+time.Hour, func() {
		if v := w.view(); v.Stage != "trainings" {
			t.Errorf("unpaid placement at %s, want trainings (no permit)", v.Stage)
		}
	})
	w.run(input(workflows.DefaultProgram()))
}

func TestProgram_TimesheetBreaksHourRule_FlaggedToSupervisor(t *testing.T) {
	w := newWorld(t)
	prog := workflows.DefaultProgram()
	prog.HourRules = hours.California()
	prog.Calendar.Breaks = []workflows.Period{{From: "2027-01-01", To: "2027-01-02"}} // June weeks are school weeks
	working := w.toWorking()
	week := mondayOf(w.start.Add(working)).Format(time.DateOnly)
	w.at(working+day, func() { w.updateWeek(week, workflows.UpdateSubmitTimesheet, weekInput(week, 9)) })
	w.stopAt(working+2*day, func() {
		st := w.status()
		if len(st.Weeks) == 0 || len(st.Weeks[0].Breaches) == 0 {
			t.Fatalf("no hour-rule breaches on the week: %+v", st.Weeks)
		}
	})
	w.run(input(prog)) // StudentAge 16
	var sheet *facts.TimesheetFact
	for _, s := range w.sheets {
		if s.Timesheet != nil && s.Timesheet.Status == "submitted" {
			sheet = s.Timesheet
		}
	}
	for _, req := range w.sentTemplate("timesheet_approval_request") {
		if !strings.Contains(req.Params["breaches"], `"when":"school_day"`) {
			t.Errorf("the supervisor's approval request does not carry the breaches: %q", req.Params)
		}
	}
	alerts := w.sentTemplate("hours_flagged")
	if len(alerts) != 1 || alerts[0].To.Kind != "coordinator" || !strings.Contains(alerts[0].Params["breaches"], `"limit":28`) {
		t.Errorf("coordinator alerts = %+v, want one carrying the rules broken", alerts)
	}
	// Monday to Thursday: 4 hours count (school days); Friday, before
	// the weekend: 8; 45 submitted, 24 countable, 21 withheld.
	if sheet == nil || sheet.Withheld != 21 || len(sheet.Breaches) != 6 {
		t.Fatalf("submitted timesheet %+v, want 6 breaches and 21 hours withheld", sheet)
	}
	want := "Monday, June 7: 9 hours worked; the limit for ages 16-17 on a school day is 4 hours (California law)."
	if !slices.Contains(sheet.Flags, want) {
		t.Fatalf("flags = %v, want %q", sheet.Flags, want)
	}
}

func TestProgram_PlacedBeforeStartDate_FirstWeekOpensOnStartDate(t *testing.T) {
	w := newWorld(t)
	prog := workflows.DefaultProgram()
	prog.Calendar.Start = "2027-07-05" // a Monday, four weeks after the test starts
	working := w.toWorking()
	w.at(working+day, func() {
		if st := w.status(); st.Stage != workflows.StageWorking || len(st.Weeks) != 0 {
			t.Errorf("before the start date: stage %s with %d weeks open", st.Stage, len(st.Weeks))
		}
	})
	w.stopAt(28*day+time.Hour, func() {
		st := w.status()
		if len(st.Weeks) != 1 || st.Weeks[0].Week != "2027-07-05" {
			t.Errorf("on the start date the weeks are %+v, want the week of 2027-07-05", st.Weeks)
		}
	})
	w.run(input(prog))
	w.noRejections()
}

func TestProgram_GuaranteedSpot_HeldWhileCompetitiveOpenThenNudged(t *testing.T) {
	w := newWorld(t)
	g := w.postings[postingB]
	g.SpotType, g.FundingSource, g.Title = "guaranteed", "employer_paid", "Parks crew (guaranteed)"
	w.postings[postingB] = g
	from := w.toApplying()
	w.at(from, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingA}) })             // competitive
	w.at(from+time.Minute, func() { w.update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: postingB}) }) // guaranteed
	// The two applications' postings load concurrently, so find each by posting.
	appFor := func(posting string) workflows.ApplicationStatus {
		for _, a := range w.status().Applications {
			if a.PostingID == posting {
				return a
			}
		}
		t.Fatalf("no application to %s", posting)
		return workflows.ApplicationStatus{}
	}
	w.at(from+time.Hour, func() {
		if a := appFor(postingB); a.Status != "offer" {
			t.Errorf("guaranteed application is %s, want an offer at once", a.Status)
		}
	})
	w.at(from+4*day, func() {
		if n := len(w.keysFor("offer:" + appFor(postingB).ID + ":1")); n != 0 {
			t.Errorf("the guaranteed offer nudged %d times while a competitive application was open", n)
		}
		w.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: employer, ApplicationID: appFor(postingA).ID, Status: "declined"})
	})
	w.stopAt(from+4*day+time.Hour, func() {})
	w.run(input(workflows.DefaultProgram()))
	w.noRejections()
	offerKey := "offer:"
	var nudges []string
	for _, m := range w.messages {
		if strings.Contains(m.IdemKey, ":"+offerKey) {
			nudges = append(nudges, m.Template)
		}
	}
	if len(nudges) != 1 || nudges[0] != "offer_nudge" {
		t.Fatalf("after the competitive application was declined the student got %v, want one offer nudge", nudges)
	}
}

func TestProgram_Migrated_RunningWaitFollowsNewLadder(t *testing.T) {
	w := newWorld(t)
	v2 := workflows.DefaultProgram()
	v2.Version = 2
	v2.Ladders["survey"] = workflows.Ladder{{After: 0, Template: "survey_invite"}, {After: 1, Template: "survey_nudge"}}
	old := workflows.DefaultProgram()
	old.Version = 2
	w.at(time.Hour, func() {
		w.update(workflows.UpdateMigrateProgram, workflows.MigrateProgramInput{By: coord, Program: workflows.DefaultProgram()})
		w.update(workflows.UpdateMigrateProgram, workflows.MigrateProgramInput{By: coord, Program: v2})
	})
	w.stopAt(5*day, func() {})
	w.run(input(workflows.DefaultProgram()))
	if want := []string{"migrate_program: the journey already runs version 1 of its program"}; !slices.Equal(w.rejected, want) {
		t.Errorf("rejections %v, want %v", w.rejected, want)
	}
	got := w.keysFor("survey")
	if want := []string{"d0 survey_invite→student", "d1 survey_nudge→student"}; !slices.Equal(got, want) {
		t.Fatalf("after migration the survey ladder sent %v, want %v", got, want)
	}
	var migrated bool
	for _, r := range w.records {
		migrated = migrated || r.Record.ProgramVersion == 2
	}
	if !migrated {
		t.Error("the journey's program version was not recorded")
	}
}
