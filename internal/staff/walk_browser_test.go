package staff_test

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

const (
	bayside      = "Bayside High School"
	harborTeach  = "tomas.grant@harbor.example.org"
	harborSummer = "Harbor Summer Internships"
)

// harborRoster is the SIS export the admin uploads: a plain CSV bundle of
// students (grades 10 and 11 of both schools, minors with a guardian to
// reach) and one teacher of Harbor View.
var harborRoster = map[string]string{
	"students.csv": `student_id,school_id,first_name,last_name,date_of_birth,grade,phone,language,student_number,guardian1_name,guardian1_relationship,guardian1_phone,guardian1_email,guardian1_language
S1001,HVH,Ana,Reyes,2010-03-04,11,(555) 555-0141,en,41001,Maria Reyes,mother,555-555-0181,,en
S1002,HVH,Luis,Ortega,2009-11-20,11,555.555.0142,Spanish,41002,Carmen Ortega,grandparent,555-555-0182,,es
S1003,HVH,Noor,Tenth,2011-05-06,10,555-555-0143,en,41003,Sami Tenth,father,,sami.tenth@example.org,en
S2001,BAY,Kai,Bayview,2009-09-09,11,555-555-0144,en,52001,Lee Bayview,mother,555-555-0184,,en
`,
	"staff.csv": `staff_id,name,email,phone,role,school_ids,active
T1,Tomas Grant,Tomas.Grant@harbor.example.org,,teacher,HVH,true
`,
}

// A district run from the browser, from the one command to its first
// invitations: `district create` prints a link; the admin signs in, adds
// two schools, creates a program, imports the roster (students and a
// teacher), names the teacher coordinator of Harbor View (its warning
// goes, Bayside's stays), enrols grade 11 of Harbor View and watches the
// progress to done. The dashboard lists exactly those students, and the
// outbox holds each one's survey invitation, naming them and carrying
// their link; nobody of grade 10 or of Bayside is written to.
func TestBrowser_NewDistrict_FromOneCommandToFirstInvitations(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	startDistrict(t, ctx, e, "Harbor Unified", harborAdmin, "Dana Whitfield")
	addSchool(t, ctx, harborView, "America/Los_Angeles", "HVH")
	addSchool(t, ctx, bayside, "", "BAY")
	if got := text(t, ctx, "#no-coordinator"); !strings.Contains(got, harborView+" has no coordinator") || !strings.Contains(got, bayside+" has no coordinator") {
		t.Fatalf("with two new schools the warning reads %q", got)
	}

	run(t, ctx, "create a program", chromedp.Click(chromedp.CSS(`nav a[href="/staff/programs"]`)),
		chromedp.WaitVisible(chromedp.ID("program-form")),
		chromedp.SendKeys(chromedp.ID("name"), harborSummer),
		chromedp.SendKeys(chromedp.ID("program_year"), "2027"),
		chromedp.SetValue(chromedp.ID("start"), "2027-06-14"), chromedp.SetValue(chromedp.ID("end"), "2027-08-13"),
		chromedp.SetValue(chromedp.ID("required_hours"), "60"),
		chromedp.Click(chromedp.ID("save")),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "“"+harborSummer+"” is made (version 1)." {
		t.Fatalf("after creating the program the page says %q", got)
	}

	run(t, ctx, "import the roster", chromedp.Click(chromedp.CSS(`nav a[href="/admin/import"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=file]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=file]`), []string{rosterZip(t, harborRoster)}),
		chromedp.SetValue(chromedp.CSS(`select[name=format]`), "csv"),
		chromedp.Click(chromedp.CSS(`input[name=dry_run]`)),
		chromedp.Click(chromedp.CSS(`.roster-upload button[type=submit]`)),
		// A new district has no earlier imports: the first table is this report.
		chromedp.WaitVisible(chromedp.CSS(`main table.list`)))
	report := text(t, ctx, "main")
	for _, want := range []string{"Imported\n", "Schools\t0\t0\t0", "Staff\t1\t0\t0", "Students\t4\t0\t0", "Guardians\t4\t0\t0\t0",
		"rejected rows: 0"} {
		if !strings.Contains(report, want) {
			t.Fatalf("the import report lacks %q:\n%s", want, report)
		}
	}

	run(t, ctx, "name the teacher coordinator of Harbor View", chromedp.Click(chromedp.CSS(`nav a[href="/staff/people"]`)),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), harborTeach),
		chromedp.SetValue(chromedp.ID("invite-role"), "coordinator"))
	choose(t, ctx, "invite-school", harborView)
	run(t, ctx, "send the invitation", chromedp.Click(chromedp.CSS(`#invite button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "Invitation sent to "+harborTeach+"." {
		t.Fatalf("after inviting the page says %q", got)
	}
	if row := text(t, ctx, "#staff-"+e.staffID(t, harborTeach)); !strings.Contains(row, "Tomas Grant Roster") || !strings.Contains(row, "Coordinator, "+harborView) {
		t.Fatalf("the teacher's row:\n%s", row)
	}
	if got := text(t, ctx, "#no-coordinator"); strings.Contains(got, harborView) || !strings.Contains(got, bayside+" has no coordinator") {
		t.Fatalf("with Harbor View's coordinator named the warning reads %q", got)
	}

	run(t, ctx, "open Enrol", chromedp.Click(chromedp.CSS(`nav a[href="/staff/enrol"]`)), chromedp.WaitVisible(chromedp.ID("program")))
	choose(t, ctx, "program", harborSummer+" 2027")
	choose(t, ctx, "school", harborView)
	run(t, ctx, "show grade 11 of Harbor View", chromedp.SetValue(chromedp.ID("grade"), "11"),
		chromedp.Click(chromedp.CSS(`#filter button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("candidates")))
	if rows := text(t, ctx, "#candidates tbody"); !strings.Contains(rows, "Ana Reyes") || !strings.Contains(rows, "Luis Ortega") ||
		strings.Contains(rows, "Tenth") || strings.Contains(rows, "Bayview") {
		t.Fatalf("grade 11 of Harbor View lists:\n%s", rows)
	}
	if got := text(t, ctx, "#count"); got != "2 students can be enrolled in "+harborSummer+" 2027." {
		t.Fatalf("count line %q", got)
	}
	run(t, ctx, "enrol all and watch the progress", chromedp.Click(chromedp.ID("enrol-all")),
		chromedp.WaitVisible(chromedp.ID("progress")), chromedp.WaitVisible(chromedp.ID("to-dashboard")))
	if got := text(t, ctx, "#status"); got != "2 of 2 students done (100%)." {
		t.Fatalf("progress when done: %q", got)
	}

	// Each in their language, by the name the roster gives.
	enrolled := map[string]string{e.studentID(t, "S1001"): "Hi Ana,", e.studentID(t, "S1002"): "Hola Luis,"}
	ids := make([]string, 0, len(enrolled))
	for id := range enrolled {
		ids = append(ids, id)
	}
	eventually(t, "the journeys' rows for the dashboard", func() bool {
		return e.count(t, `SELECT count(*) FROM journey_view WHERE student_id = ANY($1::uuid[])`, ids) == 2
	})
	run(t, ctx, "open the dashboard", chromedp.Click(chromedp.ID("to-dashboard")), chromedp.WaitVisible(chromedp.CSS(`#students tbody tr`)))
	list := text(t, ctx, "#students tbody")
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#students tbody tr").length`))
	if err != nil || n != 2 || !strings.Contains(list, "Ana Reyes") || !strings.Contains(list, "Luis Ortega") {
		t.Fatalf("the dashboard lists %d rows (%v):\n%s", n, err, list)
	}

	eventually(t, "each enrolled student's survey invitation in the outbox", func() bool {
		return e.count(t, `SELECT count(DISTINCT j.student_id) FROM messages m JOIN journeys j ON j.id = m.journey_id
			WHERE j.student_id = ANY($1::uuid[]) AND m.template = 'survey_invite' AND m.recipient_kind = 'student'`, ids) == 2
	})
	invitations := e.surveyInvitations(t)
	if len(invitations) != 2 {
		t.Fatalf("%d survey invitations in the district's outbox, want one per enrolled student: %v", len(invitations), invitations)
	}
	for id, greeting := range enrolled {
		msg := invitations[id]
		if !strings.Contains(msg, greeting) || !strings.Contains(msg, e.URL+"/l/") {
			t.Fatalf("the invitation that should open %q reads:\n%s", greeting, msg)
		}
	}
	// Grade 10 and Bayside have no journey, and nothing is queued for them
	// or their guardians.
	if n := e.count(t, `SELECT count(*) FROM students s WHERE s.source_id IN ('S1003', 'S2001') AND (
		EXISTS (SELECT 1 FROM journeys j WHERE j.student_id = s.id)
		OR EXISTS (SELECT 1 FROM messages m WHERE m.recipient_ref = s.id::text
			OR m.recipient_ref IN (SELECT g.id::text FROM guardians g WHERE g.student_id = s.id)))`); n != 0 {
		t.Fatalf("%d grade 10 or Bayside students have a journey or a message", n)
	}
	shot(t, ctx, "new-district-dashboard.png")
}

// rosterZip writes a roster bundle (file name to contents) as a .zip, the
// way an admin uploads several CSV files at once.
func rosterZip(t *testing.T, files map[string]string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "roster.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for name, body := range files {
		w, err := zw.Create(name)
		if err == nil {
			_, err = w.Write([]byte(body))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// choose picks the option of a select by the text the user reads.
func choose(t *testing.T, ctx context.Context, selectID, label string) {
	t.Helper()
	js := `(() => { const s = document.getElementById(` + strconv.Quote(selectID) + `);
		const o = Array.from(s.options).find(o => o.text.trim() === ` + strconv.Quote(label) + `);
		if (!o) return false; s.value = o.value; return true; })()`
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil || !ok {
		t.Fatalf("choose %q in #%s: found %v, %v", label, selectID, ok, err)
	}
}

// studentID is the internflow id of the student the roster gave a SIS id.
func (e *env) studentID(t *testing.T, sisID string) string {
	t.Helper()
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id::text FROM students WHERE source_id = $1`, sisID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// surveyInvitations renders every survey invitation of the Harbor district
// as its student reads it, by student id.
func (e *env) surveyInvitations(t *testing.T) map[string]string {
	t.Helper()
	return e.rendered(t, `SELECT m.id, j.student_id::text FROM messages m
		JOIN journeys j ON j.id = m.journey_id JOIN students s ON s.id = j.student_id
		JOIN districts d ON d.id = s.district_id WHERE d.name = 'Harbor Unified' AND m.template = 'survey_invite'`)
}
