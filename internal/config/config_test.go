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
	if err := c.WithDevDefaults().RequireSecrets(); err == nil {
		t.Fatal("serve and worker must refuse the dev defaults (published in the repository)")
	}
	dev := c.WithDevDefaults()
	if string(dev.LinkSecret) != DevLinkSecret || len(dev.PayloadKeys) != 1 || dev.PayloadKeys[0].ID != "dev" {
		t.Fatalf("dev defaults should fill LINK_SECRET and PAYLOAD_KEYS: %+v", dev)
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
		"WORKER_POLLERS":     "-1",
		"WORKER_CACHE_SIZE":  "lots",
		"TRUSTED_PROXIES":    "10.0.0.0/8,lb.internal",
		"PAYLOAD_KEYS":       "k1:not-base64!",
		"CODEC_CORS_ORIGIN":  "http://ui.example.org/codec",
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

func TestLoad_TemporalCloudAndTracingSettings(t *testing.T) {
	vars := map[string]string{"TEMPORAL_API_KEY": "key", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
	c, err := load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !c.TemporalTLS.On() || c.OTLPEndpoint != "http://collector:4318" || c.OTLPProtocol != "http/protobuf" {
		t.Fatalf("an API key must turn TLS on and the endpoint must turn tracing on: %+v", c)
	}
	plain, _ := load(func(string) string { return "" })
	if plain.TemporalTLS.On() || plain.OTLPEndpoint != "" || plain.MetricsAddr != "" {
		t.Fatalf("defaults must stay plaintext with tracing and the worker listener off: %+v", plain)
	}
	for key, want := range map[string]string{"TEMPORAL_TLS_CERT": "TEMPORAL_TLS_KEY", "OTEL_EXPORTER_OTLP_PROTOCOL": "OTEL_EXPORTER_OTLP_PROTOCOL"} {
		_, err := load(func(k string) string {
			if k == key {
				return "x"
			}
			return ""
		})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s alone: err = %v, want one naming %s", key, err, want)
		}
	}
}
