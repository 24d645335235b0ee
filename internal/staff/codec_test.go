package staff_test

import (
	"net/http"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/codec"
	"github.com/internflow/internflow/internal/staff/stafftest"
)

const uiOrigin = "http://127.0.0.1:8233" // newEnv's TEMPORAL_UI_URL

// sealedBody is a remote-codec request holding one payload sealed with
// the app's keys, as the Temporal UI sends it.
func sealedBody(t *testing.T, e *env, v any) string {
	t.Helper()
	c, err := app.PayloadCodec(e.Cfg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.DataConverter().ToPayload(v)
	if err != nil {
		t.Fatal(err)
	}
	b, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{p}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func codecPost(c *stafftest.Client, path, origin, body string) stafftest.Response {
	h := http.Header{"X-Namespace": {"default"}}
	if origin != "" {
		h.Set("Origin", origin)
	}
	return c.Do(http.MethodPost, path, "application/json", strings.NewReader(body), h)
}

// The Temporal UI's codec endpoint opens students' data only for a
// signed-in district ops or admin, and only from the UI's origin.
func TestCodecEndpoint_DecodesOnlyForDistrictOps(t *testing.T) {
	e := newEnv(t)
	body := sealedBody(t, e, "Maya Lopez signed")

	if r := codecPost(stafftest.Anonymous(t, e.Stack), "/codec/decode", uiOrigin, body); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous: %d %s, want 401", r.Status, r.Body)
	}
	coach := stafftest.SignIn(t, e.Stack, coachA)
	if r := codecPost(coach, "/codec/decode", uiOrigin, body); r.Status != http.StatusForbidden || strings.Contains(r.Body, "Maya") {
		t.Errorf("coordinator: %d %s, want 403", r.Status, r.Body)
	}

	ops := stafftest.SignIn(t, e.Stack, approverOps)
	if r := codecPost(ops, "/codec/decode", "http://evil.example.org", body); r.Status != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: %d %s, want 403 without CORS", r.Status, r.Body)
	}
	r := codecPost(ops, "/codec/decode", uiOrigin, body)
	if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != uiOrigin || r.Header.Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("district ops: %d %v %s", r.Status, r.Header, r.Body)
	}
	var out commonpb.Payloads
	if err := protojson.Unmarshal([]byte(r.Body), &out); err != nil || len(out.Payloads) != 1 {
		t.Fatalf("decode answer %s: %v", r.Body, err)
	}
	var got string
	if err := converter.GetDefaultDataConverter().FromPayload(out.Payloads[0], &got); err != nil || got != "Maya Lopez signed" {
		t.Fatalf("decoded %q, %v", got, err)
	}

	// Encode seals (the UI uses it to send signals and queries).
	plain, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{out.Payloads[0]}})
	enc := codecPost(ops, "/codec/encode", uiOrigin, string(plain))
	var sealed commonpb.Payloads
	if enc.Status != http.StatusOK || protojson.Unmarshal([]byte(enc.Body), &sealed) != nil || len(sealed.Payloads) != 1 {
		t.Fatalf("encode: %d %s", enc.Status, enc.Body)
	}
	if p := sealed.Payloads[0]; string(p.Metadata["encoding"]) != codec.Encoding || strings.Contains(string(p.Data), "Maya") {
		t.Errorf("encode answered an unsealed payload: %v", p)
	}
}

func TestCodecEndpoint_PreflightOnlyForTheUIOrigin(t *testing.T) {
	e := newEnv(t)
	c := stafftest.Anonymous(t, e.Stack)
	pre := func(origin string) stafftest.Response {
		return c.Do(http.MethodOptions, "/codec/decode", "", nil, http.Header{"Origin": {origin},
			"Access-Control-Request-Method": {"POST"}, "Access-Control-Request-Headers": {"content-type,x-namespace"}})
	}
	if r := pre(uiOrigin); r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != uiOrigin ||
		!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "X-Namespace") {
		t.Errorf("UI preflight: %d %v", r.Status, r.Header)
	}
	if r := pre("http://evil.example.org"); r.Status != http.StatusForbidden || r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin preflight: %d %v", r.Status, r.Header)
	}
}
