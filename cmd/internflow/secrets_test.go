package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/testenv"
)

// serve and worker refuse a LINK_SECRET or payload key published in the
// repository (the dev default, the old compose placeholder) with one line,
// before connecting to anything.
func TestServeAndWorker_RefusePublishedSecrets(t *testing.T) {
	bin := testenv.Binary(t)
	good := testenv.SecretsEnv(t)
	cases := map[string][]string{
		"dev LINK_SECRET":     {"LINK_SECRET=" + config.DevLinkSecret, good[1]},
		"compose placeholder": {"LINK_SECRET=change-me-in-production-to-32-plus-random-chars", good[1]},
		"dev PAYLOAD_KEYS":    {good[0], "PAYLOAD_KEYS=" + config.DevPayloadKeys},
		"no PAYLOAD_KEYS":     {good[0], "PAYLOAD_KEYS="},
	}
	want := map[string]string{
		"dev LINK_SECRET":     "internflow: LINK_SECRET is a value published in the internflow repository",
		"compose placeholder": "internflow: LINK_SECRET is a value published in the internflow repository",
		"dev PAYLOAD_KEYS":    `internflow: PAYLOAD_KEYS: key "dev" is a value published`,
		"no PAYLOAD_KEYS":     "internflow: PAYLOAD_KEYS is required",
	}
	for name, env := range cases {
		for _, cmdName := range []string{"serve", "worker"} {
			cmd := exec.Command(bin, cmdName)
			// Nothing listens here: a process that got past the check
			// would fail differently (or hang until the test times out).
			cmd.Env = append(os.Environ(), append(env, "DATABASE_URL=postgres://nobody@127.0.0.1:1/x", "TEMPORAL_ADDRESS=127.0.0.1:1")...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) {
				t.Fatalf("%s %s: %v", name, cmdName, err)
			}
			out := strings.TrimSpace(stderr.String())
			if !strings.HasPrefix(out, want[name]) || strings.Contains(out, "\n") {
				t.Errorf("%s, internflow %s: stderr %q, want one line starting %q", name, cmdName, out, want[name])
			}
		}
	}
}
