package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/store"
)

// Provider kinds: the presets and any other OpenID Connect issuer.
const (
	ProviderGoogle    = "google"
	ProviderMicrosoft = "microsoft"
	ProviderOIDC      = "oidc"
)

// GoogleIssuer is Google's OpenID Connect issuer (Google Workspace).
const GoogleIssuer = "https://accounts.google.com"

// MicrosoftIssuer is a Microsoft Entra ID tenant's v2.0 issuer. The tenant
// is its directory (tenant) ID: the discovery document of a tenant named
// by domain states the ID form, and the issuer must match it exactly.
func MicrosoftIssuer(tenant string) string {
	return "https://login.microsoftonline.com/" + tenant + "/v2.0"
}

// Provider is a district's OpenID Connect sign-in settings.
type Provider struct {
	DistrictID string
	// Kind is ProviderGoogle, ProviderMicrosoft or ProviderOIDC.
	Kind string
	// Name is what the button says after "Sign in with".
	Name                           string
	Issuer, ClientID, ClientSecret string
	// EmailDomains are the staff addresses this provider signs in.
	EmailDomains []string
	// EmailClaim is where the address is read (see emailFrom).
	EmailClaim string
	Enabled    bool
	// MagicLink keeps the emailed link as a fallback.
	MagicLink bool
	// FromEnv: set by OIDC_* variables, not on the Sign-in page.
	FromEnv bool
}

// Method is how a session started by this provider is recorded.
func (p Provider) Method() string { return "oidc:" + p.Kind }

// Allows reports whether an address's domain is one of the provider's.
func (p Provider) Allows(email string) bool {
	_, domain, ok := strings.Cut(email, "@")
	return ok && slices.Contains(p.EmailDomains, strings.ToLower(domain))
}

// SSOSettings keeps districts' providers: rows written on the Sign-in
// page (the client secret sealed with PAYLOAD_KEYS), and for a
// single-district install the OIDC_* environment. A district's row wins
// over the environment.
type SSOSettings struct {
	Store *store.Store
	// Secrets seals client secrets (the payload codec's keys).
	Secrets *codec.Codec
	// Env is the provider from OIDC_* (zero when unset).
	Env config.OIDCConfig
}

// errNoSecrets: without PAYLOAD_KEYS no secret can be sealed or opened.
var errNoSecrets = errors.New("no PAYLOAD_KEYS to seal the client secret")

func secretLabel(districtID string) string { return "district_sso:" + districtID }

// ForDistrict returns the district's provider, enabled or not; ok is false
// when it has none.
func (s *SSOSettings) ForDistrict(ctx context.Context, districtID string) (Provider, bool, error) {
	if s == nil {
		return Provider{}, false, nil
	}
	row, err := s.Store.DistrictSSO(ctx, districtID)
	if errors.Is(err, store.ErrNotFound) {
		return s.fromEnv(ctx, districtID)
	}
	if err != nil {
		return Provider{}, false, fmt.Errorf("district sign-in settings: %w", err)
	}
	p := Provider{DistrictID: districtID, Kind: row.Provider, Name: row.DisplayName, Issuer: row.IssuerURL, ClientID: row.ClientID,
		EmailDomains: row.EmailDomains, EmailClaim: row.EmailClaim, Enabled: row.Enabled, MagicLink: row.MagicLink}
	if s.Secrets == nil {
		return Provider{}, false, errNoSecrets
	}
	if p.ClientSecret, err = s.Secrets.OpenString(row.SealedSecret, secretLabel(districtID)); err != nil {
		return Provider{}, false, fmt.Errorf("district sign-in client secret: %w", err)
	}
	return p, true, nil
}

// ForEmail returns the enabled provider whose domains include the
// address's; ok is false when none does.
func (s *SSOSettings) ForEmail(ctx context.Context, email string) (Provider, bool, error) {
	if s == nil {
		return Provider{}, false, nil
	}
	_, domain, _ := strings.Cut(strings.ToLower(email), "@")
	district, err := s.Store.SSODistrictOfDomain(ctx, domain)
	if errors.Is(err, store.ErrNotFound) {
		if !slices.Contains(s.Env.EmailDomains, domain) {
			return Provider{}, false, nil
		}
		if district, err = s.envDistrict(ctx); err != nil || district == "" {
			return Provider{}, false, err
		}
	} else if err != nil {
		return Provider{}, false, fmt.Errorf("sign-in provider for a domain: %w", err)
	}
	p, ok, err := s.ForDistrict(ctx, district)
	return p, ok && p.Enabled && p.Allows(email), err
}

// MagicLinkAllowed reports whether the district still takes emailed
// sign-in links (true unless its admin switched them off).
// It needs no client secret, so a district whose secret cannot be opened
// (PAYLOAD_KEYS rotated without the old key) keeps its links.
func (s *SSOSettings) MagicLinkAllowed(ctx context.Context, districtID string) (bool, error) {
	if s == nil {
		return true, nil
	}
	allowed, err := s.Store.MagicLinkAllowed(ctx, districtID)
	if errors.Is(err, store.ErrNotFound) {
		serves, err := s.envDistrict(ctx)
		return s.Env.MagicLink || serves != districtID, err
	}
	if err != nil {
		return true, fmt.Errorf("district sign-in settings: %w", err)
	}
	return allowed, nil
}

// fromEnv is the OIDC_* provider when it serves this district.
func (s *SSOSettings) fromEnv(ctx context.Context, districtID string) (Provider, bool, error) {
	if !s.Env.On() {
		return Provider{}, false, nil
	}
	serves, err := s.envDistrict(ctx)
	if err != nil || serves != districtID {
		return Provider{}, false, err
	}
	e := s.Env
	kind := kindOf(e.Issuer)
	name := e.Name
	if name == "" {
		name = defaultName(kind)
	}
	return Provider{DistrictID: districtID, Kind: kind, Name: name, Issuer: e.Issuer, ClientID: e.ClientID,
		ClientSecret: e.ClientSecret, EmailDomains: e.EmailDomains, EmailClaim: e.EmailClaim, Enabled: true,
		MagicLink: e.MagicLink, FromEnv: true}, true, nil
}

// envDistrict is the district OIDC_* serves: OIDC_DISTRICT_ID, else the
// install's only district ("" when there are several: the variable is
// meant for single-district installs).
func (s *SSOSettings) envDistrict(ctx context.Context) (string, error) {
	if !s.Env.On() {
		return "", nil
	}
	if s.Env.DistrictID != "" {
		return s.Env.DistrictID, nil
	}
	return s.Store.OnlyDistrict(ctx)
}

// kindOf names an issuer's preset, so a session and its audit entry say
// "oidc:google" or "oidc:microsoft".
func kindOf(issuer string) string {
	switch {
	case issuer == GoogleIssuer:
		return ProviderGoogle
	case strings.HasPrefix(issuer, "https://login.microsoftonline.com/"):
		return ProviderMicrosoft
	}
	return ProviderOIDC
}

// defaultName is a preset's button name.
func defaultName(kind string) string {
	switch kind {
	case ProviderGoogle:
		return "Google"
	case ProviderMicrosoft:
		return "Microsoft"
	}
	return "your district account"
}

// ErrNoSecret: new settings need a client secret.
var ErrNoSecret = store.ErrNoSSOSecret

// ErrDomainTaken: another district's provider signs in that domain.
var ErrDomainTaken = store.ErrSSODomainTaken

// Save writes the district's provider and its domains, sealing the client
// secret (an empty ClientSecret keeps the stored one), and audits the
// change with what it was before (never the secret) in one transaction.
func (s *SSOSettings) Save(ctx context.Context, p Provider, staffID, ip string) error {
	if s.Secrets == nil {
		return errNoSecrets
	}
	before, had, err := s.ForDistrict(ctx, p.DistrictID)
	if err != nil {
		return err
	}
	had = had && !before.FromEnv
	sealed := ""
	if p.ClientSecret != "" {
		if sealed, err = s.Secrets.SealString(p.ClientSecret, secretLabel(p.DistrictID)); err != nil {
			return fmt.Errorf("seal client secret: %w", err)
		}
	}
	entry := store.AuditEntry{DistrictID: p.DistrictID, ActorKind: "staff", ActorRef: staffID, Action: "sso_settings_changed",
		EntityKind: "district_sso", EntityID: p.DistrictID, IP: ip, After: auditView(p, p.ClientSecret != "")}
	if had {
		entry.Before = auditView(before, false)
	}
	row := store.DistrictSSO{DistrictID: p.DistrictID, Provider: p.Kind, DisplayName: p.Name, IssuerURL: p.Issuer, ClientID: p.ClientID,
		SealedSecret: sealed, EmailClaim: p.EmailClaim, Enabled: p.Enabled, MagicLink: p.MagicLink, EmailDomains: p.EmailDomains}
	return s.Store.SaveDistrictSSO(ctx, row, staffID, entry)
}

// auditView is what the audit log keeps of settings: everything but the
// secret, and whether it changed.
func auditView(p Provider, secretChanged bool) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"provider": p.Kind, "name": p.Name, "issuer": p.Issuer, "client_id": p.ClientID,
		"email_domains": p.EmailDomains, "email_claim": p.EmailClaim, "enabled": p.Enabled, "magic_link": p.MagicLink,
		"client_secret_changed": secretChanged})
	return b
}

// emailFingerprint stands for an address in audit entries of refused
// sign-ins: the same person trying again is recognisable, the address is
// not written down.
func emailFingerprint(email string) string {
	h := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(h[:8])
}
