package config

import (
	"strings"
	"testing"
)

func TestLoad_OIDCVariablesGoTogether(t *testing.T) {
	base := map[string]string{"OIDC_ISSUER": "https://accounts.google.com", "OIDC_CLIENT_ID": "cid",
		"OIDC_CLIENT_SECRET": "secret", "OIDC_EMAIL_DOMAINS": "District.org, staff.district.org"}
	get := func(change map[string]string) func(string) string {
		return func(k string) string {
			if v, ok := change[k]; ok {
				return v
			}
			return base[k]
		}
	}
	c, err := load(get(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !c.OIDC.On() || strings.Join(c.OIDC.EmailDomains, ",") != "district.org,staff.district.org" || !c.OIDC.MagicLink || c.OIDC.EmailClaim != "email" {
		t.Fatalf("OIDC config: %+v", c.OIDC)
	}
	for _, tc := range []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"OIDC_CLIENT_SECRET": ""}, "OIDC_CLIENT_SECRET"},
		{map[string]string{"OIDC_EMAIL_DOMAINS": ""}, "OIDC_EMAIL_DOMAINS"},
		{map[string]string{"OIDC_ISSUER": "http://id.example.org"}, "OIDC_ISSUER"},
		{map[string]string{"OIDC_EMAIL_CLAIM": "name"}, "OIDC_EMAIL_CLAIM"},
		{map[string]string{"OIDC_ISSUER": ""}, "need OIDC_ISSUER"},
	} {
		if _, err := load(get(tc.change)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one naming %s", tc.change, err, tc.want)
		}
	}
}
