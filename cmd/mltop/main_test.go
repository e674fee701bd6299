package main

import (
	"os"
	"testing"
)

// runAsMltop makes the test binary behave as mltop when a test runs it
// with this variable set: shells complete through a real mltop process.
const runAsMltop = "MLTOP_TEST_RUN_AS_MLTOP"

func TestMain(m *testing.M) {
	if os.Getenv(runAsMltop) == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
