package staff_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A coordinator of a district that signs in with its provider, in a real
// browser: types their work email, presses "Sign in with Test Provider",
// continues on the provider's own page and lands on their dashboard.
func TestBrowser_StaffSignInWithTheDistrictProvider(t *testing.T) {
	ctx := browser(t)
	s := newSSOEnv(t, nil)
	run(t, ctx, "type the work email", chromedp.Navigate(s.URL+"/staff"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), coachA),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("sso")))
	if got := text(t, ctx, "#sso"); got != "Sign in with Test Provider" {
		t.Fatalf("the provider button says %q", got)
	}
	shot(t, ctx, "sso-choice.png")
	run(t, ctx, "press Sign in with Test Provider", chromedp.Click(chromedp.ID("sso")),
		chromedp.WaitVisible(chromedp.ID("continue")))
	if loc := location(t, ctx); !strings.HasPrefix(loc, s.idp.URL+"/authorize") {
		t.Fatalf("the button led to %s, not the provider", loc)
	}
	run(t, ctx, "continue at the provider", chromedp.Click(chromedp.ID("continue")),
		chromedp.WaitVisible(chromedp.CSS(`nav[aria-label=Staff]`)))
	if loc := location(t, ctx); loc != s.URL+"/staff" {
		t.Fatalf("after signing in the browser is at %s", loc)
	}
	if body := text(t, ctx, "main"); !strings.Contains(body, "Maya") {
		t.Fatalf("the dashboard does not show the coordinator's students:\n%s", body)
	}
	if n := s.auditCount(t, coachA, "signed_in", ""); n != 1 {
		t.Fatalf("%d signed_in audit rows, want 1", n)
	}
}
