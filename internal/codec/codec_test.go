package codec

import (
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

const (
	key1 = "k1:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
	key2 = "k2:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
)

func mustCodec(t *testing.T, spec string) *Codec {
	t.Helper()
	keys, err := ParseKeys(spec)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(keys)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type signature struct{ TypedName, IP string }

func TestCodec_SealsWithTheFirstKeyAndHidesTheValue(t *testing.T) {
	dc := mustCodec(t, key1).DataConverter()
	p, err := dc.ToPayload(signature{"Maya Lopez", "203.0.113.9"})
	if err != nil {
		t.Fatal(err)
	}
	if enc := string(p.Metadata["encoding"]); enc != Encoding {
		t.Fatalf("encoding = %q, want %q", enc, Encoding)
	}
	if id := string(p.Metadata[KeyIDMeta]); id != "k1" {
		t.Fatalf("key id = %q, want k1", id)
	}
	if raw := p.String(); strings.Contains(raw, "Maya") || strings.Contains(raw, "203.0.113.9") || strings.Contains(raw, "json/plain") {
		t.Fatalf("sealed payload shows its contents: %s", raw)
	}
	var back signature
	if err := dc.FromPayload(p, &back); err != nil || back.TypedName != "Maya Lopez" {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
}

// Rotation: PAYLOAD_KEYS=k2,k1 seals with k2 and still opens what k1 sealed.
func TestCodec_RotatedKeys_NewSealOldStillOpens(t *testing.T) {
	old := mustCodec(t, key1).DataConverter()
	sealedByK1, err := old.ToPayload(signature{TypedName: "Nguyễn Thị Ánh"})
	if err != nil {
		t.Fatal(err)
	}
	rotated := mustCodec(t, key2+","+key1).DataConverter()
	var back signature
	if err := rotated.FromPayload(sealedByK1, &back); err != nil || back.TypedName != "Nguyễn Thị Ánh" {
		t.Fatalf("k1 payload after rotation: %+v, %v", back, err)
	}
	fresh, err := rotated.ToPayload(signature{TypedName: "Łukasz"})
	if err != nil {
		t.Fatal(err)
	}
	if id := string(fresh.Metadata[KeyIDMeta]); id != "k2" {
		t.Fatalf("after rotation new payloads use %q, want k2", id)
	}
	// Dropping k1 too early names the missing key instead of failing vaguely.
	err = mustCodec(t, key2).DataConverter().FromPayload(sealedByK1, &back)
	if err == nil || !strings.Contains(err.Error(), `"k1"`) || !strings.Contains(err.Error(), "PAYLOAD_KEYS") {
		t.Fatalf("payload sealed with a dropped key: err = %v", err)
	}
}

// Histories recorded before the codec (and the replay fixtures) hold plain
// payloads: they pass through.
func TestCodec_PlainPayloadsPassThrough(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload(signature{TypedName: "Maya"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := mustCodec(t, key1).Decode([]*commonpb.Payload{plain})
	if err != nil || out[0] != plain {
		t.Fatalf("plain payload changed: %v, %v", out, err)
	}
}

func TestCodec_TamperedPayloadIsRefused(t *testing.T) {
	c := mustCodec(t, key1)
	p, _ := c.DataConverter().ToPayload("x")
	p.Data[len(p.Data)-1] ^= 1
	if _, err := c.Decode([]*commonpb.Payload{p}); err == nil {
		t.Fatal("a changed byte must not decode")
	}
}

func TestSealString_OpensAfterRotationOnlyWithItsLabel(t *testing.T) {
	old := mustCodec(t, key1)
	sealed, err := old.SealString("client-secret-value", "district-a")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "client-secret-value") || !strings.HasPrefix(sealed, "k1:") {
		t.Fatalf("sealed value %q", sealed)
	}
	rotated := mustCodec(t, key2+","+key1)
	if got, err := rotated.OpenString(sealed, "district-a"); err != nil || got != "client-secret-value" {
		t.Fatalf("open after rotation: %q %v", got, err)
	}
	if _, err := rotated.OpenString(sealed, "district-b"); err == nil {
		t.Fatal("a value sealed for one district opened for another")
	}
	if _, err := mustCodec(t, key2).OpenString(sealed, "district-a"); err == nil {
		t.Fatal("a value opened without its key")
	}
}
