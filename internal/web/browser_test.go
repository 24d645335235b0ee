package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/browsertest"
	"github.com/internflow/internflow/workflows"
)

// The link pages' browser tests run Chromium on a phone-sized screen.
var (
	browser    = browsertest.Phone
	run        = browsertest.Run
	text       = browsertest.Text
	screenshot = browsertest.Screenshot
)

// A real browser on a phone-sized screen: the student opens the survey
// link from the text and sends it; later the student, the parent and the
// supervisor each open their signing link, agree to sign electronically,
// type their name and sign. The database holds three signatures bound to
// the permit's hash with their evidence, and the journey waits on the
// school's permit issuer.
func TestBrowser_SurveyAndThreeSignersOnAPhone(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)

	run(t, ctx, "fill the survey", chromedp.Navigate(e.linkFor(studentPhone, "survey")),
		chromedp.WaitVisible(chromedp.ID("pathway")),
		chromedp.SetValue(chromedp.ID("pathway"), "Health Science and Medical Technology"),
		chromedp.Click(chromedp.CSS(`input[name=interests][value=helping]`)),
		chromedp.Click(chromedp.CSS(`input[name=transport][value=transit]`)),
		chromedp.Click(chromedp.CSS(`input[name=contact_consent]`)),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)))
	if heading := text(t, ctx, "h1"); heading != "Done" {
		t.Fatalf("after the survey the page says %q", heading)
	}
	if n := e.count(`SELECT count(*) FROM survey_responses WHERE journey_id = $1 AND pathway = 'Health Science and Medical Technology' AND transport = 'transit' AND contact_consent`, e.journey); n != 1 {
		t.Fatalf("survey rows from the browser: %d", n)
	}

	e.toPermitAfterSurvey()
	sha := e.status().Permit.DocumentSHA256
	signers := []struct{ to, name string }{{studentPhone, "Maya Lopez"}, {guardianPhone, "Rosa Lopez"}, {supervisorEmail, "Dr. Kim"}}
	var linkIDs []string
	for i, s := range signers {
		link := e.linkFor(s.to, "sign_permit")
		id, _, _ := e.linkState(link)
		linkIDs = append(linkIDs, id)
		run(t, ctx, s.name+" opens the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name=agree]`)))
		shown := text(t, ctx, ".hash")
		run(t, ctx, s.name+" consents", chromedp.Click(chromedp.CSS(`input[name=agree]`)),
			chromedp.Click(chromedp.CSS(`button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("typed_name")),
			chromedp.SendKeys(chromedp.ID("typed_name"), s.name))
		if !strings.Contains(shown, sha) {
			t.Errorf("%s's page shows hash %q, the permit is %s", s.name, shown, sha)
		}
		if i == 0 {
			screenshot(t, ctx, "signing-page.png")
		}
		run(t, ctx, s.name+" signs", chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.done`)))
		if heading := text(t, ctx, ".done p"); !strings.Contains(heading, "your signature is recorded") {
			t.Fatalf("%s after signing: %q", s.name, heading)
		}
	}

	rows, err := e.Pool.Query(context.Background(), `SELECT g.signer_role, g.link_id::text, g.ip, g.user_agent, g.consent_at <= g.signed_at
		FROM signatures g JOIN work_permits w ON w.document_id = g.document_id
		WHERE w.journey_id = $1 AND g.document_sha256 = decode($2, 'hex') ORDER BY g.signed_at`, e.journey, sha)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var role, link, ip, ua string
		var ordered bool
		if err := rows.Scan(&role, &link, &ip, &ua, &ordered); err != nil {
			t.Fatal(err)
		}
		if link != linkIDs[n] || ip != "127.0.0.1" || !strings.Contains(ua, "Chrome") || !ordered {
			t.Errorf("signature %d (%s): link %s (want %s), ip %q, user agent %q, consent before signing %v", n, role, link, linkIDs[n], ip, ua, ordered)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d signatures bound to the permit's hash, want 3", n)
	}
	eventually(t, "the journey to wait on the permit issuer", func() bool {
		st := e.status()
		return st.Stage == workflows.StageWorkPermit && len(st.Permit.Signed) == 3 && st.WaitingOn == workflows.PartyIssuer
	})
}

// toPermitAfterSurvey takes a journey whose survey is done to the permit.
func (e *env) toPermitAfterSurvey() {
	e.t.Helper()
	e.waitStage("intern_ready")
	e.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student(e.f), Kind: "resume", DocumentID: apptest.Document(e.t, e.Store, e.journey, "resume")})
	e.update(workflows.UpdateBadgeDocument, workflows.BadgeDocumentInput{By: student(e.f), Kind: "cover_letter", DocumentID: apptest.Document(e.t, e.Store, e.journey, "cover_letter")})
	e.update(workflows.UpdateReviewBadge, workflows.BadgeReviewInput{By: coord(e.f), Approve: true})
	e.waitStage("applying")
	e.update(workflows.UpdateApply, workflows.ApplyInput{By: student(e.f), PostingID: e.f.Posting})
	app := e.status().Applications[0].ID
	e.update(workflows.UpdateDecideApplication, workflows.DecisionInput{By: supervisor(e), ApplicationID: app, Status: "offer"})
	e.update(workflows.UpdateAcceptOffer, workflows.AcceptOfferInput{By: student(e.f), ApplicationID: app})
	e.waitStage("mou_gate")
	signVia(e.t, e.linkFor(employerEmail, "sign_mou"), "Pat Lee")
	e.approveMOU()
	e.waitStage("work_permit")
	eventually(e.t, "the permit", func() bool { return e.status().Permit != nil })
}

// On a phone, a student who signs with a name that is not theirs is asked
// "Sign anyway?", taps the button that confirms, and the signature is
// recorded with the typed name (the issuer sees both names).
func TestBrowser_NameNotOnRecord_ConfirmedOnThePhone(t *testing.T) {
	ctx := browser(t)
	e := newEnv(t, `{}`)
	e.waitStage("survey")
	e.update(workflows.UpdateSurvey, workflows.SurveyInput{By: student(e.f), Pathway: "Health Sciences", Transport: "transit", ContactConsent: true})
	e.toPermitAfterSurvey()
	link := e.linkFor(studentPhone, "sign_permit")
	run(t, ctx, "consent", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`input[name=agree]`)),
		chromedp.Click(chromedp.CSS(`input[name=agree]`)), chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("typed_name")), chromedp.SendKeys(chromedp.ID("typed_name"), "Mickey Mouse"),
		chromedp.Click(chromedp.CSS(`form.signature button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form.confirm-name button`)))
	if q := text(t, ctx, ".field-error"); !strings.Contains(q, "The name you typed, Mickey Mouse, is not the name we have, Maya Lopez. Sign anyway?") {
		t.Fatalf("the page asks %q", q)
	}
	run(t, ctx, "confirm", chromedp.Click(chromedp.CSS(`form.confirm-name button`)), chromedp.WaitVisible(chromedp.CSS(`.done`)))
	if n := e.count(`SELECT count(*) FROM signatures WHERE signer_role = 'student' AND typed_name = 'Mickey Mouse'`); n != 1 {
		t.Fatalf("confirmed signatures: %d", n)
	}
}
