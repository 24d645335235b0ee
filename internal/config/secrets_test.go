package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	goodLinkSecret  = "a-random-secret-made-for-this-test-only-0123456789"
	goodPayloadKeys = "k2:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,k1:ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA="
)

func loadVars(t *testing.T, vars map[string]string) Config {
	t.Helper()
	c, err := load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serve and worker refuse a LINK_SECRET anyone can read in the repository,
// with one line naming the variable.
func TestRequireSecrets_RefusesPublishedLinkSecrets(t *testing.T) {
	for _, known := range []string{DevLinkSecret, "change-me-in-production-to-32-plus-random-chars"} {
		c := loadVars(t, map[string]string{"LINK_SECRET": known, "PAYLOAD_KEYS": goodPayloadKeys})
		err := c.RequireSecrets()
		if err == nil {
			t.Fatalf("LINK_SECRET=%q was accepted", known)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "LINK_SECRET ") || strings.Contains(msg, "\n") || strings.Contains(msg, known) {
			t.Errorf("want one line naming LINK_SECRET without echoing it, got %q", msg)
		}
	}
	c := loadVars(t, map[string]string{"LINK_SECRET": goodLinkSecret, "PAYLOAD_KEYS": goodPayloadKeys})
	if err := c.RequireSecrets(); err != nil {
		t.Fatalf("a random secret and keys must be accepted: %v", err)
	}
	if c.PayloadKeys[0].ID != "k2" || len(c.PayloadKeys) != 2 {
		t.Fatalf("PAYLOAD_KEYS order must be kept (the first seals): %+v", c.PayloadKeys)
	}
}

func TestRequireSecrets_PayloadKeysRequiredAndNotPublished(t *testing.T) {
	err := loadVars(t, map[string]string{"LINK_SECRET": goodLinkSecret}).RequireSecrets()
	if err == nil || !strings.HasPrefix(err.Error(), "PAYLOAD_KEYS is required") {
		t.Fatalf("missing PAYLOAD_KEYS: err = %v", err)
	}
	// The dev key, even listed only for decryption, is refused.
	err = loadVars(t, map[string]string{"LINK_SECRET": goodLinkSecret, "PAYLOAD_KEYS": goodPayloadKeys + "," + DevPayloadKeys}).RequireSecrets()
	if err == nil || !strings.HasPrefix(err.Error(), `PAYLOAD_KEYS: key "dev" is a value published`) {
		t.Fatalf("dev payload key: err = %v", err)
	}
}

func TestLoad_BadPayloadKeys_NameTheVariableNotTheKey(t *testing.T) {
	for _, v := range []string{"nokey", "k1:c2hvcnQ=", "k1:" + strings.Repeat("A", 44) + ",k1:" + strings.Repeat("A", 44)} {
		_, err := load(func(k string) string {
			if k == "PAYLOAD_KEYS" {
				return v
			}
			return ""
		})
		if err == nil || !strings.HasPrefix(err.Error(), "PAYLOAD_KEYS: ") || strings.Contains(err.Error(), "c2hvcnQ") {
			t.Errorf("PAYLOAD_KEYS=%q: err = %v", v, err)
		}
	}
}

// Every LINK_SECRET or PAYLOAD_KEYS value written in the deploy files and
// docs is in KnownSecrets (so serve and worker refuse it); compose and the
// manifests may only reference variables, never carry a value of their own.
func TestKnownSecrets_ListsEveryValueInTheRepo(t *testing.T) {
	root := filepath.Join("..", "..")
	assign := regexp.MustCompile(`(LINK_SECRET|PAYLOAD_KEYS)["']?\s*[:=]\s*["']?([^"'\s,]+)`)
	var files []string
	for _, pat := range []string{"*.yml", "*.yaml", "*.md", "Makefile", "deploy/*.md", "deploy/k8s/*.yaml", "deploy/k8s/*/*.yaml", "deploy/k8s/*/*/*.yaml", "deploy/compose/*"} {
		m, _ := filepath.Glob(filepath.Join(root, pat))
		files = append(files, m...)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range assign.FindAllStringSubmatch(string(b), -1) {
			v := m[2]
			if strings.HasPrefix(v, "$") || strings.HasPrefix(v, "<") || strings.HasPrefix(v, "`") {
				continue // a reference or a placeholder in prose, not a value
			}
			checked++
			for _, part := range strings.Split(v, ",") {
				if _, key, ok := strings.Cut(part, ":"); ok && m[1] == "PAYLOAD_KEYS" {
					part = key
				}
				if strings.HasPrefix(part, "$") || strings.HasPrefix(part, "<") {
					continue // k1:$(openssl rand ...) or k1:<new key>: not a value
				}
				if !isKnownSecret(part) {
					t.Errorf("%s sets %s to %q, which is not in config.KnownSecrets", f, m[1], part)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("found no secret values at all: the scan is broken")
	}
}
