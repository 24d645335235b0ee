package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/hours"
	"github.com/internflow/internflow/internal/links"
	"github.com/internflow/internflow/internal/store"
)

// firstSignInTTL is how long the printed link works: long enough to pass
// it to the admin, once.
const firstSignInTTL = 24 * time.Hour

// runDistrictCreate creates a district with its first admin and prints a
// one-time sign-in link for them. It needs only the database (migrated
// here if new), not Temporal.
func runDistrictCreate(ctx context.Context, cfg config.Config, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("district create", flag.ContinueOnError)
	name := fs.String("name", "", "the district's name, e.g. \"Harbor Unified School District\" (required, unique)")
	email := fs.String("admin-email", "", "the first district admin's work email; they sign in with it (required)")
	adminName := fs.String("admin-name", "", "the admin's name (default: the email's local part)")
	tz := fs.String("timezone", "America/Los_Angeles", "the district's IANA time zone")
	state := fs.String("state", "CA", "the US state whose hour rules for minors its programs follow")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 || strings.TrimSpace(*name) == "" || strings.TrimSpace(*email) == "" {
		return errors.New(districtUsage)
	}
	secretNote := ""
	if len(cfg.LinkSecret) == 0 {
		cfg = cfg.WithDevDefaults()
		secretNote = "\nLINK_SECRET is not set, so this link works only with `internflow dev`; with serve, run this with the server's LINK_SECRET\nor ask for a link at " + cfg.BaseURL + "/staff/login.\n"
	}
	st, err := migrate(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Pool.Close()
	district, _, err := st.CreateDistrictWithAdmin(ctx, store.District{Name: *name, Timezone: *tz, State: strings.ToUpper(*state)},
		store.Staff{Email: *email, Name: *adminName})
	var fe *store.FieldError
	if errors.As(err, &fe) {
		return fmt.Errorf("--%s: %s", strings.ReplaceAll(fe.Field, "_", "-"), fe.Message)
	}
	if err != nil {
		return fmt.Errorf("create district: %w", err)
	}
	minter := &links.Minter{Secret: cfg.LinkSecret, BaseURL: cfg.BaseURL, TTL: cfg.LinkTTL}
	u, err := auth.SignInURL(ctx, st.Pool, minter, strings.ToLower(strings.TrimSpace(*email)), firstSignInTTL)
	if err != nil {
		return fmt.Errorf("district %s created, but its sign-in link was not: %w (ask for one at %s/staff/login)", district, err, cfg.BaseURL)
	}
	fmt.Fprintf(out, `Created district %q (id %s) with its first admin, %s.

Sign in (this link works once, within 24 hours):

  %s
%s
Then, in the browser: add the schools at %s/staff/schools (a OneRoster import creates
them too), import the roster at %s/admin/import, and invite staff and name coordinators
at %s/staff/people.
`, strings.Join(strings.Fields(*name), " "), district, strings.ToLower(strings.TrimSpace(*email)), u, secretNote,
		cfg.BaseURL, cfg.BaseURL, cfg.BaseURL)
	return nil
}

const districtUsage = `usage: internflow district create --name NAME --admin-email EMAIL [--admin-name NAME] [--timezone ZONE] [--state CA]
       internflow district state --staff STAFF_ID DISTRICT_ID STATE`

// runDistrict starts a district, or sets a setting that has no staff page yet:
//
//	internflow district create --name "Harbor Unified" --admin-email admin@harbor.example.org
//	internflow district state --staff STAFF_ID DISTRICT_ID CA
//
// create is a district's first start: everything after it is done in the
// browser by the admin it names. The state picks the hour rules for minors
// (with the federal ones) that programs enrolling students from then on follow.
func runDistrict(ctx context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 && args[0] == "create" {
		return runDistrictCreate(ctx, cfg, args[1:], os.Stdout)
	}
	if len(args) == 0 || args[0] != "state" {
		return errors.New(districtUsage)
	}
	fs := flag.NewFlagSet("district state", flag.ContinueOnError)
	staff := fs.String("staff", "", "id of the staff member making the change (audited); required")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 2 || *staff == "" {
		return errors.New("usage: internflow district state --staff STAFF_ID DISTRICT_ID STATE")
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	district, state := fs.Arg(0), fs.Arg(1)
	if err := a.Store.SetDistrictState(ctx, district, state, *staff); err != nil {
		return err
	}
	if !hours.Known(state) {
		fmt.Printf("district %s is in %s; no state hour rules for %s are written yet, so its programs follow the federal rules only\n", district, state, state)
		return nil
	}
	fmt.Printf("district %s is in %s: new journeys follow the federal and %s hour rules for minors (running journeys keep theirs until migrated)\n", district, state, state)
	return nil
}
