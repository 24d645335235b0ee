package staff_test

import (
	"context"
	"strings"
	"testing"
)

// TestStudentPage_TimelineNamesWhoActedInWords would have caught
// "Timesheet approved by system" for a week the supervisor approved,
// "Flags: <nil>", "Badge review:0:", raw step codes such as
// permit_sign:guardian:v2, and district time for a school in another zone.
func TestStudentPage_TimelineNamesWhoActedInWords(t *testing.T) {
	e := newEnv(t)
	exec := func(q string, args ...any) { t.Helper(); e.exec(t, q, args...) }
	// The school keeps Eastern time; the district is in California.
	exec(`UPDATE schools SET timezone = 'America/New_York' WHERE id = $1`, e.f.School)
	exec(`INSERT INTO timesheets (journey_id, week_start, status, hours_total, submitted_at, reviewed_at, reviewer_ref)
		VALUES ($1, '2026-11-30', 'approved', 6, '2026-12-04T20:00:00Z', '2026-12-05T17:00:00Z', $2)`, e.journeyA, e.f.Supervisor)
	// What the journey recorded (high seq numbers stay clear of the running workflow's own).
	for i, ev := range []struct{ kind, actor, ref, detail, at string }{
		{"timesheet_submitted", "student", e.f.Student, `{"week": "2026-11-30", "hours": 6, "flags": null}`, "2026-12-04T20:00:00Z"},
		// The week's result reached the journey before the signal naming the supervisor.
		{"timesheet_approved", "system", "", `{"week": "2026-11-30", "hours": 6, "total": 6}`, "2026-12-05T17:00:00Z"},
		{"escalated", "system", "", `{"step": "badge_review:0:"}`, "2026-12-06T17:00:00Z"},
		{"escalated", "system", "", `{"step": "permit_sign:guardian:v2"}`, "2026-12-07T17:00:00Z"},
		{"waived", "staff", e.f.Coordinator, `{"step": "permit_sign:guardian", "reason": "Parent is abroad"}`, "2026-12-08T17:00:00Z"},
	} {
		exec(`INSERT INTO journey_events (journey_id, seq, kind, stage, actor_kind, actor_ref, detail, at)
			VALUES ($1, $2, $3, 'working', $4, $5, $6, $7)`, e.journeyA, 1_000_000+i, ev.kind, ev.actor, ev.ref, ev.detail, ev.at)
	}
	exec(`INSERT INTO messages (idem_key, district_id, journey_id, recipient_kind, recipient_ref, channel, to_address, template,
		status, fail_reason, created_at) VALUES ('timeline-test', $1, $2, 'supervisor', $3, 'email', 'kim@clinic.example.org',
		'timesheet_approval_request', 'cancelled', 'step_closed', '2026-12-05T18:00:00Z')`, e.f.District, e.journeyA, e.f.Supervisor)
	page := e.signIn(t, coachA).Get("/staff/students/" + e.journeyA)
	has(t, page,
		`<strong>Timesheet approved</strong> <span class="muted">by supervisor Dr. Kim · Working</span><br><span class="muted">6 h · 6 h in all · week of Nov 30, 2026</span>`,
		`<strong>Timesheet submitted</strong> <span class="muted">by the student · Working</span><br><span class="muted">6 h · week of Nov 30, 2026</span>`,
		`Intern Ready badge review`,
		`Work permit signature (parent/guardian), version 2`,
		`<strong>Waived</strong> <span class="muted">by Coach Rivera · Working</span><br><span class="muted">Reason: Parent is abroad · Permit: parent&#39;s signature</span>`,
		// 17:00 UTC is noon at an Eastern school (9 am in the district's California).
		`Dec 5, 2026 12:00 pm EST`,
		`<span class="tag">Email</span> Timesheet approval request to Supervisor <span class="muted">· not sent: the step was already done</span>`,
	)
	timeline := page.Body[strings.Index(page.Body, `id="timeline"`):]
	for _, leak := range []string{"&lt;nil&gt;", "<nil>", "by system", "by the system · Working</span><br><span class=\"muted\">6 h", ":0:",
		"badge_review", "permit_sign", "Dec 5, 2026 9:00 am"} {
		if strings.Contains(timeline, leak) {
			t.Errorf("the timeline shows %q:\n%s", leak, timeline)
		}
	}
}

// TestStudentPage_CancelledReminderSaysWhyItWasNotSent: a reminder held
// for quiet hours whose step closed meanwhile is cancelled by the
// dispatcher; the coordinator reads why in words.
func TestStudentPage_CancelledReminderSaysWhyItWasNotSent(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `INSERT INTO messages (idem_key, journey_id, recipient_kind, recipient_ref, channel,
			to_address, template, status, fail_reason, wait_key)
		VALUES ('t:held', $1, 'student', $2, 'sms', '+15555550199', 'survey_nudge', 'cancelled', 'step_closed', 'k')`,
		e.journeyA, e.f.Student); err != nil {
		t.Fatal(err)
	}
	page := e.signIn(t, coachA).Get("/staff/students/" + e.journeyA)
	has(t, page, "Survey nudge to Student <span class=\"muted\">· not sent: the step was already done")
	if strings.Contains(page.Body, "step_closed") {
		t.Error("the timeline shows the code step_closed")
	}
}

// TestDashboard_DatesInEachSchoolsZone would have caught the dashboard's
// dates in district time for a school in another time zone.
func TestDashboard_DatesInEachSchoolsZone(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.Pool.Exec(ctx, `UPDATE schools SET timezone = 'Pacific/Honolulu' WHERE id = $1`, e.schoolB); err != nil {
		t.Fatal(err)
	}
	// 05:00 UTC on Dec 6 is still Dec 5 in Honolulu (and Dec 5 in California).
	if _, err := e.Pool.Exec(ctx, `UPDATE journey_view SET stage_since = '2026-12-06T09:00:00Z', waiting_since = '2026-12-06T09:00:00Z' WHERE journey_id = $1`, e.journeyB); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Pool.Exec(ctx, `UPDATE districts SET timezone = 'Asia/Tokyo' WHERE id = $1`, e.f.District); err != nil {
		t.Fatal(err)
	}
	page := e.signIn(t, adminEmail).Get("/staff?school=" + e.schoolB)
	// Tokyo (the district) reads Dec 6, 6 pm; Honolulu (the school) Dec 5, 11 pm.
	has(t, page, "Bruno", `>Dec 5</time>`)
	if strings.Contains(page.Body, `>Dec 6</time>`) {
		t.Errorf("the dashboard shows the district's date for a Honolulu school:\n%s", page.Body)
	}
	// The ops console lists it (overdue) with the school's date too.
	if _, err := e.Pool.Exec(ctx, `UPDATE journey_view SET overdue = true WHERE journey_id = $1`, e.journeyB); err != nil {
		t.Fatal(err)
	}
	ops := e.signIn(t, adminEmail).Get("/staff/ops")
	has(t, ops, "Bruno", `<td data-label="Since">Dec 5 `)
}
