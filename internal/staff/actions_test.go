package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/loadtest/synthetic"
	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/internal/store"
)

const studentAPhone = "+15555550142" // the fixture student's

// act presses a student-page button and returns the page it lands on.
func act(t *testing.T, c *stafftest.Client, journeyID, action string, form url.Values) stafftest.Response {
	t.Helper()
	r := c.Action("/staff/students/"+journeyID+"/"+action, form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("%s: %d\n%s", action, r.Status, r.Body)
	}
	return c.Get(r.Header.Get("Location"))
}

// refused presses a student-page button with input the journey refuses:
// the page comes back at once (422), not after a redirect.
func refused(t *testing.T, c *stafftest.Client, journeyID, action string, form url.Values) stafftest.Response {
	t.Helper()
	r := c.Action("/staff/students/"+journeyID+"/"+action, form)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("%s: %d, want 422 with the form shown again\n%s", action, r.Status, r.Body)
	}
	if strings.Contains(r.Body, `class="flash error"`) {
		t.Fatalf("%s: the refusal is flashed, not shown next to its input:\n%s", action, r.Body)
	}
	if !strings.Contains(r.Body, `name="back" value="/staff/students/`+journeyID+`"`) {
		t.Fatalf("%s: the shown-again page's forms lead back to the action, not the student page", action)
	}
	return r
}

// formOf is the form on the page that posts to action.
func formOf(t *testing.T, r stafftest.Response, action string) string {
	t.Helper()
	i := strings.Index(r.Body, "/"+action+`"`)
	if i < 0 {
		t.Fatalf("no %s form on the page:\n%s", action, r.Body)
	}
	form := r.Body[i:]
	return form[:strings.Index(form, "</form>")]
}

// input is the form from the input named name to the next input.
func input(t *testing.T, form, name string) string {
	t.Helper()
	i := strings.Index(form, `name="`+name+`"`)
	if i < 0 {
		t.Fatalf("no input %q in the form:\n%s", name, form)
	}
	in := form[i+len(`name="`):]
	if next := strings.Index(in, `name="`); next >= 0 {
		in = in[:next]
	}
	return in
}

// nextTo checks that msg is shown right after the action form's input
// named name.
func nextTo(t *testing.T, r stafftest.Response, action, name, msg string) {
	t.Helper()
	if in := input(t, formOf(t, r, action), name); !strings.Contains(in, `<span class="field-error" role="alert">`+msg+`</span>`) {
		t.Fatalf("the %s form does not say %q next to %q:\n%s", action, msg, name, in)
	}
}

// kept checks that the action form's input named name holds what was
// typed (or picked) in it.
func kept(t *testing.T, r stafftest.Response, action, name, typed string) {
	t.Helper()
	in := input(t, formOf(t, r, action), name)
	for _, shown := range []string{` value="` + typed + `"`, ">" + typed + "</textarea>", `<option value="` + typed + `" selected>`} {
		if strings.Contains(in, shown) {
			return
		}
	}
	t.Fatalf("the %s form lost what was typed in %q (%q):\n%s", action, name, typed, in)
}

func TestNudge_SendsTheReminderWithAFreshLinkAndIsAudited(t *testing.T) {
	e := newEnv(t)
	invite := e.LastLink(studentAPhone)
	coach := e.signIn(t, coachA)
	page := act(t, coach, e.journeyA, "nudge", nil)
	has(t, page, "Reminder sent to everyone the journey is waiting on.")
	eventually(t, "a new link texted to the student", func() bool {
		l := e.LastLink(studentAPhone)
		return l != "" && l != invite
	})
	eventually(t, "the nudge on the timeline", func() bool {
		return strings.Contains(coach.Get("/staff/students/"+e.journeyA).Body, "Nudged")
	})
	if e.auditCount(t, coachA, "nudge_requested", e.journeyA) != 1 || e.auditCount(t, coachA, "nudged", e.journeyA) != 1 {
		t.Fatal("the nudge is not in the audit log (request and workflow record)")
	}
	// The flash shows once.
	if strings.Contains(coach.Get("/staff/students/"+e.journeyA).Body, "Reminder sent") {
		t.Fatal("the flash message repeated on reload")
	}
}

// Refusals about the journey, not about what was typed, are a flash on
// the page the action returns to.
func TestActions_WorkflowRefusals_ShowInPlainLanguage(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	issuer := e.signIn(t, issuerA)
	ops := e.signIn(t, approverOps)
	cases := []struct {
		who          *stafftest.Client
		action, want string
		form         url.Values
	}{
		{coach, "badge", "The badge review is not open right now (the journey is at survey).", url.Values{"decision": {"approve"}}},
		{issuer, "permit", "is not open right now (the journey is at survey).", url.Values{"decision": {"approve"}}},
		{ops, "retry", "No step of this journey is failing.", nil},
	}
	for _, c := range cases {
		page := act(t, c.who, e.journeyA, c.action, c.form)
		if !strings.Contains(page.Body, `class="flash error"`) || !strings.Contains(page.Body, c.want) {
			t.Errorf("%s: want the error %q on the page:\n%s", c.action, c.want, page.Body)
		}
	}
}

// A refusal of what was typed comes back next to the input, the form open
// and as typed; the journey is as it was.
func TestActions_RefusedInput_ShownNextToTheFieldAsTyped(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)

	r := refused(t, coach, e.journeyA, "waive", url.Values{"step": {"work_permit"}, "reason": {"  "}})
	nextTo(t, r, "waive", "reason", "Give the reason for waiving.")
	kept(t, r, "waive", "reason", "  ")
	kept(t, r, "waive", "step", "work_permit") // the step picked, not the stage's
	has(t, r, `<details id="waive" open>`, `<details id="withdraw">`)

	r = refused(t, coach, e.journeyA, "withdraw", url.Values{"reason": {""}})
	nextTo(t, r, "withdraw", "reason", "Give the reason for withdrawing.")
	has(t, r, `<details id="withdraw" open>`, `<details id="waive">`)

	r = refused(t, coach, e.journeyA, "resend", url.Values{"party": {"employer"}})
	nextTo(t, r, "resend", "party", "The journey is not waiting on the employer.")

	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, `<dd id="stage">Survey`)
	if strings.Contains(page.Body, "Waived") || strings.Contains(page.Body, "field-error") {
		t.Errorf("a refused form changed the journey, or its error outlived the page:\n%s", page.Body)
	}
}

func TestWaiveAndWithdraw_GoThroughTheWorkflow(t *testing.T) {
	e := newEnv(t)
	coach := e.signIn(t, coachA)
	has(t, act(t, coach, e.journeyA, "waive", url.Values{"step": {"survey"}, "reason": {"Completed on paper"}}), "Survey waived.")
	eventually(t, "the journey past the survey", func() bool {
		v, _ := e.Store.GetJourneyView(context.Background(), e.journeyA)
		return v.Stage == "intern_ready"
	})
	has(t, act(t, coach, e.journeyA, "withdraw", url.Values{"reason": {"Moved away"}}), "The journey is being withdrawn.")
	eventually(t, "the journey withdrawn", func() bool {
		v, _ := e.Store.GetJourneyView(context.Background(), e.journeyA)
		return v.Stage == "withdrawn"
	})
	page := coach.Get("/staff/students/" + e.journeyA)
	has(t, page, "Waived", "Completed on paper", "Withdrawn")
	if strings.Contains(page.Body, `id="nudge"`) {
		t.Fatal("a closed journey still offers Nudge")
	}
	if e.auditCount(t, coachA, "waived", e.journeyA) != 1 {
		t.Fatal("the waiver is not audited with the coordinator as actor")
	}
}

func TestOps_BulkNudgeSignalsEveryCheckedJourneyInScope(t *testing.T) {
	e := newEnv(t)
	// Both journeys are overdue on the ops console (the read model says so).
	if _, err := e.Pool.Exec(context.Background(), `UPDATE journey_view SET overdue = true WHERE district_id = $1`, e.f.District); err != nil {
		t.Fatal(err)
	}
	ops := e.signIn(t, approverOps)
	page := ops.Get("/staff/ops")
	has(t, page, "Overdue: Survey, waiting on Student", "Maya", "Bruno", "/namespaces/default/workflows/journey-"+e.journeyA)
	r := ops.Action("/staff/ops/nudge", url.Values{"journey": {e.journeyA, e.journeyB, "not-an-id"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("bulk nudge: %d", r.Status)
	}
	has(t, ops.Get(r.Header.Get("Location")), "Nudged 2 journeys.", "1 skipped")
	for _, j := range []string{e.journeyA, e.journeyB} {
		if e.auditCount(t, approverOps, "nudge_requested", j) != 1 {
			t.Fatalf("journey %s: bulk nudge not audited", j)
		}
		eventually(t, "the nudge recorded by the workflow", func() bool { return e.auditCount(t, approverOps, "nudged", j) == 1 })
	}
}

func TestDashboard_FunnelFiltersSearchAndCSV(t *testing.T) {
	e := newEnv(t)
	admin := e.signIn(t, adminEmail)
	page := admin.Get("/staff")
	has(t, page, "Signed up", "Maya", "Bruno", "Second High", "Fixture High")
	for q, want := range map[string][]string{
		"stage=survey&q=may":     {"Maya"},
		"school=" + e.schoolB:    {"Bruno"},
		"stage=applying":         {"No students match"},
		"waiting=student&q=silv": {"Bruno"},
		"overdue=1":              {"No students match"},
	} {
		r := admin.Get("/staff?" + q)
		has(t, r, want...)
		if want[0] == "Maya" && strings.Contains(r.Body, "Bruno") || want[0] == "Bruno" && strings.Contains(r.Body, "Maya") {
			t.Errorf("%s shows the wrong student", q)
		}
	}
	csv := admin.Get("/staff/export/students.csv?q=bruno")
	if csv.Status != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv.Body, "Student,Grade,School,Stage") || !strings.Contains(csv.Body, "Bruno Silva,12,Second High,Survey,Student") ||
		strings.Contains(csv.Body, "Maya") {
		t.Fatalf("students.csv: %d\n%s", csv.Status, csv.Body)
	}
	funnel := admin.Get("/staff/export/funnel.csv")
	if !strings.Contains(funnel.Body, "Fixture High,1,") || !strings.Contains(funnel.Body, "Total,2,") {
		t.Fatalf("funnel.csv:\n%s", funnel.Body)
	}
	if e.auditCount(t, adminEmail, "students_exported", "") != 1 || e.auditCount(t, adminEmail, "funnel_exported", "") != 1 {
		t.Fatal("exports are not audited")
	}
}

func TestDashboard_KeysetPagesThroughAWholeSchool(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d, err := synthetic.Load(ctx, e.Pool, synthetic.Options{Schools: 2, Journeys: 240, AuditRows: 1, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.CreateStaff(ctx, store.Staff{DistrictID: d.DistrictID, Name: "Synth Coach", Email: "coach@synthetic.example.org",
		Roles: []store.StaffRole{{Role: "coordinator", SchoolID: d.SchoolIDs[0]}}}); err != nil {
		t.Fatal(err)
	}
	coach := e.signIn(t, "coach@synthetic.example.org")
	seen := map[string]bool{}
	next := "/staff?stage=all"
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("pagination did not end")
		}
		page := coach.Get(strings.ReplaceAll(next, "&amp;", "&"))
		for _, id := range d.JourneyIDs[d.SchoolIDs[0]] {
			if strings.Contains(page.Body, "/staff/students/"+id) {
				if seen[id] {
					t.Fatalf("journey %s on two pages", id)
				}
				seen[id] = true
			}
		}
		next = stafftest.Link(page.Body, "next")
	}
	if len(seen) != 120 {
		t.Fatalf("pages listed %d of the school's 120 journeys", len(seen))
	}
}
