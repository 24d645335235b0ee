package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/internflow/internflow/internal/codec"
)

// DevLinkSecret is used only when LINK_SECRET is unset and the process is a
// local dev run (`internflow dev`, devserver, tests); serve and worker
// refuse it.
const DevLinkSecret = "dev-only-link-secret-change-me-0123456789"

// DevPayloadKeys seal Temporal payloads on a laptop run only; serve and
// worker refuse them. The key is published here, so it protects nothing.
const DevPayloadKeys = "dev:ZGV2LW9ubHktcGF5bG9hZC1rZXktY2hhbmdlLW1lISE="

// KnownSecrets is every secret value published in this repository (or in
// its history): anyone can read them, so a production process refuses
// them. This is the one list; TestKnownSecrets_ListsEveryValueInTheRepo
// fails when a value appears in the deploy files without being listed here.
var KnownSecrets = []string{
	DevLinkSecret,
	// docker-compose.yml's placeholder before compose required a secret.
	"change-me-in-production-to-32-plus-random-chars",
	// deploy/k8s/secret.example.yaml's placeholders.
	"CHANGE-ME-to-at-least-32-random-characters",
	"CHANGE-ME-openssl-rand-base64-32",
	// The dev payload key (DevPayloadKeys).
	"ZGV2LW9ubHktcGF5bG9hZC1rZXktY2hhbmdlLW1lISE=",
}

// WithDevDefaults fills secrets that a laptop run may leave unset.
func (c Config) WithDevDefaults() Config {
	if len(c.LinkSecret) == 0 {
		c.LinkSecret = []byte(DevLinkSecret)
	}
	if len(c.PayloadKeys) == 0 {
		keys, err := codec.ParseKeys(DevPayloadKeys)
		if err != nil {
			panic(err) // a constant: caught by the tests
		}
		c.PayloadKeys = keys
	}
	return c
}

// RequireSecrets fails, in one line naming the variable, when a production
// process (serve, worker) starts without its secrets or with one that is
// published in this repository.
func (c Config) RequireSecrets() error {
	if len(c.LinkSecret) == 0 {
		return errors.New("LINK_SECRET is required (32+ random characters, e.g. `openssl rand -base64 48`); `internflow dev` sets a local one")
	}
	if isKnownSecret(string(c.LinkSecret)) {
		return errors.New("LINK_SECRET is a value published in the internflow repository (a dev default or an example placeholder); set a random one: `openssl rand -base64 48`")
	}
	if len(c.PayloadKeys) == 0 {
		return errors.New("PAYLOAD_KEYS is required (id:base64key, e.g. `k1:$(openssl rand -base64 32)`); `internflow dev` sets a local one")
	}
	for _, k := range c.PayloadKeys {
		if isKnownSecret(base64.StdEncoding.EncodeToString(k.Secret)) {
			return fmt.Errorf("PAYLOAD_KEYS: key %q is a value published in the internflow repository; make a random one: `openssl rand -base64 32`", k.ID)
		}
	}
	return nil
}

func isKnownSecret(v string) bool {
	v = strings.TrimSpace(v)
	for _, k := range KnownSecrets {
		if v == k {
			return true
		}
	}
	return false
}
