package faults_test

import (
	"testing"
	"time"

	"github.com/internflow/internflow/internal/testenv"
)

// start runs `internflow <args>` (see testenv.Start).
func start(t *testing.T, env []string, args ...string) *testenv.Process {
	return testenv.Start(t, env, args...)
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
