package staff

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/clientip"
)

// "Sign-in" (/staff/sso): the district admin sets the district's OpenID
// Connect provider (Google, Microsoft or another issuer), the email
// domains it signs in, which claim carries the address, and whether the
// emailed link stays as a fallback. The client secret is sealed before it
// is stored and never shown again; every save is audited with what it
// changed (auth.SSOSettings.Save).

// ssoForm is the settings as typed, kept when they come back with errors.
type ssoForm struct {
	Provider, Tenant, Issuer, Name, ClientID, Domains, EmailClaim string
	Enabled, MagicLink                                            bool
	// HasSecret: a secret is stored (a blank field keeps it).
	HasSecret bool
}

type ssoPage struct {
	base
	Form ssoForm
	// FromEnv: the current provider comes from OIDC_* variables.
	FromEnv bool
	// RedirectURI is what the admin registers with the provider.
	RedirectURI string
	Errors      map[string]string
}

func (h *Handler) ssoSettings(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	p, ok, err := h.SSO.ForDistrict(r.Context(), principal(r).DistrictID)
	if err != nil {
		h.failed(w, r, "load sign-in settings", err)
		return
	}
	d := ssoPage{Form: ssoForm{Provider: auth.ProviderGoogle, EmailClaim: "email", Enabled: true, MagicLink: true}, Errors: map[string]string{}}
	if ok {
		d.Form, d.FromEnv = formOf(p), p.FromEnv
		d.Form.HasSecret = !p.FromEnv
	}
	h.renderSSO(w, r, d, http.StatusOK)
}

func (h *Handler) renderSSO(w http.ResponseWriter, r *http.Request, d ssoPage, status int) {
	d.base = h.base(r, "Sign-in", "sso")
	d.RedirectURI = strings.TrimRight(h.BaseURL, "/") + auth.CallbackPath
	render(w, r, status, "sso", d)
}

// tenantOf reads the tenant back out of a Microsoft issuer.
var tenantOf = regexp.MustCompile(`^https://login\.microsoftonline\.com/([^/]+)/v2\.0$`)

func formOf(p auth.Provider) ssoForm {
	f := ssoForm{Provider: p.Kind, Issuer: p.Issuer, Name: p.Name, ClientID: p.ClientID,
		Domains: strings.Join(p.EmailDomains, ", "), EmailClaim: p.EmailClaim, Enabled: p.Enabled, MagicLink: p.MagicLink}
	if m := tenantOf.FindStringSubmatch(p.Issuer); m != nil {
		f.Tenant = m[1]
	}
	return f
}

// saveSSO checks the form (the issuer is asked for its discovery
// document, so a mistyped tenant shows here, not at the first sign-in),
// saves it and audits it.
func (h *Handler) saveSSO(w http.ResponseWriter, r *http.Request) {
	if !h.mayAdminister(w, r) {
		return
	}
	pr := principal(r)
	f := ssoForm{Provider: r.PostFormValue("provider"), Tenant: strings.TrimSpace(r.PostFormValue("tenant")),
		Issuer: strings.TrimRight(strings.TrimSpace(r.PostFormValue("issuer")), "/"), Name: strings.TrimSpace(r.PostFormValue("name")),
		ClientID: strings.TrimSpace(r.PostFormValue("client_id")), Domains: r.PostFormValue("email_domains"),
		EmailClaim: r.PostFormValue("email_claim"), Enabled: r.PostFormValue("enabled") != "", MagicLink: r.PostFormValue("magic_link") != ""}
	current, had, err := h.SSO.ForDistrict(r.Context(), pr.DistrictID)
	if err != nil {
		h.failed(w, r, "load sign-in settings", err)
		return
	}
	f.HasSecret = had && !current.FromEnv
	p, errs := f.provider(pr.DistrictID, strings.TrimSpace(r.PostFormValue("client_secret")))
	if len(errs) == 0 && p.Enabled {
		if _, err := auth.Discover(h.oidcClient(), p.Issuer); err != nil {
			field := map[string]string{auth.ProviderMicrosoft: "tenant"}[p.Kind]
			if field == "" {
				field = "issuer"
			}
			errs[field] = "internflow could not read the OpenID configuration at " + p.Issuer +
				"/.well-known/openid-configuration. Check the address (for Microsoft, the tenant ID)."
		}
	}
	if len(errs) == 0 {
		err = h.SSO.Save(r.Context(), p, pr.StaffID, clientip.From(r))
		if errors.Is(err, auth.ErrNoSecret) {
			errs["client_secret"] = "Enter the client secret the provider gave the app."
		} else if errors.Is(err, auth.ErrDomainTaken) {
			errs["email_domains"] = "Another district already signs in " + strings.TrimPrefix(err.Error(), auth.ErrDomainTaken.Error()+": ") +
				" addresses. Each domain belongs to one district."
		} else if err != nil {
			h.failed(w, r, "save sign-in settings", err)
			return
		}
	}
	if len(errs) > 0 {
		h.renderSSO(w, r, ssoPage{Form: f, Errors: errs}, http.StatusUnprocessableEntity)
		return
	}
	msg := "Sign-in settings saved. Staff of " + strings.Join(p.EmailDomains, ", ") + " now see “Sign in with " + p.Name + "”."
	if !p.Enabled {
		msg = "Sign-in settings saved. Signing in with " + p.Name + " is off: staff sign in with emailed links."
	}
	h.setFlash(w, false, msg)
	http.Redirect(w, r, "/staff/sso", http.StatusSeeOther)
}

// tenantID is an Entra directory (tenant) ID: a GUID.
var tenantID = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// domainRE is an email domain as district_sso_domains accepts it.
var domainRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$`)

// provider turns the form into settings, with an error per field.
func (f ssoForm) provider(districtID, secret string) (auth.Provider, map[string]string) {
	errs := map[string]string{}
	p := auth.Provider{DistrictID: districtID, Kind: f.Provider, Name: f.Name, ClientID: f.ClientID, ClientSecret: secret,
		EmailClaim: f.EmailClaim, Enabled: f.Enabled, MagicLink: f.MagicLink || !f.Enabled}
	switch f.Provider {
	case auth.ProviderGoogle:
		p.Issuer = auth.GoogleIssuer
	case auth.ProviderMicrosoft:
		if !tenantID.MatchString(f.Tenant) {
			errs["tenant"] = "Enter the Directory (tenant) ID from the app's Overview in Microsoft Entra, like 72f988bf-86f1-41af-91ab-2d7cd011db47."
		}
		p.Issuer = auth.MicrosoftIssuer(strings.ToLower(f.Tenant))
	case auth.ProviderOIDC:
		u, err := url.Parse(f.Issuer)
		loopback := err == nil && u.Scheme == "http" && (u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost")
		if err != nil || u.Host == "" || (u.Scheme != "https" && !loopback) {
			errs["issuer"] = "Enter the issuer's https:// address, as its documentation gives it."
		}
		p.Issuer = f.Issuer
	default:
		errs["provider"] = "Choose Google, Microsoft or another OpenID provider."
	}
	if p.Name == "" {
		p.Name = map[string]string{auth.ProviderGoogle: "Google", auth.ProviderMicrosoft: "Microsoft"}[f.Provider]
	}
	if p.Name == "" || utf8.RuneCountInString(p.Name) > 60 {
		errs["name"] = "Name the button (at most 60 characters), like “Valley USD account”."
	}
	if p.ClientID == "" {
		errs["client_id"] = "Enter the client ID the provider gave the app."
	}
	if secret == "" && !f.HasSecret {
		errs["client_secret"] = "Enter the client secret the provider gave the app."
	}
	for _, d := range strings.FieldsFunc(strings.ToLower(f.Domains), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' }) {
		d = strings.TrimPrefix(d, "@")
		if !domainRE.MatchString(d) {
			errs["email_domains"] = "“" + d + "” is not an email domain. List domains like district.org, separated by commas."
			break
		}
		if !slices.Contains(p.EmailDomains, d) {
			p.EmailDomains = append(p.EmailDomains, d)
		}
	}
	if len(p.EmailDomains) == 0 && errs["email_domains"] == "" {
		errs["email_domains"] = "List the email domains of your staff, like district.org."
	}
	if !slices.Contains([]string{"email", "preferred_username", "upn"}, p.EmailClaim) {
		errs["email_claim"] = "Choose where the email address comes from."
	}
	if p.EmailClaim != "email" && p.Kind == auth.ProviderGoogle {
		errs["email_claim"] = "Google always sends a verified email: keep “email”. Sign-in names (preferred_username, upn) are for Microsoft Entra tenants."
	}
	return p, errs
}

func (h *Handler) oidcClient() *http.Client {
	if h.OIDCClient != nil {
		return h.OIDCClient
	}
	return &http.Client{Timeout: 10 * time.Second}
}
