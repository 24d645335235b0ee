// Package devserver runs the Temporal CLI's dev server (a real Temporal
// server with a SQLite store) from the pinned binary in bin/, so nothing is
// downloaded at run time.
package devserver

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
)

// Options say where the server keeps its data and which ports it binds.
type Options struct {
	CLIPath string
	// DBFile persists workflows across restarts; empty means in memory.
	DBFile string
	// HostPort is the frontend address; empty picks a free port.
	HostPort  string
	Namespace string
	// UIPort enables the Web UI on that port; 0 runs headless.
	UIPort int
	Output io.Writer
}

// Server is a running dev server.
type Server struct {
	dev *testsuite.DevServer
}

// SearchAttributes are registered at start so journeys can be filtered in
// the Temporal UI and with `temporal workflow list --query`.
var SearchAttributes = temporal.NewSearchAttributes(
	temporal.NewSearchAttributeKeyKeyword("School").ValueSet(""),
	temporal.NewSearchAttributeKeyKeyword("Stage").ValueSet(""),
	temporal.NewSearchAttributeKeyKeyword("WaitingOn").ValueSet(""),
	temporal.NewSearchAttributeKeyTime("StageSince").ValueSet(zeroTime),
)

// Start launches the dev server and waits until it answers.
func Start(ctx context.Context, o Options) (*Server, error) {
	path, err := filepath.Abs(o.CLIPath)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("temporal CLI not found at %s: run `make bin/temporal` (go install github.com/temporalio/cli/cmd/temporal@v1.5.1)", o.CLIPath)
	}
	if o.DBFile != "" {
		if err := os.MkdirAll(filepath.Dir(o.DBFile), 0o755); err != nil {
			return nil, err
		}
	}
	if o.Output == nil {
		o.Output = io.Discard
	}
	opts := testsuite.DevServerOptions{
		ExistingPath:     path,
		DBFilename:       o.DBFile,
		LogLevel:         "error",
		SearchAttributes: SearchAttributes,
		Stdout:           o.Output,
		Stderr:           o.Output,
		ClientOptions: &client.Options{
			HostPort:  o.HostPort,
			Namespace: o.Namespace,
			Logger:    log.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
		},
	}
	if o.UIPort > 0 {
		opts.EnableUI = true
		opts.UIPort = strconv.Itoa(o.UIPort)
	}
	dev, err := testsuite.StartDevServer(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("start temporal dev server: %w", err)
	}
	return &Server{dev: dev}, nil
}

// HostPort is the frontend address clients dial.
func (s *Server) HostPort() string { return s.dev.FrontendHostPort() }

// Stop interrupts the server and waits for it to exit.
func (s *Server) Stop() error {
	s.dev.Client().Close()
	return s.dev.Stop()
}

var zeroTime time.Time
