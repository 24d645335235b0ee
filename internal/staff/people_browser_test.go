package staff_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/testenv"
)

const (
	harborAdmin = "dana.whitfield@harbor.example.org"
	harborCoach = "rosa.diaz@harbor.example.org"
	harborView  = "Harbor View High School"
)

// A district's first start, in a real browser: `district create` prints a
// link; the admin signs in with it, adds a school (the staff pages warn it
// has no coordinator), invites its coordinator, who signs in from the
// emailed invitation and sees that school's dashboard. A mistyped email is
// refused next to the field and writes nothing; revoking the coordinator
// is audited; the district's last admin cannot be revoked.
func TestBrowser_DistrictCreateThenAdminNamesACoordinatorWhoSignsIn(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t)
	startDistrict(t, ctx, e, "Harbor Unified", harborAdmin, "Dana Whitfield")
	addSchool(t, ctx, harborView, "America/Los_Angeles", "")
	if got := text(t, ctx, "#schools tbody"); !strings.Contains(got, harborView) || !strings.Contains(got, "None yet: name one") {
		t.Fatalf("schools listed: %q", got)
	}
	if got := text(t, ctx, "#no-coordinator"); !strings.Contains(got, harborView+" has no coordinator") {
		t.Fatalf("the warning reads %q", got)
	}

	run(t, ctx, "invite with a mistyped email", chromedp.Click(chromedp.CSS(`nav a[href="/staff/people"]`)),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "rosa.diaz@harbor"),
		chromedp.SendKeys(chromedp.ID("name"), "Rosa Diaz"),
		chromedp.SetValue(chromedp.ID("invite-role"), "coordinator"),
		chromedp.SetValue(chromedp.ID("invite-school"), e.harborSchool(t)),
		chromedp.Click(chromedp.CSS(`#invite button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#invite .field-error`)))
	if got := text(t, ctx, `#invite label[for=email] .field-error`); got != "Enter an email address like name@district.org." {
		t.Fatalf("next to the email field: %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM staff WHERE email LIKE 'rosa%'`) + e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'staff_invited'`); n != 0 {
		t.Fatalf("a refused invitation wrote %d rows", n)
	}

	run(t, ctx, "invite the coordinator", chromedp.SetValue(chromedp.ID("email"), harborCoach),
		chromedp.Click(chromedp.CSS(`#invite button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "Invitation sent to "+harborCoach+"." {
		t.Fatalf("after inviting the page says %q", got)
	}
	if row := text(t, ctx, "#staff"); !strings.Contains(row, "Rosa Diaz") || !strings.Contains(row, "Coordinator, "+harborView) {
		t.Fatalf("staff table:\n%s", row)
	}
	invitation := e.LastLink(harborCoach)
	mail := e.lastEmail(t, harborCoach)
	if !strings.Contains(mail, "Dana Whitfield invited you to sign in to internflow, where Harbor Unified runs its internship programs.") || invitation == "" {
		t.Fatalf("the invitation reads:\n%s", mail)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("staff")))
	if banner, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("no-coordinator") !== null`)); err != nil || banner {
		t.Fatalf("the no-coordinator warning is still shown (%v)", err)
	}

	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form.signout button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/staff/login"]`)))
	run(t, ctx, "the coordinator opens the invitation", chromedp.Navigate(invitation),
		chromedp.WaitVisible(chromedp.ID("sign-in")), chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Staff]`)))
	if h1 := text(t, ctx, "main h1"); h1 != harborView {
		t.Fatalf("the coordinator's dashboard is titled %q", h1)
	}
	if loc := location(t, ctx); loc != e.URL+"/staff" {
		t.Fatalf("after the invitation the coordinator is at %s", loc)
	}

	run(t, ctx, "sign out", chromedp.Click(chromedp.CSS(`form.signout button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/staff/login"]`)))
	signInInBrowser(t, ctx, e, harborAdmin)
	rosa := e.staffID(t, harborCoach)
	run(t, ctx, "revoke the coordinator", chromedp.Navigate(e.URL+"/staff/people"),
		chromedp.Click(chromedp.CSS(`#staff-`+rosa+` button.revoke`)),
		chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	if got := text(t, ctx, ".flash.ok"); got != "Role revoked." {
		t.Fatalf("after revoking the page says %q", got)
	}
	if got := text(t, ctx, "#no-coordinator"); !strings.Contains(got, harborView+" has no coordinator") {
		t.Fatalf("after the revoke the warning reads %q", got)
	}
	if n := e.auditCount(t, harborAdmin, "role_revoked", rosa); n != 1 {
		t.Fatalf("%d role_revoked audit rows for the coordinator, want 1", n)
	}

	dana := e.staffID(t, harborAdmin)
	run(t, ctx, "revoke the last admin", chromedp.Click(chromedp.CSS(`#staff-`+dana+` button.revoke`)),
		chromedp.WaitVisible(chromedp.ID("row-error")))
	if got := text(t, ctx, "#row-error"); got != "This is the district's last admin. Grant District admin to someone else first, then revoke this one." {
		t.Fatalf("revoking the last admin says %q", got)
	}
	if n := e.count(t, `SELECT count(*) FROM staff_roles WHERE staff_id = $1 AND role = 'district_admin'`, dana); n != 1 {
		t.Fatal("the last admin's role was revoked")
	}
	shot(t, ctx, "staff-and-roles.png")
}

// startDistrict runs `internflow district create` (the one command a new
// district needs) and signs its first admin in from the printed link.
func startDistrict(t *testing.T, ctx context.Context, e *env, name, adminEmail, adminName string) {
	t.Helper()
	out, errOut, status := testenv.Run(t, []string{"DATABASE_URL=" + e.Pool.Config().ConnString(), "BASE_URL=" + e.URL,
		"LINK_SECRET=" + string(e.Cfg.LinkSecret)},
		"district", "create", "--name", name, "--admin-email", adminEmail, "--admin-name", adminName)
	link := regexp.MustCompile(regexp.QuoteMeta(e.URL) + `/l/[A-Za-z0-9_-]+`).FindString(out)
	if status != 0 || link == "" {
		t.Fatalf("district create exited %d:\n%s%s", status, out, errOut)
	}
	run(t, ctx, "open the printed link and sign in", chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.ID("sign-in")), chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Staff]`)))
}

// addSchool adds a school on the Schools page (sisID may be empty) and
// waits for the page to confirm it.
func addSchool(t *testing.T, ctx context.Context, name, tz, sisID string) {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`nav a[href="/staff/schools"]`)),
		chromedp.WaitVisible(chromedp.ID("school-name")),
		chromedp.SendKeys(chromedp.ID("school-name"), name),
		chromedp.SendKeys(chromedp.ID("school-tz"), tz)}
	if sisID != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.ID("school-sis"), sisID))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(`#add-school button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.flash.ok`)))
	run(t, ctx, "add "+name, steps...)
	if got := text(t, ctx, ".flash.ok"); !strings.HasPrefix(got, name+" added.") {
		t.Fatalf("after adding %s the page says %q", name, got)
	}
}

func (e *env) staffID(t *testing.T, email string) string {
	t.Helper()
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id::text FROM staff WHERE email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// harborSchool is the id of the school the admin added.
func (e *env) harborSchool(t *testing.T) string {
	t.Helper()
	var id string
	if err := e.Pool.QueryRow(context.Background(), `SELECT id::text FROM schools WHERE name = $1`, harborView).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// lastEmail is the text of the newest email to an address, as received.
func (e *env) lastEmail(t *testing.T, to string) string {
	t.Helper()
	e.Drain()
	var last string
	for _, m := range e.SendGrid.Messages() {
		if m.To == to {
			last = m.Text
		}
	}
	return last
}
