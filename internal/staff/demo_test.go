package staff_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/apptest"
	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/demo"
	"github.com/internflow/internflow/internal/staff/stafftest"
)

// `make run` seeds demo staff and prints a sign-in link for the demo
// coordinator; that link signs in and shows Lincoln High's students only.
func TestDemo_DevSignInLinkOpensTheCoordinatorsDashboard(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, s.Store, s.Journeys); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, s.Store, s.Journeys); err != nil { // a second start changes nothing
		t.Fatal(err)
	}
	var staff, roles int
	if err := s.Pool.QueryRow(ctx, `SELECT count(DISTINCT s.id), count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id`).Scan(&staff, &roles); err != nil || staff != 6 || roles != 6 {
		t.Fatalf("demo staff %d with %d roles (%v), want 6 and 6", staff, roles, err)
	}
	link, err := auth.SignInURL(ctx, s.Pool, s.Links, demo.CoordinatorEmail, 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c := stafftest.Anonymous(t, s)
	page := c.Get(link)
	if r := c.PostForm(link, url.Values{"csrf_token": {stafftest.CSRFField(page.Body)}}); r.Status != http.StatusSeeOther {
		t.Fatalf("dev sign-in link: %d", r.Status)
	}
	var home stafftest.Response
	eventually(t, "the demo journeys on the dashboard", func() bool {
		home = c.Get("/staff?stage=all")
		return strings.Contains(home.Body, "Ana Reyes")
	})
	has(t, home, "Lincoln High School", "Chloe Nguyen", "Ella Johnson")
	if strings.Contains(home.Body, "Ben Okafor") {
		t.Fatal("the Lincoln coordinator sees a Roosevelt student")
	}
}
