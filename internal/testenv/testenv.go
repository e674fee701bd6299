// Package testenv starts real backends for integration tests: Prometheus on
// a free loopback port, scraping given targets. A missing binary skips the
// test, unless MLTOP_REQUIRE_INTEGRATION=1 (CI), where it fails.
package testenv

import (
	"net"
	"os"
	"os/exec"
	"testing"
)

// Required reports whether integration tests must run (CI).
func Required() bool { return os.Getenv("MLTOP_REQUIRE_INTEGRATION") == "1" }

// LookBinary finds a program, or skips (fails in CI) when it is absent.
func LookBinary(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if Required() {
		t.Fatalf("%s not found and MLTOP_REQUIRE_INTEGRATION=1: install it (CI does: apt-get install %s)", name, name)
	}
	t.Skipf("%s not installed: skipping integration test (apt-get install %s to run it)", name, name)
	return ""
}

// FreePort returns a loopback port that was free a moment ago.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
