package records_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/records"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
	"github.com/internflow/internflow/workflows"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }

// TestTables_DeclareEveryTableOfTheSchema: every table in the database is
// in records.Tables, either exported and purged or declared free of
// student data with a reason; a new table fails here until it is declared.
func TestTables_DeclareEveryTableOfTheSchema(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	rows, err := st.Pool.Query(ctx, `SELECT table_name::text FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	var inSchema []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		inSchema = append(inSchema, name)
	}
	declared := map[string]records.Table{}
	for _, tb := range records.Tables {
		if _, twice := declared[tb.Name]; twice {
			t.Errorf("table %s is declared twice in records.Tables", tb.Name)
		}
		declared[tb.Name] = tb
	}
	for _, name := range inSchema {
		tb, ok := declared[name]
		switch {
		case !ok:
			t.Errorf("table %s is not in records.Tables: say how its rows relate to a student (Export and Purge or CascadeFrom), "+
				"or why it holds no student data (NotStudentData)", name)
		case tb.NotStudentData != "" && (tb.Export != "" || tb.Purge != "" || tb.CascadeFrom != ""):
			t.Errorf("table %s is declared both free of student data and exported/purged", name)
		case tb.NotStudentData == "" && (tb.Export == "" || tb.About == ""):
			t.Errorf("table %s holds student data but has no Export query or About", name)
		case tb.NotStudentData == "" && !purgedThrough(declared, tb):
			t.Errorf("table %s is neither purged nor cascaded from a purged table (CascadeFrom %q)", name, tb.CascadeFrom)
		}
	}
	for name := range declared {
		if !slices.Contains(inSchema, name) {
			t.Errorf("records.Tables declares %s, which the schema does not have", name)
		}
	}
	// Every query runs against the schema.
	for _, tb := range records.Tables {
		for _, q := range []string{tb.Export, tb.Purge} {
			if q == "" {
				continue
			}
			tx, err := st.Pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(ctx, q, "00000000-0000-0000-0000-000000000001"); err != nil {
				t.Errorf("%s: %v\n%s", tb.Name, err, q)
			}
			_ = tx.Rollback(ctx)
		}
	}
}

// TestRecordRequest_UnknownOrMalformedStudent_IsNotFound: a mistyped id
// is "not found", never a database error, and no audit entry is written.
func TestRecordRequest_UnknownOrMalformedStudent_IsNotFound(t *testing.T) {
	st := testenv.DB(t)
	svc := &records.Service{Store: st}
	ctx := context.Background()
	for _, id := range []string{"00000000-0000-0000-0000-000000000001", "not-a-student", ""} {
		if _, err := svc.Export(ctx, id, io.Discard); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("export %q: %v", id, err)
		}
		if _, err := svc.Purge(ctx, id, "00000000-0000-0000-0000-000000000002", "request #1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("purge %q: %v", id, err)
		}
	}
	var n int
	must(t, st.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n))
	if n != 0 {
		t.Errorf("%d audit entries for requests about no one", n)
	}
}

// purgedThrough: the table is purged itself or through a chain of
// cascades that starts at a purged table.
func purgedThrough(declared map[string]records.Table, tb records.Table) bool {
	for range declared {
		if tb.Purge != "" {
			return true
		}
		next, ok := declared[tb.CascadeFrom]
		if !ok {
			return false
		}
		tb = next
	}
	return false
}

const (
	studentPhone  = "+15555550142"
	guardianPhone = "+15555550143"
	consentIP     = "203.0.113.9"
	consentUA     = "Mozilla/5.0 (records test browser)"
)

// TestRecordRequest_StudentInTimesheets_ExportHoldsEverything_PurgeLeavesOnlyItsAudit
// runs a journey into its timesheet weeks (one with a timesheet, one still
// waiting for it), exports the record as an archive and checks it holds
// every table's rows, message texts as sent, consents with their evidence
// and document bytes; then purges and checks no row anywhere names the
// student, no workflow of theirs remains, and the purge's audit entry does.
func TestRecordRequest_StudentInTimesheets_ExportHoldsEverything_PurgeLeavesOnlyItsAudit(t *testing.T) {
	ctx := context.Background()
	s := apptest.New(t, apptest.Options{TimeScale: 200000})
	f := apptest.NewFixture(t, s.Store, `{"stages":["working"],"work_permit":false,"mou_gate":false,"max_weeks":3}`)
	// A sibling whose guardian shares Rosa's phone: their data stays.
	sibling, err := s.Store.CreateStudent(ctx, store.Student{DistrictID: f.District, SchoolID: f.School, FirstName: "Leo", LastName: "Lopez", Grade: 9, Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, s, `INSERT INTO guardians (student_id, position, name, phone) VALUES ($1, 1, 'Rosa Lopez', $2)`, sibling, guardianPhone)

	journeyID, weeks := runToTimesheets(t, s, f)
	addEvidence(t, s, f, journeyID)
	svc := &records.Service{Store: s.Store, Temporal: s.Temporal, Namespace: "default", Render: s.DispatcherConfig()}

	var buf bytes.Buffer
	m, err := svc.Export(ctx, f.Student, &buf)
	if err != nil {
		t.Fatal(err)
	}
	files := readArchive(t, buf.Bytes(), m)
	checkExport(t, s, f, files, m, weeks)
	// Every table with a row that names the student is in the archive
	// with rows (counts differ: the journey runs on meanwhile).
	for table, n := range mentions(t, s, f.Student, journeyID) {
		if n > 0 && m.Rows(table) < 1 {
			t.Errorf("%d rows of %s name the student, their journey or phone; the export holds none", n, table)
		}
	}

	res, err := svc.Purge(ctx, f.Student, f.Coordinator, "Parent's FERPA deletion request #42")
	if err != nil {
		t.Fatal(err)
	}
	if res.Journeys != 1 || res.Workflows < 3 {
		t.Errorf("purge result %+v: want 1 journey and its workflow with its 2 weeks", res)
	}
	checkPurged(t, s, f, journeyID, weeks)
	var exp bytes.Buffer
	if _, err := svc.Export(ctx, f.Student, &exp); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after the purge the export finds %v", err)
	}
	// The sibling and the opt-out of the phone they share are kept.
	var n int
	must(t, s.Pool.QueryRow(ctx, `SELECT count(*) FROM students s JOIN guardians g ON g.student_id = s.id WHERE s.id = $1`, sibling).Scan(&n))
	if n != 1 {
		t.Error("the purge removed the sibling or their guardian")
	}
	must(t, s.Pool.QueryRow(ctx, `SELECT count(*) FROM contact_optouts WHERE address = $1`, guardianPhone).Scan(&n))
	if n != 1 {
		t.Error("the purge removed the opt-out of a phone the sibling's guardian still uses")
	}
}

// runToTimesheets answers the survey, applies, is offered the post and
// accepts; the journey then opens timesheet weeks. Week 1 gets a
// timesheet, week 2 is left open without one.
func runToTimesheets(t *testing.T, s *apptest.Stack, f apptest.Fixture) (string, []string) {
	ctx := context.Background()
	e, err := s.Journeys.Enroll(ctx, f.Student, f.Program)
	if err != nil {
		t.Fatal(err)
	}
	id := e.Journey.ID
	student := workflows.Actor{Kind: "student", Ref: f.Student}
	status := func() workflows.JourneyStatus {
		st, err := s.Journeys.Query(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	update := func(name string, in any) {
		t.Helper()
		if err := s.Journeys.Update(ctx, id, name, "", in); err != nil {
			t.Fatalf("%s: %v (journey at %s)", name, err, status().Stage)
		}
	}
	testenv.Eventually(t, "the survey", func() bool { return status().Stage == workflows.StageSurvey })
	s.Drain()
	update(workflows.UpdateSurvey, workflows.SurveyInput{By: student, Pathway: "Health Science and Medical Technology",
		Transport: "bike", ContactConsent: true})
	testenv.Eventually(t, "applying", func() bool { return status().Stage == workflows.StageApplying })
	update(workflows.UpdateApply, workflows.ApplyInput{By: student, PostingID: f.Posting})
	var app string
	testenv.Eventually(t, "the application", func() bool {
		st := status()
		if len(st.Applications) > 0 {
			app = st.Applications[0].ID
		}
		return app != ""
	})
	update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: workflows.Actor{Kind: "supervisor", Ref: f.Supervisor},
		ApplicationID: app, Status: "offer"})
	update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student, ApplicationID: app})
	var weeks []string
	testenv.Eventually(t, "two timesheet weeks", func() bool {
		st := status()
		weeks = weeks[:0]
		for _, w := range st.Weeks {
			weeks = append(weeks, w.Week)
		}
		return len(weeks) >= 2
	})
	monday, _ := time.Parse(time.DateOnly, weeks[0])
	entries := []workflows.TimesheetEntry{{Date: monday.Format(time.DateOnly), Hours: 4, Note: "front desk"}}
	if err := s.Journeys.UpdateWeek(ctx, id, weeks[0], workflows.UpdateSubmitTimesheet, "",
		workflows.TimesheetInput{By: student, Entries: entries}); err != nil {
		t.Fatal(err)
	}
	s.Drain()
	return id, weeks[:2]
}

// addEvidence stores what people do outside the journey's own steps: a
// resume, a parent's ESIGN consent, a reply, STOPs, a delivery receipt and
// a staff member viewing the resume.
func addEvidence(t *testing.T, s *apptest.Stack, f apptest.Fixture, journeyID string) {
	ctx := context.Background()
	doc := apptest.Document(t, s.Store, journeyID, "resume")
	var link string
	must(t, s.Pool.QueryRow(ctx, `SELECT id::text FROM action_links WHERE journey_id = $1 LIMIT 1`, journeyID).Scan(&link))
	exec(t, s, `INSERT INTO esign_consents (link_id, person_kind, person_ref, disclosure_sha256, language, ip, user_agent)
		VALUES ($1, 'guardian', $2, repeat('a', 64), 'en', $3, $4)`, link, "student:"+f.Student, consentIP, consentUA)
	exec(t, s, `INSERT INTO inbound_messages (provider_id, channel, from_address, body, student_id, journey_id)
		VALUES ('SMrecords1', 'sms', $1, 'what do I do next?', $2, $3)`, studentPhone, f.Student, journeyID)
	exec(t, s, `INSERT INTO contact_optouts (channel, address, reason) VALUES ('sms', $1, 'stop_keyword'), ('sms', $2, 'stop_keyword')`,
		studentPhone, guardianPhone)
	exec(t, s, `INSERT INTO message_events (provider, event_id, provider_id, message_id, event, status)
		SELECT 'twilio', 'EVrecords1', provider_id, id, 'delivered', 'delivered' FROM messages
		WHERE journey_id = $1 AND provider_id IS NOT NULL ORDER BY id LIMIT 1`, journeyID)
	// The supervisor's email about Maya's application went out as a digest
	// that also carried an item about another student (Leo).
	exec(t, s, `UPDATE messages SET digest_lead = id WHERE journey_id = $1 AND template = 'new_applicant' AND channel = 'email'`, journeyID)
	exec(t, s, `INSERT INTO messages (idem_key, district_id, recipient_kind, recipient_ref, channel, to_address, language, template,
			params, status, digest_lead)
		SELECT 'records-test-other-student', district_id, recipient_kind, recipient_ref, channel, to_address, language, template,
			jsonb_set(params, '{student_first_name}', '"Leo"'), 'sent', id
		FROM messages WHERE journey_id = $1 AND template = 'new_applicant' AND channel = 'email'`, journeyID)
	if err := s.Store.Audit(ctx, store.AuditEntry{DistrictID: f.District, ActorKind: "staff", ActorRef: f.Coordinator,
		Action: "document_viewed", EntityKind: "document", EntityID: doc, Reason: "resume"}); err != nil {
		t.Fatal(err)
	}
}

// readArchive unzips the export and checks the manifest lists every file
// with its true size and SHA-256.
func readArchive(t *testing.T, archive []byte, m records.Manifest) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	var inZip records.Manifest
	if err := json.Unmarshal(files["manifest.json"], &inZip); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if inZip.StudentID != m.StudentID || inZip.SchemaVersion == 0 || inZip.GeneratedAt.IsZero() || len(inZip.Files) != len(files)-1 {
		t.Errorf("manifest: student %s, schema %d, generated %v, %d files for %d in the archive",
			inZip.StudentID, inZip.SchemaVersion, inZip.GeneratedAt, len(inZip.Files), len(files)-1)
	}
	for _, mf := range inZip.Files {
		body, ok := files[mf.Path]
		sum := sha256.Sum256(body)
		if !ok || mf.Bytes != len(body) || mf.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("manifest entry %s does not match the file in the archive", mf.Path)
		}
	}
	return files
}

func checkExport(t *testing.T, s *apptest.Stack, f apptest.Fixture, files map[string][]byte, m records.Manifest, weeks []string) {
	t.Helper()
	// Every table the journey and the evidence wrote is in the archive.
	for _, table := range []string{"students", "guardians", "journeys", "journey_events", "survey_responses", "applications",
		"placements", "journey_view", "open_waits", "timesheets", "timesheet_entries", "documents", "messages", "message_events",
		"inbound_messages", "contact_optouts", "action_links", "esign_consents", "audit_log"} {
		if m.Rows(table) < 1 {
			t.Errorf("the export has %d rows of %s", m.Rows(table), table)
		}
	}
	for _, tb := range records.Tables {
		if _, ok := files["tables/"+tb.Name+".json"]; ok == (tb.NotStudentData != "") {
			t.Errorf("tables/%s.json in the archive: %v; declared free of student data: %v", tb.Name, ok, tb.NotStudentData != "")
		}
	}
	// Each text as the student's phone received it (tokens withheld).
	sent := string(files["tables/messages.json"])
	texts := 0
	token := regexp.MustCompile(`/l/[A-Za-z0-9_-]+`)
	for _, msg := range s.Twilio.Messages() {
		if msg.To != studentPhone {
			continue
		}
		texts++
		want, _ := json.Marshal(token.ReplaceAllString(msg.Body, "/l/[link withheld]"))
		if !strings.Contains(sent, string(want)) {
			t.Errorf("the export lacks the text as sent: %s", want)
		}
	}
	if texts == 0 || token.MatchString(strings.ReplaceAll(sent, "/l/[link withheld]", "")) {
		t.Errorf("%d texts to check; a link token in the export: %v", texts, token.FindString(strings.ReplaceAll(sent, "/l/[link withheld]", "")))
	}
	for file, want := range map[string][]string{
		"tables/esign_consents.json":    {consentIP, consentUA},
		"tables/inbound_messages.json":  {"what do I do next?"},
		"tables/contact_optouts.json":   {studentPhone, guardianPhone},
		"tables/message_events.json":    {"EVrecords1"},
		"tables/audit_log.json":         {"document_viewed"},
		"tables/timesheet_entries.json": {"front desk"},
		"tables/survey_responses.json":  {"bike"},
		"workflows.json":                {workflows.WeekWorkflowID(workflows.JourneyWorkflowID(journeyOf(t, s, f)), weeks[1]), "TimesheetWeek", "Running"},
	} {
		for _, w := range want {
			if !strings.Contains(string(files[file]), w) {
				t.Errorf("%s lacks %q", file, w)
			}
		}
	}
	// A digest's items about other students stay out of Maya's record.
	if strings.Contains(sent, "Leo") || !strings.Contains(sent, `"sent_in_digest"`) || !strings.Contains(sent, "Maya applied to") {
		t.Error("the digest email is not shown as Maya's item alone")
	}
	resume := 0
	for name, body := range files {
		if strings.HasPrefix(name, "documents/") && strings.HasSuffix(name, "/resume.pdf") && string(body) == "%PDF-1.4 test resume" {
			resume++
		}
	}
	if resume != 1 {
		t.Errorf("the archive holds %d copies of the resume's bytes, want 1", resume)
	}
}

func journeyOf(t *testing.T, s *apptest.Stack, f apptest.Fixture) string {
	var id string
	must(t, s.Pool.QueryRow(context.Background(), `SELECT id::text FROM journeys WHERE student_id = $1`, f.Student).Scan(&id))
	return id
}

// checkPurged scans every text-like column of every table for the
// student's id, journey id and phone; only the purge's audit entry may
// name the student. No workflow of the journey is left in Temporal.
func checkPurged(t *testing.T, s *apptest.Stack, f apptest.Fixture, journeyID string, weeks []string) {
	t.Helper()
	ctx := context.Background()
	for table, n := range mentions(t, s, f.Student, journeyID) {
		if n != 0 {
			t.Errorf("after the purge %d rows of %s still name the student, their journey or phone", n, table)
		}
	}
	var after []byte
	must(t, s.Pool.QueryRow(ctx, `SELECT after FROM audit_log WHERE action = 'student_purged' AND entity_id = $1 AND actor_ref = $2
		AND reason = 'Parent''s FERPA deletion request #42'`, f.Student, f.Coordinator).Scan(&after))
	if !strings.Contains(string(after), `"timesheets": 1`) {
		t.Errorf("the purge's audit entry does not count what went: %s", after)
	}
	wfID := workflows.JourneyWorkflowID(journeyID)
	testenv.Eventually(t, "no workflow of the journey in Temporal", func() bool {
		resp, err := s.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default",
			Query: fmt.Sprintf(`WorkflowId = '%[1]s' OR WorkflowId STARTS_WITH '%[1]s-'`, wfID)})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Executions) > 0 {
			for _, e := range resp.Executions {
				_, derr := s.Temporal.DescribeWorkflow(ctx, e.Execution.WorkflowId, e.Execution.RunId)
				t.Logf("left: %s %s %s describe: %v", e.Execution.WorkflowId, e.Execution.RunId, e.Status, derr)
			}
			return false
		}
		for _, id := range []string{wfID, workflows.WeekWorkflowID(wfID, weeks[0]), workflows.WeekWorkflowID(wfID, weeks[1])} {
			_, err := s.Temporal.DescribeWorkflow(ctx, id, "")
			var nf *serviceerror.NotFound
			if !errors.As(err, &nf) {
				return false
			}
		}
		return true
	})
}

// mentions counts, in every table, the rows any of whose columns (as
// text; bytes aside) holds the student's id, their journey id or their
// phone. The purge's own audit entry is not counted.
func mentions(t *testing.T, s *apptest.Stack, studentID, journeyID string) map[string]int {
	t.Helper()
	ctx := context.Background()
	rows, err := s.Pool.Query(ctx, `SELECT table_name::text,
			string_agg(format('coalesce(%I::text, %L)', column_name, ''), ' || '' '' || ')
		FROM information_schema.columns c
		WHERE table_schema = 'public' AND data_type <> 'bytea'
		  AND EXISTS (SELECT 1 FROM information_schema.tables t WHERE t.table_schema = 'public'
		      AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE')
		GROUP BY table_name ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	scans := map[string]string{}
	for rows.Next() {
		var table, text string
		must(t, rows.Scan(&table, &text))
		scans[table] = text
	}
	counts := map[string]int{}
	for table, text := range scans {
		q := fmt.Sprintf(`SELECT count(*) FROM %q WHERE (strpos(%[2]s, $1) > 0 OR strpos(%[2]s, $2) > 0 OR strpos(%[2]s, $3) > 0)`, table, text)
		if table == "audit_log" {
			q += ` AND NOT (action = 'student_purged' AND entity_id = $1)`
		}
		var n int
		if err := s.Pool.QueryRow(ctx, q, studentID, journeyID, studentPhone).Scan(&n); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

func exec(t *testing.T, s *apptest.Stack, sql string, args ...any) {
	t.Helper()
	if _, err := s.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
