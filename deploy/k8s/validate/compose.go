package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"sigs.k8s.io/yaml"
)

// composeFile is the part of docker-compose.yml the checks read.
type composeFile struct {
	Services map[string]struct {
		Command     []string          `json:"command"`
		Environment map[string]string `json:"environment"`
		Ports       []string          `json:"ports"`
	} `json:"services"`
}

// requiredVar is compose's "${NAME:?message}": the stack does not start
// until the operator sets NAME, and no value sits in the repository.
var requiredVar = regexp.MustCompile(`^\$\{([A-Z_]+):\?[^}]+\}$`)

// checkCompose validates docker-compose.yml: it parses, the app's secrets
// are required variables (never values), the app sets only settings
// internflow reads, and the Temporal UI (no login of its own) listens on
// this machine only and shows payloads through the app's codec endpoint.
func checkCompose(path string, known map[string]bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var c composeFile
	if err := yaml.Unmarshal(b, &c); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var problems []string
	fail := func(f string, a ...any) { problems = append(problems, fmt.Sprintf(f, a...)) }
	apps := 0
	for name, svc := range c.Services {
		if _, isApp := svc.Environment["DATABASE_URL"]; !isApp || len(svc.Command) == 0 {
			continue
		}
		apps++
		for _, secret := range []string{"LINK_SECRET", "PAYLOAD_KEYS"} {
			if m := requiredVar.FindStringSubmatch(svc.Environment[secret]); m == nil || m[1] != secret {
				fail("service %s: %s must be ${%s:?...} (required from the environment), not a value", name, secret, secret)
			}
		}
		for k := range svc.Environment {
			if !known[k] {
				fail("service %s: %s is not a setting internflow reads", name, k)
			}
		}
	}
	if apps == 0 {
		fail("no internflow service found (one with DATABASE_URL and a command)")
	}
	ui, ok := c.Services["temporal-ui"]
	if !ok {
		fail("no temporal-ui service")
	}
	for _, p := range ui.Ports {
		if !strings.HasPrefix(p, "127.0.0.1:") {
			fail("temporal-ui publishes %q: bind it to 127.0.0.1 (the UI has no login)", p)
		}
	}
	if ep := ui.Environment["TEMPORAL_CODEC_ENDPOINT"]; !strings.HasSuffix(ep, "/codec") {
		fail("temporal-ui: TEMPORAL_CODEC_ENDPOINT must point at the app's /codec, got %q", ep)
	}
	if ui.Environment["TEMPORAL_CODEC_INCLUDE_CREDENTIALS"] != "true" {
		fail("temporal-ui: TEMPORAL_CODEC_INCLUDE_CREDENTIALS must be \"true\" (the codec needs the staff session)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s:\n  %s", path, strings.Join(problems, "\n  "))
	}
	return nil
}
