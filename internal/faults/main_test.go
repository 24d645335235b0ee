// Package faults_test is the fault suite: real processes killed with -9,
// the Temporal server restarted, PostgreSQL stopped, providers failing.
// `make test-faults` runs it; CI runs it after the main suite.
package faults_test

import (
	"os"
	"testing"

	"github.com/internflow/internflow/internal/testenv"
)

func TestMain(m *testing.M) { os.Exit(testenv.Main(m)) }
