package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A compose file that carries a secret value, or publishes the Temporal
// UI on every interface without the codec, fails `make lint`.
func TestCompose_RefusesLiteralSecretsAndAnOpenUI(t *testing.T) {
	known, err := configKeys(filepath.Join("..", "..", "..", "internal", "config", "config.go"))
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join("..", "..", "..", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := checkCompose(filepath.Join("..", "..", "..", "docker-compose.yml"), known); err != nil {
		t.Fatalf("the repository's compose file: %v", err)
	}
	bad := string(orig)
	for old, repl := range map[string]string{
		"${LINK_SECRET:?set LINK_SECRET in .env, see docker-compose.yml}": "change-me-in-production-to-32-plus-random-chars",
		`"127.0.0.1:8233:8080"`:                                `"8233:8080"`,
		"TEMPORAL_CODEC_ENDPOINT: http://localhost:8080/codec": "TEMPORAL_CODEC_ENDPOINT_X: http://localhost:8080/codec",
	} {
		if !strings.Contains(bad, old) {
			t.Fatalf("docker-compose.yml no longer holds %q: update this test", old)
		}
		bad = strings.Replace(bad, old, repl, 1)
	}
	path := filepath.Join(t.TempDir(), "docker-compose.yml")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err = checkCompose(path, known)
	for _, want := range []string{"LINK_SECRET must be ${LINK_SECRET:?...}", `temporal-ui publishes "8233:8080"`, "TEMPORAL_CODEC_ENDPOINT must point"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want an error containing %q, got %v", want, err)
		}
	}
}
