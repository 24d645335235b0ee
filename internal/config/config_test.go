package config

import (
	"strings"
	"testing"
)

func TestLoad_DefaultsWorkOnALaptop(t *testing.T) {
	c, err := load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseName() != "internflow" || c.TemporalAddress != "127.0.0.1:7233" || c.HTTPAddr == "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
	if err := c.RequireSecrets(); err == nil {
		t.Fatal("production processes must refuse to start without LINK_SECRET")
	}
	if err := c.WithDevDefaults().RequireSecrets(); err != nil {
		t.Fatalf("dev defaults should satisfy secrets: %v", err)
	}
}

func TestLoad_BadValue_NamesTheVariable(t *testing.T) {
	cases := map[string]string{
		"TIME_SCALE":         "fast",
		"LOG_FORMAT":         "xml",
		"BASE_URL":           "not a url",
		"LINK_SECRET":        "short",
		"SESSION_SECURE":     "maybe",
		"TWILIO_ACCOUNT_SID": "AC123",
	}
	for key, val := range cases {
		_, err := load(func(k string) string {
			if k == key {
				return val
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%q: err = %v, want an error naming %s", key, val, err, key)
		}
	}
}
