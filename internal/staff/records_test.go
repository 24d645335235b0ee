package staff_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"go.temporal.io/api/serviceerror"

	"github.com/internflow/internflow/internal/staff/stafftest"
	"github.com/internflow/internflow/workflows"
)

// TestStudentPage_DistrictAdmin_DownloadsTheRecordAndPurgesIt_Audited: the
// student page offers a district admin (only) the record as one archive
// and a purge that asks for the request and the student's name; both land
// in the audit log, and the purge leaves the student nowhere.
func TestStudentPage_DistrictAdmin_DownloadsTheRecordAndPurgesIt_Audited(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	page := "/staff/students/" + e.journeyA
	purge := url.Values{"reason": {"Parent's FERPA request #7"}, "confirm": {"maya  LOPEZ"}}

	coach := stafftest.SignIn(t, e.Stack, coachA)
	if body := coach.Get(page).Body; strings.Contains(body, "Record request") || strings.Contains(body, "record.zip") {
		t.Error("a coordinator's student page offers the record request")
	}
	if r := coach.Get(page + "/record.zip"); r.Status != http.StatusForbidden {
		t.Errorf("a coordinator downloads the record: %d", r.Status)
	}
	if r := coach.Action(page+"/purge-record", purge); r.Status != http.StatusForbidden {
		t.Errorf("a coordinator purges the record: %d", r.Status)
	}
	elsewhere := stafftest.SignIn(t, e.Stack, otherOps)
	if r := elsewhere.Get(page + "/record.zip"); r.Status != http.StatusNotFound {
		t.Errorf("another district's admin downloads the record: %d", r.Status)
	}

	admin := stafftest.SignIn(t, e.Stack, adminEmail)
	body := admin.Get(page).Body
	for _, want := range []string{"Record request (FERPA)", `href="` + page + `/record.zip"`, "Purge the record",
		"Type the student's name, Maya Lopez, to confirm"} {
		if !strings.Contains(body, want) {
			t.Errorf("the admin's student page lacks %q", want)
		}
	}
	r := admin.Get(page + "/record.zip")
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %s %s", r.Status, r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"))
	}
	files := unzip(t, []byte(r.Body))
	if !strings.Contains(files["manifest.json"], `"schema_version"`) || !strings.Contains(files["tables/students.json"], `"Maya"`) ||
		!strings.Contains(files["tables/messages.json"], `"sent_text"`) {
		t.Errorf("the archive lacks the manifest, the student or the messages as sent: %d files", len(files))
	}
	var adminID string
	if err := e.Pool.QueryRow(ctx, `SELECT id::text FROM staff WHERE email = $1`, adminEmail).Scan(&adminID); err != nil {
		t.Fatal(err)
	}
	audited := func(action string) int {
		var n int
		if err := e.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2 AND actor_ref = $3
			AND ip IS NOT NULL`, action, e.f.Student, adminID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if audited("student_record_exported") != 1 {
		t.Error("the download is not in the audit log")
	}

	// A purge without the request or the name is refused, next to each field.
	r = admin.Action(page+"/purge-record", url.Values{"reason": {" "}, "confirm": {"Maya"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "Give the record request this purge answers") ||
		!strings.Contains(r.Body, "Type the student&#39;s name, Maya Lopez, to confirm.</span>") || !strings.Contains(r.Body, `<details id="purge" open>`) {
		t.Errorf("refused purge: %d\n%s", r.Status, r.Body)
	}
	kept(t, r, "purge-record", "confirm", "Maya")
	r = admin.Action(page+"/purge-record", purge)
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/staff" {
		t.Fatalf("purge: %d %s\n%s", r.Status, r.Header.Get("Location"), r.Body)
	}
	if body := admin.Get("/staff").Body; !strings.Contains(body, "The student&#39;s record was purged: 1 journey and") {
		t.Error("the dashboard does not say the record was purged")
	}
	if audited("student_purged") != 1 {
		t.Error("the purge is not in the audit log with who and from where")
	}
	var left int
	if err := e.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM students WHERE id = $1::uuid) + (SELECT count(*) FROM journeys WHERE student_id = $1::uuid)
		+ (SELECT count(*) FROM audit_log WHERE entity_id = $1::text AND action <> 'student_purged')`, e.f.Student).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d rows of the student remain after the purge", left)
	}
	eventually(t, "the journey's workflow deleted", func() bool {
		_, err := e.Temporal.DescribeWorkflow(ctx, workflows.JourneyWorkflowID(e.journeyA), "")
		var nf *serviceerror.NotFound
		return errors.As(err, &nf)
	})
	if r := admin.Get(page); r.Status != http.StatusNotFound {
		t.Errorf("the purged student's page: %d", r.Status)
	}
	if r := admin.Get("/staff/students/" + e.journeyB); r.Status != http.StatusOK {
		t.Errorf("another student's page after the purge: %d", r.Status)
	}
}

func unzip(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(body)
	}
	return out
}
