package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary builds the internflow binary once per test process and returns
// its path: fault and load tests run it as real processes.
func Binary(tb testing.TB) string {
	tb.Helper()
	binOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(os.TempDir(), "internflow-test-"+randomHex(4))
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/internflow")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = err
			tb.Logf("go build: %s", out)
		}
	})
	if binErr != nil {
		tb.Fatalf("build internflow: %v", binErr)
	}
	return binPath
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// Process is a running internflow subcommand a test may kill -9.
type Process struct {
	Cmd *exec.Cmd
	log *os.File
}

// Start runs `internflow <args>` with env added to the test's own. It is
// killed when the test ends; its log is shown if the test failed.
func Start(tb testing.TB, env []string, args ...string) *Process {
	tb.Helper()
	logf, err := os.CreateTemp(tb.TempDir(), "proc-*.log")
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(Binary(tb), args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// Its own process group, so a kill reaches nothing else.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &Process{Cmd: cmd, log: logf}
	tb.Cleanup(func() {
		p.Kill()
		if tb.Failed() {
			tb.Logf("internflow %v logged:\n%s", args, tail(p.Output(), 3000))
		}
	})
	return p
}

// Kill sends SIGKILL: no deferred code, no graceful shutdown, exactly like
// a node dying.
func (p *Process) Kill() {
	if p.Cmd.ProcessState != nil {
		return
	}
	_ = syscall.Kill(-p.Cmd.Process.Pid, syscall.SIGKILL)
	_ = p.Cmd.Wait()
}

// Output is what the process logged.
func (p *Process) Output() string {
	b, _ := os.ReadFile(p.log.Name())
	return string(b)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// Run runs `internflow <args>` to its end with env added to the test's
// own, and returns its stdout, stderr and exit status (0 on success).
func Run(tb testing.TB, env []string, args ...string) (stdout, stderr string, status int) {
	tb.Helper()
	cmd := exec.Command(Binary(tb), args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		status = exit.ExitCode()
	case err != nil:
		tb.Fatalf("run internflow %v: %v", args, err)
	}
	return out.String(), errOut.String(), status
}
