package messaging

import (
	"strings"
	"testing"
)

// A school with no coordinator used to drop every coordinator message: the
// student waited on nobody. Now district ops get it, told which school has
// no coordinator; once one is named, the next message goes to them alone.
func TestEnqueue_CoordinatorMessageAtSchoolWithoutCoordinator_ReachesDistrictOpsUntilOneIsNamed(t *testing.T) {
	e := newEnv(t)
	const opsEmail, newCoachEmail = "ops@bay.example", "new.coach@bay.example"
	var ops, coach string
	e.mustScan(&ops, `INSERT INTO staff (district_id, name, email) VALUES ($1, 'Olu Osei', $2) RETURNING id`, e.w.district, opsEmail)
	e.exec(`INSERT INTO staff_roles (staff_id, role) VALUES ($1, 'district_ops')`, ops)
	_, ava := addStudent(t, e.pool, e.w, e.w.school2, "Ava", "+15555550106", "", "en", "")
	review := func(key string) Request {
		return Request{IdemKey: key, DistrictID: e.w.district, SchoolID: e.w.school2, JourneyID: ava,
			To: Recipient{Kind: "coordinator", Ref: e.w.school2}, Template: "badge_review_request"}
	}

	out := e.enqueue(review("badge_review:1"))
	if out.Status != StatusQueued || len(out.Messages) != 1 {
		t.Fatalf("coordinator message at Roosevelt High (no coordinator): %+v, want one message to district ops", out)
	}
	e.drain()
	got := e.sg.Messages()
	if len(got) != 1 || got[0].To != opsEmail {
		t.Fatalf("emails sent: %+v, want one to district ops", got)
	}
	want := "Roosevelt High has no coordinator, so this comes to you instead. A district admin can name one on the Staff page."
	if !strings.Contains(got[0].Text, "Hello Olu Osei,\n\n"+want+"\n\n") || !strings.Contains(got[0].Text, "Ava") {
		t.Fatalf("district ops read:\n%s\nwant it to open with %q and name the student", got[0].Text, want)
	}

	e.mustScan(&coach, `INSERT INTO staff (district_id, name, email) VALUES ($1, 'Rosa Diaz', $2) RETURNING id`, e.w.district, newCoachEmail)
	e.exec(`INSERT INTO staff_roles (staff_id, role, school_id) VALUES ($1, 'coordinator', $2)`, coach, e.w.school2)
	e.enqueue(review("badge_review:2"))
	e.drain()
	got = e.sg.Messages()
	if len(got) != 2 || got[1].To != newCoachEmail {
		t.Fatalf("after naming a coordinator the emails are %+v, want the second to %s", got, newCoachEmail)
	}
	if strings.Contains(got[1].Text, "has no coordinator") || !strings.HasPrefix(got[1].Text, "Hello Rosa Diaz,\n\n") {
		t.Fatalf("the coordinator read:\n%s", got[1].Text)
	}
}

// A district with no ops yet (just started) hands them to its admins.
func TestEnqueue_SchoolWithoutCoordinatorInDistrictWithoutOps_ReachesTheAdmin(t *testing.T) {
	e := newEnv(t)
	var admin string
	e.mustScan(&admin, `INSERT INTO staff (district_id, name, email) VALUES ($1, 'Ada Admin', 'admin@bay.example') RETURNING id`, e.w.district)
	e.exec(`INSERT INTO staff_roles (staff_id, role) VALUES ($1, 'district_admin')`, admin)
	_, ava := addStudent(t, e.pool, e.w, e.w.school2, "Ava", "+15555550106", "", "en", "")
	out := e.enqueue(Request{IdemKey: "permit:1", DistrictID: e.w.district, SchoolID: e.w.school2, JourneyID: ava,
		To: Recipient{Kind: "permit_issuer", Ref: e.w.school2}, Template: "badge_review_request"})
	e.drain()
	got := e.sg.Messages()
	if out.Status != StatusQueued || len(got) != 1 || got[0].To != "admin@bay.example" ||
		!strings.Contains(got[0].Text, "Roosevelt High has no permit issuer, so this comes to you instead.") {
		t.Fatalf("outcome %+v, emails %+v", out, got)
	}
}

// mustScan runs a query returning one value.
func (e *env) mustScan(dst any, sql string, args ...any) {
	e.t.Helper()
	if err := e.pool.QueryRow(e.ctx, sql, args...).Scan(dst); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}
