// Package codec encrypts what internflow sends to Temporal. Workflow
// inputs, signals, updates, activity results and memos carry students'
// names, typed signatures, signer addresses and survey answers; Temporal
// stores them in its histories, so they are sealed here (AES-256-GCM)
// before they leave the process and opened when they come back.
//
// Each sealed payload names its key in its metadata, so keys can rotate:
// the first key seals, every listed key opens. Payloads that were never
// sealed (histories recorded before this codec, replay fixtures) pass
// through untouched.
package codec

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

const (
	// Encoding marks a sealed payload (metadata "encoding").
	Encoding = "binary/encrypted"
	// KeyIDMeta names the key that sealed a payload.
	KeyIDMeta = "encryption-key-id"
)

// Key is one named AES-256 key.
type Key struct {
	ID     string
	Secret []byte // 32 bytes
}

// ParseKeys reads "id1:base64key,id2:base64key" (the first seals). Errors
// never echo key material.
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	seen := map[string]bool{}
	for i, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		id, b64, ok := strings.Cut(part, ":")
		id = strings.TrimSpace(id)
		if !ok || id == "" {
			return nil, fmt.Errorf("entry %d must be id:base64key", i+1)
		}
		if seen[id] {
			return nil, fmt.Errorf("key id %q is listed twice", id)
		}
		secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			return nil, fmt.Errorf("key %q is not standard base64", id)
		}
		if len(secret) != 32 {
			return nil, fmt.Errorf("key %q must be 32 bytes (openssl rand -base64 32), got %d", id, len(secret))
		}
		seen[id] = true
		keys = append(keys, Key{ID: id, Secret: secret})
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys")
	}
	return keys, nil
}

// Codec is a converter.PayloadCodec sealing with AES-256-GCM.
type Codec struct {
	sealID string
	aeads  map[string]cipher.AEAD
}

// New builds a codec; keys[0] seals new payloads.
func New(keys []Key) (*Codec, error) {
	if len(keys) == 0 {
		return nil, errors.New("payload codec: no keys")
	}
	c := &Codec{sealID: keys[0].ID, aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		block, err := aes.NewCipher(k.Secret)
		if err != nil {
			return nil, fmt.Errorf("payload key %q: %w", k.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("payload key %q: %w", k.ID, err)
		}
		c.aeads[k.ID] = aead
	}
	return c, nil
}

// DataConverter is the SDK's default converter with this codec in front.
func (c *Codec) DataConverter() converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
}

// Encode seals each payload (the whole proto, metadata included, so the
// encoding and type names are hidden too).
func (c *Codec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	aead := c.aeads[c.sealID]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, err
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{converter.MetadataEncoding: []byte(Encoding), KeyIDMeta: []byte(c.sealID)},
			Data:     aead.Seal(nonce, nonce, plain, []byte(c.sealID)),
		}
	}
	return out, nil
}

// Decode opens sealed payloads and passes any other payload through.
func (c *Codec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != Encoding {
			out[i] = p
			continue
		}
		opened, err := c.open(p)
		if err != nil {
			return nil, err
		}
		out[i] = opened
	}
	return out, nil
}

func (c *Codec) open(p *commonpb.Payload) (*commonpb.Payload, error) {
	id := string(p.GetMetadata()[KeyIDMeta])
	aead, ok := c.aeads[id]
	if !ok {
		return nil, fmt.Errorf("payload sealed with key %q, which is not in PAYLOAD_KEYS (keep old keys listed after the new one)", id)
	}
	data := p.GetData()
	if len(data) < aead.NonceSize() {
		return nil, fmt.Errorf("payload sealed with key %q is truncated", id)
	}
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(id))
	if err != nil {
		return nil, fmt.Errorf("payload sealed with key %q does not open: %w", id, err)
	}
	var out commonpb.Payload
	if err := proto.Unmarshal(plain, &out); err != nil {
		return nil, fmt.Errorf("payload sealed with key %q: %w", id, err)
	}
	return &out, nil
}

// SealString seals one value kept in the database (a district's OIDC
// client secret) with the same keys as payloads: "keyID:base64(nonce|ct)".
// label binds the value to where it is kept (e.g. the district's id), so a
// sealed value copied to another row does not open there.
func (c *Codec) SealString(plain, label string) (string, error) {
	aead := c.aeads[c.sealID]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, []byte(plain), []byte(c.sealID+"\x00"+label))
	return c.sealID + ":" + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// OpenString opens what SealString sealed with any listed key.
func (c *Codec) OpenString(sealed, label string) (string, error) {
	id, b64, ok := strings.Cut(sealed, ":")
	aead, known := c.aeads[id]
	if !ok || !known {
		return "", fmt.Errorf("value sealed with key %q, which is not in PAYLOAD_KEYS", id)
	}
	data, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(data) < aead.NonceSize() {
		return "", fmt.Errorf("value sealed with key %q is damaged", id)
	}
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(id+"\x00"+label))
	if err != nil {
		return "", fmt.Errorf("value sealed with key %q does not open: %w", id, err)
	}
	return string(plain), nil
}
