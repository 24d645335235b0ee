package loadtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/internflow/internflow/internal/messaging/fakeprovider"
	"github.com/internflow/internflow/internal/store"
	"github.com/internflow/internflow/internal/testenv"
)

// system is internflow running as it would in production: an `internflow
// serve` process and an `internflow worker` process, on the shared
// Temporal dev server, a fresh database, and fake Twilio and SendGrid.
type system struct {
	URL       string
	Store     *store.Store
	TaskQueue string
	Worker    *testenv.Process
	Serve     *testenv.Process
	// ServeOps and WorkerOps are the processes' METRICS_ADDR listeners
	// (metrics, and the profiler when INTERNFLOW_PROFILE_DIR is set).
	ServeOps, WorkerOps string
	Twilio              *fakeprovider.Twilio
	SendGrid            *fakeprovider.SendGrid
	// LinkSecret is the processes' LINK_SECRET (the generator mints links).
	LinkSecret []byte
}

func startSystem(tb testing.TB, st *store.Store, timeScale float64) *system {
	tb.Helper()
	tw, sg := fakeprovider.NewTwilio(), fakeprovider.NewSendGrid()
	tb.Cleanup(tw.Close)
	tb.Cleanup(sg.Close)
	addr := freeAddr(tb)
	s := &system{URL: "http://" + addr, Store: st, TaskQueue: testenv.TaskQueue(tb), Twilio: tw, SendGrid: sg}
	tc, gc := tw.Config(), sg.Config()
	secrets := testenv.SecretsEnv(tb)
	s.LinkSecret = []byte(strings.TrimPrefix(secrets[0], "LINK_SECRET="))
	env := append(secrets,
		"DATABASE_URL="+st.Pool.Config().ConnString(),
		"TEMPORAL_ADDRESS="+testenv.TemporalAddress(tb),
		"TEMPORAL_TASK_QUEUE="+s.TaskQueue,
		"BASE_URL="+s.URL, "HTTP_ADDR="+addr,
		"TIME_SCALE="+strconv.FormatFloat(timeScale, 'f', -1, 64),
		"TWILIO_ACCOUNT_SID="+tc.AccountSID, "TWILIO_AUTH_TOKEN="+tc.AuthToken, "TWILIO_FROM="+tc.From, "TWILIO_BASE_URL="+tc.BaseURL,
		"SENDGRID_API_KEY="+gc.APIKey, "SENDGRID_BASE_URL="+gc.BaseURL,
		"SMS_PER_SECOND=5000", "EMAIL_PER_SECOND=5000", "LOG_LEVEL=warn", "LOG_FORMAT=json",
		// The load generator stands in for the load balancer in front of
		// people's phones: it says which address each request came from.
		"TRUSTED_PROXIES=127.0.0.1/32",
	)
	if os.Getenv(profileDirEnv) != "" {
		env = append(env, "PPROF=true")
	}
	standInForAutovacuum(tb, st)
	s.ServeOps, s.WorkerOps = "http://"+freeAddr(tb), "http://"+freeAddr(tb)
	s.Serve = testenv.Start(tb, append(slices.Clip(env), "METRICS_ADDR="+strings.TrimPrefix(s.ServeOps, "http://")), "serve")
	s.Worker = testenv.Start(tb, append(slices.Clip(env), "METRICS_ADDR="+strings.TrimPrefix(s.WorkerOps, "http://")), "worker")
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("internflow serve never became ready: %v\n%s", err, s.Serve.Output())
		}
		time.Sleep(200 * time.Millisecond)
	}
	return s
}

func freeAddr(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// usage is a process's resident memory and CPU time so far.
type usage struct {
	RSS int64         // bytes
	CPU time.Duration // user + system
}

// processUsage reads /proc for a process (Linux).
func processUsage(pid int) (usage, error) {
	var u usage
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			u.RSS = kb * 1024
		}
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// Fields after the command name (which may hold spaces) start at ')'.
	f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	u.CPU = time.Duration(utime+stime) * time.Second / 100 // clock ticks: 100 Hz on Linux
	return u, nil
}

// sampleRSS records the peak RSS of a process until ctx ends.
func sampleRSS(ctx context.Context, pid int, peak *int64) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	for {
		if u, err := processUsage(pid); err == nil && u.RSS > *peak {
			*peak = u.RSS
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
