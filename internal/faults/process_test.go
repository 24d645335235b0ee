package faults_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// binary is the internflow binary under test: bin/internflow when `make
// test` built it, else one built for this run.
func binary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		root, err := filepath.Abs("../..")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(os.TempDir(), "internflow-faults-test")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/internflow")
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = err
			t.Logf("go build: %s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build internflow: %v", binErr)
	}
	return binPath
}

// process is a running internflow subcommand we can kill -9.
type process struct {
	t   *testing.T
	cmd *exec.Cmd
	log *os.File
}

// start runs `internflow <args>` with env added to ours.
func start(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "proc-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so a kill reaches nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{t: t, cmd: cmd, log: logf}
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("internflow %v logged:\n%s", args, tail(p.output(), 3000))
			if dir := os.Getenv("INTERNFLOW_FAULT_LOGS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, filepath.Base(p.log.Name())), []byte(p.output()), 0o644)
			}
		}
	})
	return p
}

// kill sends SIGKILL: no deferred code, no graceful shutdown, exactly like
// a node dying.
func (p *process) kill() {
	if p.cmd.ProcessState != nil {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	_ = p.cmd.Wait()
}

// output is what the process logged (for failure messages).
func (p *process) output() string {
	b, _ := os.ReadFile(p.log.Name())
	return string(b)
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

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
