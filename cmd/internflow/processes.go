package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/internflow/internflow/internal/app"
	"github.com/internflow/internflow/internal/auth"
	"github.com/internflow/internflow/internal/config"
	"github.com/internflow/internflow/internal/demo"
	"github.com/internflow/internflow/internal/devserver"
	"github.com/internflow/internflow/internal/inbox"
	"github.com/internflow/internflow/internal/messaging"
	"github.com/internflow/internflow/internal/store"
)

func runServe(ctx context.Context, cfg config.Config, _ []string) error {
	return runProcess(ctx, cfg, func(ctx context.Context, a *app.App) error {
		h, err := a.Handler()
		if err != nil {
			return err
		}
		d := messaging.DescribeDelivery(cfg)
		slog.Info("serving", "addr", cfg.HTTPAddr, "twilio_webhooks", d.TwilioWebhooks, "sendgrid_webhooks", d.SendGridWebhooks)
		return serveWithEnrolments(ctx, a, h)
	})
}

// runProcess runs a long-lived process (serve, worker): it refuses
// secrets written in the repository, connects, and runs beside the ops
// listener once the database schema is this release's.
func runProcess(ctx context.Context, cfg config.Config, run func(context.Context, *app.App) error) error {
	if err := cfg.RequireSecrets(); err != nil {
		return err
	}
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	return withOpsListener(ctx, cfg, a, func(ctx context.Context) error {
		if err := waitForSchema(ctx, a); err != nil {
			return err
		}
		return run(ctx, a)
	})
}

// waitForSchema holds serve and worker until the migration Job has applied
// every migration this release brings (Kubernetes may start the new pods
// first). serve is not ready meanwhile: it does not listen yet.
func waitForSchema(ctx context.Context, a *app.App) error {
	return store.WaitForSchema(ctx, a.Pool, 2*time.Second, func(pending []int) {
		slog.Info("waiting for the database migrations (internflow migrate, the migration Job)", "pending", len(pending))
	})
}

// serveWithEnrolments serves HTTP and, beside it, works the enrolment
// requests the pages and API accept (and any a stopped process left).
func serveWithEnrolments(ctx context.Context, a *app.App, h http.Handler) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return a.Enrolments.Work(gctx) })
	g.Go(func() error { return app.Serve(gctx, a.Cfg.HTTPAddr, h) })
	return g.Wait()
}

// withOpsListener runs a process's main loop and, when METRICS_ADDR is
// set, its ops listener (metrics and probes) for exactly as long: when
// the main loop stops, probes fail and the pod is restarted.
func withOpsListener(ctx context.Context, cfg config.Config, a *app.App, run func(context.Context) error) error {
	if cfg.MetricsAddr == "" {
		return run(ctx)
	}
	g, gctx := errgroup.WithContext(ctx)
	opsCtx, stopOps := context.WithCancel(gctx)
	g.Go(func() error { defer stopOps(); return run(gctx) })
	g.Go(func() error {
		slog.Info("metrics and probes", "addr", cfg.MetricsAddr)
		return app.Serve(opsCtx, cfg.MetricsAddr, a.OpsHandler())
	})
	return g.Wait()
}

func runWorker(ctx context.Context, cfg config.Config, _ []string) error {
	return runProcess(ctx, cfg, runWorkerUntil)
}

// runWorkerUntil runs the Temporal worker and the outbox dispatcher until
// ctx ends, then stops them gracefully.
func runWorkerUntil(ctx context.Context, a *app.App) error {
	providers, err := messaging.NewProviders(a.Cfg)
	if err != nil {
		return err
	}
	if err := messaging.CheckProviders(ctx, providers, nil); err != nil {
		return err
	}
	w := a.NewWorker()
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	d := messaging.DescribeDelivery(a.Cfg)
	slog.Info("worker started", "task_queue", a.Cfg.TaskQueue, "texts", d.SMS, "emails", d.Email)
	err = a.NewDispatcher(providers).Run(ctx)
	w.Stop()
	slog.Info("worker stopped")
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func runSeed(ctx context.Context, cfg config.Config, _ []string) error {
	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := demo.Seed(ctx, a.Store, a.Journeys)
	if err == nil {
		slog.Info("demo data", "district", res.DistrictID, "journeys", res.Journeys, "already_there", res.Skipped)
	}
	return err
}

// runDev is `make run`: every part in one foreground process, Ctrl-C stops
// all of them cleanly.
func runDev(ctx context.Context, cfg config.Config, _ []string) error {
	cfg = cfg.WithDevDefaults()
	st, err := migrate(ctx, cfg)
	if err != nil {
		return err
	}
	st.Pool.Close()
	srv, err := devserver.Start(ctx, devserver.Options{
		CLIPath: cfg.TemporalCLI, DBFile: filepath.Join(cfg.DataDir, "temporal.db"),
		HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, UIPort: cfg.TemporalUIPort,
	})
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			slog.Warn("temporal dev server stop", "err", err)
		}
		slog.Info("temporal dev server stopped")
	}()
	slog.Info("temporal dev server running", "address", srv.HostPort(), "db", filepath.Join(cfg.DataDir, "temporal.db"))

	a, err := app.Connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return runWorkerUntil(gctx, a) })
	h, err := a.Handler()
	if err != nil {
		return err
	}
	// The local inbox shows demo people's messages: dev only, never serve.
	h = (&inbox.Inbox{Pool: a.Pool, Render: a.DispatcherConfig()}).Wrap(h)
	g.Go(func() error {
		return withOpsListener(gctx, cfg, a, func(ctx context.Context) error { return serveWithEnrolments(ctx, a, h) })
	})
	g.Go(func() error {
		res, err := demo.Seed(gctx, a.Store, a.Journeys)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		slog.Info("demo data loaded", "journeys", res.Journeys, "already_there", res.Skipped)
		printWhereToLook(cfg)
		printDevSignIn(gctx, a, cfg)
		return nil
	})
	return g.Wait()
}

func printWhereToLook(cfg config.Config) {
	d := messaging.DescribeDelivery(cfg)
	fmt.Fprintf(os.Stderr, `
  internflow is running.
    App:           %s/
    Inbox:         %s%s  (every text and email, as each person got it)
    Health:        %s/readyz
    Temporal UI:   http://127.0.0.1:%d/namespaces/%s/workflows
  Messages:
    Texts:         %s
    Emails:        %s
    Twilio hooks:  %s
    SendGrid hooks: %s
  Ctrl-C stops everything; journeys persist in %s/.

`, cfg.BaseURL, cfg.BaseURL, inbox.Path, cfg.BaseURL, cfg.TemporalUIPort, cfg.TemporalNamespace,
		d.SMS, d.Email, d.TwilioWebhooks, d.SendGridWebhooks, cfg.DataDir)
}

// printDevSignIn prints one-time sign-in links for the demo coordinator and
// district admin: locally the log provider emails nothing. Only `dev`
// calls it; production processes never mint links to print.
func printDevSignIn(ctx context.Context, a *app.App, cfg config.Config) {
	var lines []string
	for _, who := range []struct{ label, email string }{
		{"Coordinator (Lincoln High)", demo.CoordinatorEmail}, {"District admin", demo.AdminEmail},
	} {
		u, err := auth.SignInURL(ctx, a.Pool, a.Links, who.email, 8*time.Hour)
		if err != nil {
			slog.Warn("dev sign-in link", "err", err)
			return
		}
		lines = append(lines, fmt.Sprintf("    %-27s %s", who.label+":", u))
	}
	where := fmt.Sprintf("the email is sent by SendGrid to your address (a copy is in\n  the local inbox, %s%s)", cfg.BaseURL, inbox.Path)
	if messaging.DescribeDelivery(cfg).EmailLocal {
		where = fmt.Sprintf("with no email provider configured the email is\n  only in the local inbox (%s%s)", cfg.BaseURL, inbox.Path)
	}
	fmt.Fprintf(os.Stderr, `  Staff sign-in (dev only; each link works once, for 8 hours; restart for new ones):
%s
  Or ask at %s/staff/login: %s.

`, strings.Join(lines, "\n"), cfg.BaseURL, where)
}

// runDevServer runs only the Temporal dev server (in memory, free port
// unless TEMPORAL_ADDRESS names one). With a command after "--" it runs the
// command with TEMPORAL_ADDRESS pointing at the server, then stops it:
// `make test` uses this so one server serves the whole test run.
func runDevServer(ctx context.Context, cfg config.Config, args []string) error {
	hostPort := ""
	if len(args) == 0 {
		hostPort = cfg.TemporalAddress
	}
	srv, err := devserver.Start(ctx, devserver.Options{CLIPath: cfg.TemporalCLI, HostPort: hostPort, Namespace: cfg.TemporalNamespace})
	if err != nil {
		return err
	}
	defer srv.Stop() //nolint:errcheck
	slog.Info("temporal dev server running", "address", srv.HostPort())
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 {
		<-ctx.Done()
		return nil
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), "TEMPORAL_ADDRESS="+srv.HostPort(), "INTERNFLOW_TEST_TEMPORAL="+srv.HostPort())
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return exitCode(ee.ExitCode())
		}
		return err
	}
	return nil
}
