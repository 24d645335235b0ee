package auth

import (
	"context"
	"testing"

	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// A single-district install configures its provider with OIDC_*: it serves
// the only district (or the one OIDC_DISTRICT_ID names), and a district's
// own settings from the Sign-in page take its place.
func TestSSOSettings_EnvironmentServesASingleDistrictInstall(t *testing.T) {
	st := testenv.DB(t)
	ctx := context.Background()
	first, err := st.CreateDistrict(ctx, store.District{Name: "Only USD"})
	if err != nil {
		t.Fatal(err)
	}
	env := config.OIDCConfig{Issuer: GoogleIssuer, ClientID: "cid", ClientSecret: "csecret",
		EmailDomains: []string{"only.example.org"}, EmailClaim: "email", MagicLink: false}
	keys, _ := codec.ParseKeys("k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	secrets, _ := codec.New(keys)
	s := &SSOSettings{Store: st, Secrets: secrets, Env: env}

	p, ok, err := s.ForEmail(ctx, "Coach@Only.example.org")
	if err != nil || !ok || p.DistrictID != first || !p.FromEnv || p.Name != "Google" || p.Method() != "oidc:google" {
		t.Fatalf("env provider for the only district: %+v %v %v", p, ok, err)
	}
	if _, ok, _ := s.ForEmail(ctx, "someone@elsewhere.example.org"); ok {
		t.Fatal("a domain the provider does not list was sent to it")
	}
	if allowed, _ := s.MagicLinkAllowed(ctx, first); allowed {
		t.Fatal("OIDC_MAGIC_LINK=false still takes emailed links")
	}
	// A second district: the variables name no district, so they serve none.
	second, err := st.CreateDistrict(ctx, store.District{Name: "Second USD"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ForEmail(ctx, "coach@only.example.org"); ok {
		t.Fatal("OIDC_* without OIDC_DISTRICT_ID served a multi-district install")
	}
	s.Env.DistrictID = second
	if p, ok, _ := s.ForDistrict(ctx, second); !ok || p.DistrictID != second {
		t.Fatalf("OIDC_DISTRICT_ID: %+v %v", p, ok)
	}
	// The district's own settings win over the environment.
	admin, err := st.CreateStaff(ctx, store.Staff{DistrictID: second, Name: "Admin", Email: "admin@second.example.org",
		Roles: []store.StaffRole{{Role: RoleDistrictAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	own := Provider{DistrictID: second, Kind: ProviderMicrosoft, Name: "Microsoft", Issuer: MicrosoftIssuer("72f988bf-86f1-41af-91ab-2d7cd011db47"),
		ClientID: "own", ClientSecret: "own-secret", EmailDomains: []string{"second.example.org"}, EmailClaim: "upn", Enabled: true, MagicLink: true}
	if err := s.Save(ctx, own, admin, "203.0.113.1"); err != nil {
		t.Fatal(err)
	}
	p, ok, err = s.ForEmail(ctx, "someone@second.example.org")
	if err != nil || !ok || p.FromEnv || p.ClientSecret != "own-secret" || p.Kind != ProviderMicrosoft {
		t.Fatalf("own settings: %+v %v %v", p, ok, err)
	}
}
