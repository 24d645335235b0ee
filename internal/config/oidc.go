package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
)

// validate checks the OIDC_* variables together: an issuer needs its
// client and the domains it signs in.
func (o OIDCConfig) validate() error {
	if !o.On() {
		if o.ClientID != "" || o.ClientSecret != "" || len(o.EmailDomains) > 0 {
			return errors.New("OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_EMAIL_DOMAINS need OIDC_ISSUER")
		}
		return nil
	}
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && (u.Hostname() == "127.0.0.1" || u.Hostname() == "localhost"))) {
		return fmt.Errorf("OIDC_ISSUER must be an https:// URL like https://accounts.google.com, got %q", o.Issuer)
	}
	if o.ClientID == "" || o.ClientSecret == "" {
		return errors.New("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are required too")
	}
	if len(o.EmailDomains) == 0 {
		return errors.New("OIDC_ISSUER is set: OIDC_EMAIL_DOMAINS must list the staff email domains, like district.org")
	}
	if !slices.Contains([]string{"email", "preferred_username", "upn"}, o.EmailClaim) {
		return fmt.Errorf("OIDC_EMAIL_CLAIM must be email, preferred_username or upn, got %q", o.EmailClaim)
	}
	return nil
}
